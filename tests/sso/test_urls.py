"""The single sign-on URLs (allauth's ``openid_connect_login`` and ``_callback``): what a
stranger, a forged answer and a signed-in officer get from them."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType
from tests.factories import TEST_PASSWORD
from tests.sso.conftest import configure_sign_on, sso_sign_in
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("http_issuer")]


@pytest.fixture
def mps_sign_on(world: World, idp):
    return configure_sign_on(world.police, idp.issuer, actor=world.administrator)


def _start() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": "agency-mps"})


def test_starting_needs_a_post_with_a_csrf_token(mps_sign_on) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(_start(), {"process": "login"}).status_code == 403
    # A link alone does not start a sign-in: the page asks to continue, with a form.
    page = client.get(_start())
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()


def test_the_sign_in_pages_may_post_to_the_provider_and_are_not_cached(
    mps_sign_on, idp, client: Client
) -> None:
    for url in (reverse("account_login"), _start()):
        response = client.get(url)
        assert f"form-action 'self' {idp.issuer}" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
    elsewhere = client.get(reverse("accessibility"))
    assert idp.issuer not in elsewhere["Content-Security-Policy"]


def test_an_unknown_provider_is_not_found(mps_sign_on, client: Client) -> None:
    url = reverse("openid_connect_login", kwargs={"provider_id": "agency-lfb"})
    assert client.post(url, {"process": "login"}).status_code == 404


def test_a_callback_with_a_made_up_state_is_refused_and_audited(
    mps_sign_on, client: Client
) -> None:
    url = reverse("openid_connect_callback", kwargs={"provider_id": "agency-mps"})
    response = client.get(url, {"code": "made-up", "state": "made-up"})
    assert "did not work" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.details["reason"].startswith("provider error")


def test_a_signed_in_officer_cannot_connect_another_identity(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    client.force_login(world.requester)
    idp.add_account("sub-other", email="discloser@example.gov.uk", email_verified=True)
    response = sso_sign_in(client, idp, "sub-other", process="connect")
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.details["reason"] == "connecting accounts is not offered"


def test_without_any_provider_the_sign_in_page_is_as_before(world: World, client: Client) -> None:
    page = client.get(reverse("account_login"))
    assert "organisation" not in page.content.decode()
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"


def test_an_officer_sees_and_may_remove_their_link(
    world: World, idp, mps_sign_on, client: Client
) -> None:
    idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    sso_sign_in(client, idp, "sub-discloser")
    page = client.get(reverse("socialaccount_connections"))
    assert "Metropolitan Police Service" in page.content.decode()
    assert "Add a" not in page.content.decode()
    link = SocialAccount.objects.get()
    # Removing it asks for the password again, as any change to how one signs in does.
    response = client.post(reverse("socialaccount_connections"), {"account": link.pk})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.post(reverse("socialaccount_connections"), {"account": link.pk})
    assert not SocialAccount.objects.exists()
    event = AuditEvent.objects.filter(event_type=EventType.SSO_LINKED).exclude(
        details__change__isnull=True
    )
    assert [e.details for e in event] == [{"provider": "agency-mps", "change": "removed"}]
