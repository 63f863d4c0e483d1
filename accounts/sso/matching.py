"""Which portal account a sign-in through an agency's provider belongs to.

Nobody gets an account or a role by signing in. A sign-in is let in only to an existing,
active account of the provider's own agency: the account already linked to the provider's
subject (``sub``), or, the first time, the one account of that agency with the same
verified email address in one of the agency's domains, which is then linked.
"""

from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.models import SocialAccount

from accounts.models import User
from accounts.sso.claims import verified_email
from accounts.sso.models import AgencySignOn


class Refusal:
    """Why a sign-in was refused (recorded in the audit log: no personal data)."""

    NOT_CONFIGURED = "provider not configured"
    NOT_LINKED = "no portal account"
    UNVERIFIED = "email not verified"
    DOMAIN = "email domain not allowed"
    AMBIGUOUS = "more than one account with the email"
    LINKED_ELSEWHERE = "account linked to another identity"
    DEACTIVATED = "account deactivated"
    OTHER_AGENCY = "account of another agency"
    AGENCY_LEFT = "agency left the protocol"
    CONNECT = "connecting accounts is not offered"


@dataclass(frozen=True)
class Match:
    user: User | None = None
    link: bool = False  # first sign-in: link the provider's subject to ``user``
    refusal: str | None = None


def sso_match(
    *, sign_on: AgencySignOn | None, linked_user: User | None, extra_data: dict[str, Any]
) -> Match:
    """``linked_user``: the account already linked to this provider and subject, if any."""
    if sign_on is None or not sign_on.enabled:
        return Match(refusal=Refusal.NOT_CONFIGURED)
    if sign_on.agency.left_on is not None:
        return Match(refusal=Refusal.AGENCY_LEFT)
    if linked_user is not None:
        return _checked(linked_user, sign_on, link=False)
    email = verified_email(extra_data)
    if email is None:
        return Match(refusal=Refusal.UNVERIFIED)
    if email.rsplit("@", 1)[1].lower() not in sign_on.domains:
        return Match(refusal=Refusal.DOMAIN)
    candidates = list(
        User.objects.filter(agency=sign_on.agency, email__iexact=email).select_related("agency")[:2]
    )
    if not candidates:
        return Match(refusal=Refusal.NOT_LINKED)
    if len(candidates) > 1:
        return Match(refusal=Refusal.AMBIGUOUS)
    user = candidates[0]
    if SocialAccount.objects.filter(user=user, provider=sign_on.provider_id).exists():
        # The account is linked to another subject at this provider: an address given to
        # someone else later must not take over the account.
        return Match(user=user, refusal=Refusal.LINKED_ELSEWHERE)
    return _checked(user, sign_on, link=True)


def _checked(user: User, sign_on: AgencySignOn, *, link: bool) -> Match:
    if user.agency_id != sign_on.agency_id:
        return Match(user=user, refusal=Refusal.OTHER_AGENCY)
    if not user.is_active:
        return Match(user=user, refusal=Refusal.DEACTIVATED)
    return Match(user=user, link=link)
