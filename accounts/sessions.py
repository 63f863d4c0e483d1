"""Session limits (ASVS 5.0 session management): an idle timeout and an absolute cap; and
how the session was signed in.

Both are checked on the server for every request, from two timestamps kept in the session,
so neither depends on the browser or on JavaScript.

The idle clock is written at most every ``SESSION_TOUCH_SECONDS`` (a minute at most): a page
opened within that time of the last recorded activity writes nothing, so most pages run no
query for the session but the read. The clock errs on the safe side: an officer is signed
out between ``SESSION_IDLE_SECONDS - SESSION_TOUCH_SECONDS`` and ``SESSION_IDLE_SECONDS``
after their last request, never later.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

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


def session_touch(request: HttpRequest, *, force: bool = False) -> bool:
    """The person did something: restart the idle clock (and start the absolute one) if
    the last recorded activity is older than ``SESSION_TOUCH_SECONDS``, or ``force`` (the
    "stay signed in" button). Returns whether the clock was written.

    When it is, the session's entry in the officer's list of sessions (allauth's
    ``UserSession``, which "sign out other sessions" ends) is brought up to date too: when
    last seen, from which address and browser. A session without one (made by Django's own
    ``login()``) gets one, so every live session can be listed and ended.
    """
    now = time.time()
    session = request.session
    last = session.get(LAST_ACTIVE_AT)
    if (
        not force
        and SIGNED_IN_AT in session
        and last is not None
        and now - last < settings.SESSION_TOUCH_SECONDS
    ):
        return False
    session.setdefault(SIGNED_IN_AT, now)
    session[LAST_ACTIVE_AT] = now
    _record_last_seen(request)
    return True


def _record_last_seen(request: HttpRequest) -> None:
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    if not request.session.session_key:
        request.session.save()
    user_agent = request.META.get("HTTP_USER_AGENT", "")[
        : UserSession._meta.get_field("user_agent").max_length
    ]
    updated = UserSession.objects.filter(
        session_key=request.session.session_key, user_id=request.user.pk
    ).update(
        last_seen_at=timezone.now(),
        ip=get_adapter().get_client_ip(request),
        user_agent=user_agent,
    )
    if not updated:
        UserSession.objects.create_from_request(request)


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
    records = get_authentication_records(request, user)
    methods = {record["method"] for record in records}
    if "mfa" in methods:
        return True
    second_factor_needed = settings.MFA_REQUIRED or is_mfa_enabled(user)
    return "password" in methods and not second_factor_needed


def session_second_factor_from_provider(request: HttpRequest) -> bool:
    """Whether this session signed in through an agency's identity provider whose token
    said a second factor was used (accounts.sso.stages records it)."""
    records = get_authentication_records(request, request.user)
    return any(r["method"] == "mfa" and r.get("type") == "idp" for r in records)
