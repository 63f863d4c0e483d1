"""One way in: every sign-in, Django admin's included, goes through the portal's sign-in with
its second factor, throttling and audit log.

The URL resolver is walked rather than a list kept by hand, so a sign-in page that a new app
or library brings in is tested without anyone remembering to.
"""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from audit.models import AuditEvent, EventType
from tests.factories import TEST_PASSWORD
from tests.security.conftest import current_code, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def _url_names(patterns: list | None = None, namespace: str = "") -> list[str]:
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            names += _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return sorted(set(names))


def _urls_without_arguments() -> list[str]:
    urls = set()
    for name in _url_names():
        try:
            urls.add(reverse(name))
        except NoReverseMatch:
            continue  # needs a key or an object: a link from an email or a page, not a way in
    return sorted(urls)


def _reversible(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# Django and allauth both name their sign-in views "login".
_LOGIN_NAMES = [name for name in _url_names() if name.rpartition(":")[2].endswith("login")]
# The password sign-ins. A sign-in whose URL names an agency's identity provider is single
# sign-on (accounts.sso), tested with a real provider in tests/sso and tests/browser/test_sso.
SIGN_IN_URL_NAMES = [name for name in _LOGIN_NAMES if _reversible(name)]
SINGLE_SIGN_ON_URL_NAMES = ["openid_connect_login"]


class _PasswordForm(HTMLParser):
    """The form on a page that asks for a password: where it posts and what it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(attributes)

    def found(self) -> dict | None:
        for form in self.forms:
            if any(i.get("type") == "password" for i in form["inputs"]):
                return form
        return None


def _password_form(response: Any) -> dict | None:
    parser = _PasswordForm()
    parser.feed(response.content.decode())
    return parser.found()


def _sign_in_through(client: Client, url: str, password: str) -> Any:
    """Open ``url`` as a person does, follow where it leads, fill in the password form there."""
    page = client.get(url, follow=True)
    form = _password_form(page)
    assert form is not None, f"{url} leads to no password form"
    data = {}
    for field in form["inputs"]:
        kind, name = field.get("type", "text"), field.get("name")
        if kind == "hidden":
            data[name] = field.get("value") or ""
        elif kind == "password":
            data[name] = password
        elif kind == "text":
            data[name] = "root"
    return client.post(urljoin(page.wsgi_request.get_full_path(), form["action"]), data)


def test_the_walk_finds_django_admin_and_allauth_sign_in() -> None:
    assert {"account_login", "admin:login"} <= set(SIGN_IN_URL_NAMES)


def test_every_other_way_in_is_single_sign_on() -> None:
    assert sorted(set(_LOGIN_NAMES) - set(SIGN_IN_URL_NAMES)) == SINGLE_SIGN_ON_URL_NAMES


def test_only_the_portal_sign_in_page_asks_a_stranger_for_a_password(db: None) -> None:
    asking = [url for url in _urls_without_arguments() if _password_form(Client().get(url))]
    assert asking == [reverse("account_login")]


def test_no_url_signs_in_with_a_password_alone(root: User) -> None:
    credentials = {"login": "root", "username": "root", "password": TEST_PASSWORD}
    signed_in = []
    for url in _urls_without_arguments():
        client = Client()
        client.post(url, credentials)
        if "_auth_user_id" in client.session:
            signed_in.append(url)
    assert signed_in == []


@pytest.mark.parametrize("name", SIGN_IN_URL_NAMES)
def test_signing_in_asks_for_the_second_factor_and_is_audited(root: User, name: str) -> None:
    client = Client()

    response = _sign_in_through(client, reverse(name), TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("mfa_authenticate")
    assert not AuditEvent.objects.filter(event_type=EventType.SIGN_IN).exists()

    client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert client.session["_auth_user_id"] == str(root.pk)
    assert AuditEvent.objects.get(event_type=EventType.SIGN_IN).actor == root
    # A session that passed the second factor is good for Django admin too.
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("name", SIGN_IN_URL_NAMES)
def test_signing_in_is_throttled_and_every_attempt_audited(root: User, name: str) -> None:
    for _ in range(5):
        _sign_in_through(Client(), reverse(name), "wrong-password")
    client = Client()

    response = _sign_in_through(client, reverse(name), TEST_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED).order_by("id")
    assert [event.details.get("reason") for event in failures] == [None] * 5 + ["throttled"]
    assert {event.details["username"] for event in failures} == {"root"}


def test_django_admin_sign_in_sends_people_to_the_portal_sign_in(db: None) -> None:
    target = reverse("admin:accounts_agency_changelist")
    response = Client().get(reverse("admin:login"), {"next": target})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query) == {"next": [target]}


def test_django_admin_needs_a_session_that_passed_the_second_factor(root: User) -> None:
    client = Client()
    client.force_login(root)  # a session that skipped the portal's sign-in
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=root).exists()


def test_django_admin_password_change_is_the_portal_one(root: User) -> None:
    client = Client()
    sign_in_with_second_factor(client, "root")
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
