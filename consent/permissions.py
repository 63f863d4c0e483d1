"""Who may do what with consent records. Seeing a record at all is need to know, decided
by ``consent.selectors.consents_visible_to``; these are the actions on top of that."""

from accounts.models import Role, User
from consent.models import ConsentRecord, ConsentStatus, WithdrawalNotice

# Officers of the disclosing agency who act on a withdrawal reaching its requests.
REVIEWER_ROLES = frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC, Role.DLO})


def can_record(user: User) -> bool:
    return (
        user.is_authenticated
        and user.agency_id is not None
        and user.has_role(Role.REQUESTING_OFFICER)
    )


def can_withdraw(user: User, consent: ConsentRecord) -> bool:
    """Anyone who may see a given consent may record that it was withdrawn: the person
    may tell any officer working with them."""
    return consent.status == ConsentStatus.GIVEN


def can_review_withdrawals(user: User) -> bool:
    return (
        user.is_authenticated
        and user.agency_id is not None
        and bool(REVIEWER_ROLES & user.role_set)
    )


def can_review_notice(user: User, notice: WithdrawalNotice) -> bool:
    return (
        can_review_withdrawals(user)
        and notice.request.target_agency_id == user.agency_id
        and notice.reviewed_at is None
    )
