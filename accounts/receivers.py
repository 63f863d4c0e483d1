"""Sign-in, sign-out and MFA events go to the audit log. Receivers only record."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import User
from audit.models import EventType, Outcome
from audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(event_type=EventType.SIGN_IN, actor=user, http_request=request)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # Only the username typed is kept, never the password.
    audit_record(
        event_type=EventType.SIGN_IN_FAILED,
        http_request=request,
        outcome=Outcome.DENIED,
        details={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(authentication_failed)
def _second_factor_failed(
    sender: Any, request: Any, user: User, reauthentication: bool = False, **kwargs: Any
) -> None:
    """A wrong two-factor code, at sign-in or when asked again before an account change."""
    audit_record(
        event_type=EventType.SIGN_IN_FAILED,
        actor=user,
        http_request=request,
        outcome=Outcome.DENIED,
        details={
            "username": user.username,
            "reason": "second factor again" if reauthentication else "second factor",
        },
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        # Set by SessionLimitsMiddleware when the portal, not the person, ended the session.
        reason = getattr(request, "portal_session_end_reason", None)
        audit_record(
            event_type=EventType.SIGN_OUT,
            actor=user,
            http_request=request,
            details={"reason": reason} if reason else None,
        )


@receiver(password_changed)
@receiver(password_reset)
def _password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(event_type=EventType.PASSWORD_CHANGED, actor=user, http_request=request)


_MFA_CHANGES = {authenticator_added: "added", authenticator_removed: "removed"}


@receiver(authenticator_added)
@receiver(authenticator_removed)
@receiver(authenticator_reset)
def _mfa_changed(sender: Any, request: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
    audit_record(
        event_type=EventType.MFA_CHANGED,
        actor=user,
        http_request=request,
        details={
            "authenticator": str(authenticator.type),
            "change": _MFA_CHANGES.get(kwargs["signal"], "reset"),
        },
    )
