"""Session limits (ASVS 5.0 session management): an idle timeout and an absolute cap; and
how the session was signed in.

Both are checked on the server for every request, from two timestamps kept in the session,
so neither depends on the browser or on JavaScript.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest

SIGNED_IN_AT = "portal_signed_in_at"
LAST_ACTIVE_AT = "portal_last_active_at"


def session_expired_reason(request: HttpRequest) -> str | None:
    """``"idle"`` or ``"limit"`` when the signed-in session has run out, else None."""
    now = time.time()
    session = request.session
    if now - session.get(LAST_ACTIVE_AT, now) > settings.SESSION_IDLE_SECONDS:
        return "idle"
    if now - session.get(SIGNED_IN_AT, now) > settings.SESSION_MAX_SECONDS:
        return "limit"
    return None


def session_touch(request: HttpRequest) -> None:
    """The person did something: restart the idle clock (and start the absolute one)."""
    now = time.time()
    request.session.setdefault(SIGNED_IN_AT, now)
    request.session[LAST_ACTIVE_AT] = now


def session_expires_in(request: HttpRequest) -> int:
    """Seconds until the session ends if the person does nothing more."""
    now = time.time()
    session = request.session
    idle_left = settings.SESSION_IDLE_SECONDS - (now - session.get(LAST_ACTIVE_AT, now))
    cap_left = settings.SESSION_MAX_SECONDS - (now - session.get(SIGNED_IN_AT, now))
    return max(0, int(min(idle_left, cap_left)))


def session_can_be_extended(request: HttpRequest) -> bool:
    """Staying active only helps until the absolute cap."""
    now = time.time()
    elapsed = now - request.session.get(SIGNED_IN_AT, now)
    return settings.SESSION_MAX_SECONDS - elapsed > settings.SESSION_IDLE_SECONDS


def session_passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session was signed in through the portal's sign-in, with the second factor
    wherever one is required or set up. A session made any other way (Django's own
    ``login()``) has no record of how it was authenticated and does not pass."""
    user = request.user
    records = get_authentication_records(request, user)  # type: ignore[arg-type]
    methods = {record["method"] for record in records}
    if "mfa" in methods:
        return True
    second_factor_needed = settings.MFA_REQUIRED or is_mfa_enabled(user)  # type: ignore[arg-type]
    return "password" in methods and not second_factor_needed
