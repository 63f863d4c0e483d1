"""Single sign-on through an agency's own OpenID Connect provider: a real provider on
127.0.0.1 (tests/sso/oidc_provider.mjs), the Django test client on the portal's side."""

import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent, EventType, Outcome
from tests.factories import TEST_PASSWORD
from tests.security.conftest import TOTP_SECRET, current_code
from tests.sso.conftest import configure_sign_on, sso_sign_in
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("http_issuer")]

REFUSED = "Your organisation's account is not linked to an ISP Portal account: ask your SPOC"


@pytest.fixture
def mps_sign_on(world: World, idp):
    return configure_sign_on(world.police, idp.issuer, actor=world.administrator)


def _signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _failures() -> list[dict]:
    return [
        event.details
        for event in AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED)
        if event.outcome == Outcome.DENIED
    ]


def test_an_officer_is_linked_by_verified_email_then_known_by_subject(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    idp.add_account("sub-discloser", email="Discloser@example.gov.uk", email_verified=True)
    response = sso_sign_in(client, idp, "sub-discloser")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _signed_in_as(client) == world.discloser.pk
    link = SocialAccount.objects.get(provider="agency-mps", uid="sub-discloser")
    assert link.user == world.discloser
    # Only who issued it and how the person signed in are kept, not their address.
    assert "email" not in str(link.extra_data)
    linked = AuditEvent.objects.get(event_type=EventType.SSO_LINKED)
    assert linked.actor == world.discloser
    assert linked.details == {"agency": "MPS", "provider": "agency-mps"}
    sign_in = AuditEvent.objects.filter(event_type=EventType.SIGN_IN).get()
    assert sign_in.details == {
        "method": "single sign-on",
        "provider": "agency-mps",
        "second_factor": "none",
    }
    assert "Discloser@" not in str(AuditEvent.objects.values_list("details", flat=True))

    client.post(reverse("account_logout"))
    assert _signed_in_as(client) is None
    # The next time the subject decides, whatever the address says now.
    idp.add_account("sub-discloser", email="renamed@elsewhere.test", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    assert _signed_in_as(client) == world.discloser.pk
    assert AuditEvent.objects.filter(event_type=EventType.SSO_LINKED).count() == 1


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "nobody@example.gov.uk", "email_verified": True}, "no portal account"),
        ({"email": "discloser@example.gov.uk", "email_verified": False}, "email not verified"),
        ({"email": "discloser@example.gov.uk"}, "email not verified"),
        ({"email": "discloser@elsewhere.test", "email_verified": True}, "email domain not allowed"),
        # An officer of the council cannot come in through the police's provider.
        ({"email": "requester@example.gov.uk", "email_verified": True}, "no portal account"),
    ],
)
def test_nobody_gets_an_account_by_signing_in(
    world: World, idp, mps_sign_on, client: Client, claims: dict, reason: str
) -> None:
    idp.add_account("sub-stranger", **claims)
    users = User.objects.count()
    response = sso_sign_in(client, idp, "sub-stranger")
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert _signed_in_as(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert _failures() == [{"method": "single sign-on", "provider": "agency-mps", "reason": reason}]


def test_a_deactivated_officer_cannot_sign_in(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    client.post(reverse("account_logout"))
    User.objects.filter(pk=world.discloser.pk).update(is_active=False)
    # Once linked, and before ever being linked.
    idp.add_account("sub-colleague", email="discloser2@example.gov.uk", email_verified=True)
    User.objects.filter(pk=world.discloser2.pk).update(is_active=False)
    for sub in ("sub-discloser", "sub-colleague"):
        response = sso_sign_in(client, idp, sub)
        assert response.status_code == 403
        assert "Your ISP Portal account has been deactivated" in response.content.decode()
        assert _signed_in_as(client) is None
    assert [f["reason"] for f in _failures()] == ["account deactivated"] * 2
    assert not SocialAccount.objects.filter(uid="sub-colleague").exists()


def test_an_identity_linked_at_one_agency_does_not_open_another(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    configure_sign_on(world.council, idp.issuer, actor=world.administrator)
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    client.post(reverse("account_logout"))
    # The same person at the council's provider: the police officer's account is not found
    # among the council's officers.
    response = sso_sign_in(client, idp, "sub-discloser", code="lbh")
    assert response.status_code == 403
    assert _failures()[-1]["reason"] == "no portal account"


def test_an_address_reused_by_someone_else_does_not_take_over_a_linked_account(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    idp.add_account("sub-old", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-old")
    client.post(reverse("account_logout"))
    idp.add_account("sub-new", email="discloser@example.gov.uk", email_verified=True)
    assert sso_sign_in(client, idp, "sub-new").status_code == 403
    assert _failures()[-1]["reason"] == "account linked to another identity"


def test_without_mfa_in_the_token_the_portal_asks_for_its_own_code(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    TOTP.activate(world.discloser, TOTP_SECRET)
    idp.add_account(
        "sub-discloser", email="discloser@example.gov.uk", email_verified=True, amr=["pwd"]
    )
    response = sso_sign_in(client, idp, "sub-discloser")
    assert response["Location"] == reverse("mfa_authenticate")
    assert _signed_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert _signed_in_as(client) == world.discloser.pk
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN)
    assert event.details["second_factor"] == "portal code"


def test_without_mfa_in_the_token_an_officer_must_set_up_the_portals_code(
    world: World, idp, mps_sign_on, client: Client, settings
) -> None:
    settings.MFA_REQUIRED = True
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "claims", [{"amr": ["pwd", "mfa"]}, {"amr": ["hwk"]}, {"acr": "possessionorinherence"}]
)
def test_mfa_in_the_token_is_the_second_factor(
    world: World, idp, mps_sign_on, client: Client, settings, claims: dict
) -> None:
    settings.MFA_REQUIRED = True
    mps_sign_on.mfa_acr = "possessionorinherence"
    mps_sign_on.save()
    TOTP.activate(world.discloser, TOTP_SECRET)
    idp.add_account(
        "sub-discloser", email="discloser@example.gov.uk", email_verified=True, **claims
    )
    response = sso_sign_in(client, idp, "sub-discloser")
    assert response["Location"] == reverse("home")
    assert _signed_in_as(client) == world.discloser.pk
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN)
    assert event.details["second_factor"] == "identity provider"


def test_mfa_in_the_token_needs_no_portal_code_set_up(
    world: World, idp, mps_sign_on, client: Client, settings
) -> None:
    settings.MFA_REQUIRED = True
    idp.add_account(
        "sub-discloser", email="discloser@example.gov.uk", email_verified=True, amr=["mfa"]
    )
    sso_sign_in(client, idp, "sub-discloser")
    assert client.get(reverse("home")).status_code == 200


def test_an_amr_value_not_accepted_asks_for_the_code(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    mps_sign_on.mfa_amr = "hwk"
    mps_sign_on.save()
    TOTP.activate(world.discloser, TOTP_SECRET)
    idp.add_account(
        "sub-discloser", email="discloser@example.gov.uk", email_verified=True, amr=["mfa"]
    )
    assert sso_sign_in(client, idp, "sub-discloser")["Location"] == reverse("mfa_authenticate")


def test_an_expired_id_token_is_refused(world: World, idp, mps_sign_on, client: Client) -> None:
    """The provider's token lives an hour; the portal receives it two hours later."""
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    later = timezone.now() + datetime.timedelta(hours=2)
    response = sso_sign_in(client, idp, "sub-discloser", at=later)
    assert "did not work" in response.content.decode()
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert _failures()[-1]["reason"].startswith("provider error")


def test_idle_timeout_applies_to_single_sign_on(
    world: World, idp, mps_sign_on, client: Client, settings
) -> None:
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    assert client.get(reverse("home")).status_code == 200
    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    with time_machine.travel(later):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and _signed_in_as(client) is None


def test_a_disabled_provider_is_neither_offered_nor_usable(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Metropolitan Police Service's account" in page
    mps_sign_on.enabled = False
    mps_sign_on.save()
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with" not in page
    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": "agency-mps"}), {"process": "login"}
    )
    assert response.status_code == 404


def test_an_agency_may_stop_password_sign_in_for_its_officers(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    mps_sign_on.passwords_allowed = False
    mps_sign_on.save()
    response = client.post(
        reverse("account_login"), {"login": "discloser", "password": TEST_PASSWORD}
    )
    assert response.status_code == 403
    assert "sign in to ISP Portal with their organisation" in response.content.decode()
    assert _signed_in_as(client) is None
    assert _failures()[-1]["reason"] == "password sign-in not allowed for the agency"
    # Other agencies' officers keep their passwords; this agency's officers use the provider.
    client.post(reverse("account_login"), {"login": "requester", "password": TEST_PASSWORD})
    assert _signed_in_as(client) == world.requester.pk
    client.post(reverse("account_logout"))
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    assert _signed_in_as(client) == world.discloser.pk
