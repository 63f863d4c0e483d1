"""Re-authentication for account changes, one-time TOTP codes, common passwords refused."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.security.conftest import sign_in
from tests.world import World

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
COMMON_PASSWORD = "1qaz2wsx3edc"  # in Django's list of common passwords, 12 characters


def _authenticated_long_ago(client: Client) -> None:
    """Sign-in counts as recent authentication for ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    session = client.session
    for method in session["account_authentication_methods"]:
        method["at"] -= 3600
    session.save()


def _current_code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


def test_adding_an_email_address_asks_for_the_password_again(world: World, client: Client) -> None:
    sign_in(client, "requester")
    _authenticated_long_ago(client)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "elsewhere@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(
        user=world.requester, email="elsewhere@example.com"
    ).exists()


def test_setting_up_two_factor_asks_for_the_password_again(world: World, client: Client) -> None:
    sign_in(client, "requester")
    _authenticated_long_ago(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_removing_two_factor_asks_for_the_password_again(world: World, client: Client) -> None:
    TOTP.activate(world.requester, SECRET)
    sign_in(client, "requester")
    client.post(reverse("mfa_authenticate"), {"code": _current_code()})
    _authenticated_long_ago(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=world.requester).exists()


def test_changing_the_password_needs_the_current_password(world: World, client: Client) -> None:
    sign_in(client, "requester")
    new = "a-long-and-unusual-passphrase-77"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password", "password1": new, "password2": new},
    )
    assert response.status_code == 200
    world.requester.refresh_from_db()
    assert world.requester.check_password(TEST_PASSWORD)


def test_a_totp_code_works_only_once(world: World) -> None:
    TOTP.activate(world.requester, SECRET)
    code = _current_code()
    first = Client()
    sign_in(first, "requester")
    response = first.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200

    replay = Client()
    sign_in(replay, "requester")
    response = replay.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert "_auth_user_id" not in replay.session


def test_a_common_password_is_refused_on_change(world: World, client: Client) -> None:
    sign_in(client, "requester")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": COMMON_PASSWORD, "password2": COMMON_PASSWORD},
    )
    assert response.status_code == 200
    assert b"This password is too common." in response.content
    world.requester.refresh_from_db()
    assert world.requester.check_password(TEST_PASSWORD)


def test_a_common_password_is_refused_on_reset(
    world: World, client: Client, mailoutbox: list
) -> None:
    client.post(reverse("account_reset_password"), {"email": world.requester.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]

    response = client.post(form_url, {"password1": COMMON_PASSWORD, "password2": COMMON_PASSWORD})

    assert response.status_code == 200
    assert b"This password is too common." in response.content
    world.requester.refresh_from_db()
    assert world.requester.check_password(TEST_PASSWORD)
