"""An agency's sign-on settings (administrators only, audited, secret encrypted, https),
and allauth's check of ID tokens against the real provider's keys: a token signed by
another key, expired, or for another client is refused."""

import io
import time
from typing import Any

import jwt
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.sso.models import AgencySignOn
from audit.models import AuditEvent, EventType
from tests.security.conftest import root, sign_in_with_second_factor  # noqa: F401
from tests.sso.conftest import configure_sign_on
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def mps_sign_on(world: World, idp, http_issuer) -> AgencySignOn:
    return configure_sign_on(world.police, idp.issuer, actor=world.administrator)


def test_the_secret_is_stored_encrypted_and_the_change_audited(mps_sign_on) -> None:
    stored = AgencySignOn.objects.get()
    assert "mps-client-secret" not in stored.client_secret_encrypted
    assert stored.social_app().secret == "mps-client-secret"
    assert stored.provider_id == "agency-mps"
    event = AuditEvent.objects.get(event_type=EventType.SSO_SETTINGS_CHANGED)
    assert event.details == {
        "agency": "MPS",
        "change": "added",
        "fields": ["issuer", "client_secret"],
    }
    assert "secret" not in str(event.details).replace("client_secret", "")


@pytest.mark.parametrize(
    ("issuer", "domains", "field"),
    [
        ("http://login.example.test/tenant/v2.0", "example.gov.uk", "issuer"),
        ("https://login.example.test/?x=1", "example.gov.uk", "issuer"),
        ("https://login.example.test/tenant/v2.0", "", "email_domains"),
        ("https://login.example.test/tenant/v2.0", "@example.gov.uk", "email_domains"),
    ],
)
def test_issuers_use_https_and_domains_are_domains(
    world: World, issuer: str, domains: str, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        configure_sign_on(world.police, issuer, actor=world.administrator, email_domains=domains)
    assert field in raised.value.message_dict
    assert not AgencySignOn.objects.exists()


def test_only_a_superuser_sees_the_settings_in_the_admin(
    world: World,
    root,
    client: Client,
    mps_sign_on,
) -> None:
    sign_in_with_second_factor(client, "root")
    url = reverse("admin:accounts_agencysignon_change", args=[mps_sign_on.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "mps-client-secret" not in page.content.decode()
    assert "/accounts/oidc/agency-mps/login/callback/" in page.content.decode()
    response = client.post(
        url,
        {
            "agency": world.police.pk,
            "enabled": "on",
            "passwords_allowed": "on",
            "issuer": mps_sign_on.issuer,
            "client_id": "portal-mps",
            "client_secret": "",
            "email_domains": "example.gov.uk met.police.test",
            "mfa_amr": "mfa",
            "mfa_acr": "",
        },
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(
        event_type=EventType.SSO_SETTINGS_CHANGED, actor_username="root"
    )
    assert changed.details["fields"] == ["email_domains", "mfa_amr"]
    assert AgencySignOn.objects.get().social_app().secret == "mps-client-secret"


def test_an_officer_who_is_not_a_superuser_cannot_reach_the_settings(
    world: World, client: Client, mps_sign_on
) -> None:
    world.administrator.is_staff = True
    world.administrator.save()
    client.force_login(world.administrator)
    url = reverse("admin:accounts_agencysignon_changelist")
    assert client.get(url).status_code in (302, 403)


def _token(key: rsa.RSAPrivateKey, issuer: str, **overrides: object) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": "portal-mps",
        "sub": "sub-discloser",
        "iat": now,
        "exp": now + 600,
        **overrides,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key-1"})


def _verify(mps_sign_on: AgencySignOn, token: str) -> Any:
    request = RequestFactory().get("/")
    provider = mps_sign_on.social_app().get_provider(request)
    return provider.verify_token(request, {"id_token": token})


def test_a_token_signed_by_the_provider_is_accepted(idp, mps_sign_on) -> None:
    login = _verify(mps_sign_on, _token(idp.signing_key, idp.issuer))
    assert login.account.uid == "sub-discloser"


@pytest.mark.parametrize(
    "forgery",
    [
        "another key",
        "expired",
        "another client",
        "another issuer",
        "unsigned",
    ],
)
def test_a_forged_or_expired_token_is_refused(idp, mps_sign_on, forgery: str) -> None:
    key, claims = idp.signing_key, dict[str, Any]()
    if forgery == "another key":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif forgery == "expired":
        claims = {"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}
    elif forgery == "another client":
        claims = {"aud": "portal-lbh"}
    elif forgery == "another issuer":
        claims = {"iss": "https://login.example.test"}
    token = _token(key, idp.issuer, **claims)
    if forgery == "unsigned":
        token = jwt.encode(
            {"iss": idp.issuer, "aud": "portal-mps", "sub": "x"},
            "",  # no key: the "none" algorithm signs nothing
            "none",
            headers={"kid": "test-key-1"},
        )
    with pytest.raises(ValidationError):
        _verify(mps_sign_on, token)


def test_the_client_secret_is_reencrypted_with_the_mfa_secrets(mps_sign_on, settings) -> None:
    old, new = settings.MFA_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [new, old]

    call_command("reencrypt_mfa_secrets", stdout=io.StringIO())

    settings.MFA_ENCRYPTION_KEYS = [new]
    assert AgencySignOn.objects.get().social_app().secret == "mps-client-secret"
