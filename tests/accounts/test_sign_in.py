from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from audit.models import AuditEvent, EventType, Outcome
from tests.factories import TEST_PASSWORD
from tests.world import World

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_sign_in_is_audited(world: World, client: Client) -> None:
    response = _sign_in(client, "requester", TEST_PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN)
    assert event.actor == world.requester
    assert event.actor_agency == "LBH"
    assert event.actor_roles == ["requester"]


def test_failed_sign_in_is_audited_without_the_password(world: World, client: Client) -> None:
    _sign_in(client, "requester", "wrong-password")
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.outcome == Outcome.DENIED
    assert event.details == {"username": "requester"}
    assert "wrong-password" not in str(event.details)


def test_sign_out_is_audited(world: World, client: Client) -> None:
    client.force_login(world.requester)
    client.post(reverse("account_logout"))
    assert AuditEvent.objects.filter(event_type=EventType.SIGN_OUT, actor=world.requester).exists()


def test_repeated_failures_are_throttled(world: World, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, "requester", "wrong-password")
    response = _sign_in(client, "requester", TEST_PASSWORD)
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


def test_there_is_no_self_registration(client: Client) -> None:
    response = client.get(reverse("account_signup"))
    assert response.status_code in {200, 404}
    assert b"Sign Up Closed" in response.content or response.status_code == 404
    assert not client.post(
        reverse("account_signup"),
        {"username": "intruder", "email": "x@example.com", "password1": "Sup3r-secret-pw!"},
    ).wsgi_request.user.is_authenticated


def test_mfa_is_required_when_configured(world: World, client: Client, settings: Settings) -> None:
    settings.MFA_REQUIRED = True
    client.force_login(world.requester)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_demo_style_accounts_sign_in_with_password_alone(world: World, client: Client) -> None:
    _sign_in(client, "requester", TEST_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_password_reset_email_holds_a_link_and_nothing_personal(
    world: World, client: Client, mailoutbox: list
) -> None:
    client.post(reverse("account_reset_password"), {"email": world.requester.email})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "/accounts/password/reset/key/" in body
    assert world.requester.first_name not in body
    assert world.requester.last_name not in body


# Behind the documented reverse proxy every request reaches gunicorn from the proxy's address;
# the proxy appends the client's own address to X-Forwarded-For.
PROXY = "10.0.0.2"


def _sign_in_via_proxy(client: Client, address: str, username: str, password: str) -> object:
    return client.post(
        reverse("account_login"),
        {"login": username, "password": password},
        REMOTE_ADDR=PROXY,
        # The leftmost entry is whatever the client claimed; only the proxy's own is trusted.
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",
    )


@pytest.fixture
def behind_one_proxy(settings: Settings) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.mark.usefixtures("behind_one_proxy")
def test_failures_from_one_address_do_not_throttle_another(world: World) -> None:
    for attempt in range(5):
        _sign_in_via_proxy(Client(), "203.0.113.5", f"nobody{attempt}", "wrong-password")

    elsewhere = Client()
    _sign_in_via_proxy(elsewhere, "203.0.113.6", "requester", TEST_PASSWORD)
    same_address = Client()
    _sign_in_via_proxy(same_address, "203.0.113.5", "council_colleague", TEST_PASSWORD)

    assert elsewhere.session["_auth_user_id"] == str(world.requester.pk)
    assert "_auth_user_id" not in same_address.session


@pytest.mark.usefixtures("behind_one_proxy")
def test_failures_on_one_account_throttle_it_from_any_address(world: World) -> None:
    for attempt in range(5):
        _sign_in_via_proxy(Client(), f"203.0.113.{attempt}", "requester", "wrong-password")

    client = Client()
    _sign_in_via_proxy(client, "203.0.113.50", "requester", TEST_PASSWORD)

    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("behind_one_proxy")
def test_the_audit_log_records_the_client_address_not_the_proxy(world: World) -> None:
    _sign_in_via_proxy(Client(), "203.0.113.7", "requester", "wrong-password")
    _sign_in_via_proxy(Client(), "203.0.113.8", "requester", TEST_PASSWORD)

    failed = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    signed_in = AuditEvent.objects.get(event_type=EventType.SIGN_IN)
    assert failed.ip_address == "203.0.113.7"
    assert signed_in.ip_address == "203.0.113.8"


def test_a_throttled_attempt_is_audited(world: World, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, "requester", "wrong-password")
    _sign_in(client, "requester", TEST_PASSWORD)

    throttled = AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED).order_by("id").last()
    assert throttled is not None
    assert throttled.outcome == Outcome.DENIED
    assert throttled.details == {"username": "requester", "reason": "throttled"}
    assert AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED).count() == 6
