"""Single sign-on writes, each in one transaction with its audit event. No personal data
goes into the events: the agency's code, the reason, and the officer as the actor where
there is one."""

from typing import Any

from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.http import HttpRequest

from accounts.encryption import secret_encrypt
from accounts.models import User
from accounts.sso.models import AgencySignOn
from audit.models import EventType, Outcome
from audit.services import audit_record

# The fields whose change is named in the audit event (never their values: the secret is
# never shown, and the rest are in the admin).
_SETTINGS = [
    "enabled",
    "passwords_allowed",
    "issuer",
    "client_id",
    "email_domains",
    "mfa_amr",
    "mfa_acr",
]


@transaction.atomic
def sign_on_save(
    *,
    actor: User,
    sign_on: AgencySignOn,
    client_secret: str | None,
    changed: list[str],
    http_request: HttpRequest | None = None,
) -> AgencySignOn:
    """Create or change an agency's settings. ``client_secret`` None keeps the stored one."""
    created = sign_on.pk is None
    if client_secret:
        sign_on.client_secret_encrypted = secret_encrypt(client_secret)
    sign_on.full_clean(exclude=["client_secret_encrypted", "provider_id"])
    sign_on.save()
    names = [name for name in _SETTINGS if name in changed]
    if client_secret:
        names.append("client_secret")
    audit_record(
        event_type=EventType.SSO_SETTINGS_CHANGED,
        actor=actor,
        http_request=http_request,
        obj=sign_on.agency,
        details={
            "agency": sign_on.agency.code,
            "change": "added" if created else "changed",
            "fields": names,
        },
    )
    return sign_on


@transaction.atomic
def sign_on_delete(
    *, actor: User, sign_on: AgencySignOn, http_request: HttpRequest | None = None
) -> None:
    """The agency's officers sign in with passwords again; their links are kept, unused."""
    agency = sign_on.agency
    sign_on.delete()
    audit_record(
        event_type=EventType.SSO_SETTINGS_CHANGED,
        actor=actor,
        http_request=http_request,
        obj=agency,
        details={"agency": agency.code, "change": "removed"},
    )


@transaction.atomic
def sso_link(*, sign_on: AgencySignOn, user: User, account: Any, http_request: HttpRequest) -> bool:
    """Link the provider's subject (``account``, an unsaved allauth SocialAccount) to the
    officer on their first sign-in. Checked again under a lock on the officer: returns False
    (nothing linked) if they were deactivated or linked meanwhile."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if (
        not locked.is_active
        or SocialAccount.objects.filter(user=locked, provider=sign_on.provider_id).exists()
    ):
        return False
    account.user = locked
    account.save()
    audit_record(
        event_type=EventType.SSO_LINKED,
        actor=user,
        http_request=http_request,
        obj=user,
        details={"agency": sign_on.agency.code, "provider": sign_on.provider_id},
    )
    return True


def sso_refused(
    *, http_request: HttpRequest, provider_id: str, reason: str, user: User | None = None
) -> None:
    """A sign-in through a provider that the portal refused, or that failed."""
    details = {"method": "single sign-on", "provider": provider_id[:60], "reason": reason}
    if user is not None:
        details["username"] = user.username
    with transaction.atomic():
        audit_record(
            event_type=EventType.SIGN_IN_FAILED,
            actor=user,
            http_request=http_request,
            outcome=Outcome.DENIED,
            details=details,
        )
