import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

TERMS_MIDDLEWARE = "accounts.middleware.TermsAcceptanceMiddleware"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD) -> object:
    """Sign in through the real form, as a person does (force_login skips the signals)."""
    return client.post(reverse("account_login"), {"login": username, "password": password})


@pytest.fixture
def terms_required(settings: object) -> None:
    """The terms check as production runs it; the test settings turn it off."""
    settings.TERMS_REQUIRED = True  # type: ignore[attr-defined]
    if TERMS_MIDDLEWARE not in settings.MIDDLEWARE:  # type: ignore[attr-defined]
        middleware = list(settings.MIDDLEWARE)  # type: ignore[attr-defined]
        middleware.insert(
            middleware.index("accounts.middleware.RequireMFAMiddleware") + 1, TERMS_MIDDLEWARE
        )
        settings.MIDDLEWARE = middleware  # type: ignore[attr-defined]
