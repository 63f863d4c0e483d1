"""A real OpenID Connect provider for the single sign-on tests, and the agencies' settings
pointing at it. The Django test client signs in through it: the portal redirects to the
provider, ``requests`` plays the person at the provider's sign-in page, and the provider's
redirect back is followed by the test client, so every step is the real protocol."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.models import Agency, User
from accounts.sso import services
from accounts.sso.models import AgencySignOn
from tests.sso.provider import IdentityProvider, identity_provider

TEST_SERVER = "http://testserver"
CLIENTS = {"mps": "mps-client-secret", "lbh": "lbh-client-secret"}


def clients_for(base_url: str) -> list[dict]:
    return [
        {
            "client_id": f"portal-{code}",
            "client_secret": secret,
            "redirect_uris": [f"{base_url}/accounts/oidc/agency-{code}/login/callback/"],
        }
        for code, secret in CLIENTS.items()
    ]


@pytest.fixture(scope="session")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    with identity_provider(tmp_path_factory.mktemp("idp"), clients_for(TEST_SERVER)) as provider:
        yield provider


def configure_sign_on(agency: Agency, issuer: str, *, actor: User, **fields: Any) -> AgencySignOn:
    code = agency.code.lower()
    sign_on = AgencySignOn(
        agency=agency,
        issuer=issuer,
        client_id=f"portal-{code}",
        email_domains=fields.pop("email_domains", "example.gov.uk"),
        **fields,
    )
    return services.sign_on_save(
        actor=actor, sign_on=sign_on, client_secret=CLIENTS[code], changed=["issuer"]
    )


@pytest.fixture
def http_issuer(settings: Settings) -> None:
    settings.SSO_HTTP_ISSUER_ALLOWED = True


def sso_sign_in(
    client: Client,
    idp: IdentityProvider,
    sub: str,
    code: str = "mps",
    at: datetime | None = None,
    process: str = "login",
) -> Any:
    """Sign in through agency ``code``'s provider as account ``sub``; the portal's answer
    to the provider's redirect back (received at time ``at``, if given)."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": f"agency-{code}"}),
        {"process": process},
    )
    assert start.status_code == 302, start
    url = start["Location"]
    assert url.startswith(idp.issuer)
    browser = requests.Session()
    while not url.startswith(TEST_SERVER):
        if "/interaction/" in url and browser.get(url, allow_redirects=False).ok:
            answer = browser.post(url, data={"account": sub}, allow_redirects=False)
        else:
            answer = browser.get(url, allow_redirects=False)
        assert answer.status_code in (302, 303), answer.text[:500]
        url = requests.compat.urljoin(url, answer.headers["Location"])
    parts = urlsplit(url)
    if at is None:
        return client.get(f"{parts.path}?{parts.query}")
    with time_machine.travel(at):
        return client.get(f"{parts.path}?{parts.query}")
