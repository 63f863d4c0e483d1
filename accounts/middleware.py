from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import terms_accepted, terms_current
from accounts.sessions import (
    session_expired_reason,
    session_second_factor_from_provider,
    session_touch,
)

# Pages an officer without two-factor authentication may still reach: setting it up,
# signing out, and static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/")
_TERMS_KEY = "portal_terms_accepted"

_ENDED_MESSAGES = {
    "idle": "You were signed out because you had not done anything for a while. "
    "Sign in again to carry on.",
    "limit": "You were signed out because you had been signed in for the longest time "
    "allowed. Sign in again to carry on.",
}


class RequireMFAMiddleware:
    """With MFA_REQUIRED on (the production default), every officer must set up TOTP first,
    unless this session's second factor was vouched for by their agency's identity provider
    (single sign-on, accounts.sso.stages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not session_second_factor_from_provider(request)
            and not _has_mfa(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_mfa(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SessionLimitsMiddleware:
    """End a session on the server after SESSION_IDLE_SECONDS without a request, or
    SESSION_MAX_SECONDS after sign-in, whichever comes first.

    Asking how long is left (a GET of the session status URL, which the timeout warning
    does) is not activity; anything else is. Activity is written at most every
    SESSION_TOUCH_SECONDS, except "stay signed in", which is always written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = session_expired_reason(request)
            if reason is not None:
                # The sign-out receiver records why in the audit event.
                request.portal_session_end_reason = reason  # type: ignore[attr-defined]
                logout(request)
                messages.info(request, _ENDED_MESSAGES[reason])
                return redirect_to_login(request.get_full_path())
            if request.path != reverse("accounts:session"):
                session_touch(request)
            elif request.method == "POST":
                session_touch(request, force=True)  # "stay signed in"
        return self.get_response(request)


class TermsAcceptanceMiddleware:
    """Every officer accepts the current terms of use (ISP 8.8) before using the portal:
    on first sign-in and again whenever a new version is published.

    Off when TERMS_REQUIRED is false (the test settings), so tests that are not about the
    terms sign in straight to the page they test.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TERMS_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and request.path != reverse("accounts:terms")
        ):
            version = terms_current()
            # Acceptance is looked up once per session and version, not on every request.
            if version is not None and request.session.get(_TERMS_KEY) != version.pk:
                if not terms_accepted(user=request.user, version=version):
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('accounts:terms')}?{query}")
                request.session[_TERMS_KEY] = version.pk
        return self.get_response(request)
