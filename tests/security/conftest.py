import datetime
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.models import User
from requests_app.models import InformationRequest
from retention.services import retention_ends_on
from tests.factories import TEST_PASSWORD, UserFactory

TERMS_MIDDLEWARE = "accounts.middleware.TermsAcceptanceMiddleware"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD) -> object:
    """Sign in through the real form, as a person does (force_login skips the signals)."""
    return client.post(reverse("account_login"), {"login": username, "password": password})


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def root(settings: Settings) -> User:
    """A superuser with two-factor authentication set up, in production's configuration."""
    settings.MFA_REQUIRED = True
    user = UserFactory.create(username="root", agency=None, is_staff=True, is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


def sign_in_with_second_factor(client: Client, username: str) -> None:
    sign_in(client, username)
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert "_auth_user_id" in client.session


@pytest.fixture
def terms_required(settings: Settings) -> None:
    """The terms check as production runs it; the test settings turn it off."""
    settings.TERMS_REQUIRED = True
    if TERMS_MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("accounts.middleware.RequireMFAMiddleware") + 1, TERMS_MIDDLEWARE
        )
        settings.MIDDLEWARE = middleware


def day_after_retention(request: InformationRequest) -> datetime.date:
    """The first day the request is past its retention period."""
    ends = retention_ends_on(request)
    assert ends is not None, f"{request} has no retention period yet"
    return ends + datetime.timedelta(days=1)
