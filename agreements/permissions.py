"""Who may do what with agreements. One condition per line.

Agreements are not personal data, but drafts are not yet agreed: only the people who will
sign or oversee them see them (issue 4, "Who sees what").
"""

from accounts.models import Role, User
from agreements.models import IN_FORCE, Agreement, AgreementStatus

# Roles that see their agency's agreements while they are being prepared.
PREPARATION_ROLES = frozenset({Role.SIGNATORY, Role.SPOC, Role.DEPUTY_SPOC})
# Roles that act as the lead officer for agreements their agency leads (ISP 10).
LEAD_OFFICER_ROLES = frozenset({Role.SPOC, Role.DEPUTY_SPOC})


def is_administrator(user: User) -> bool:
    return user.is_active and (user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


def is_lead_officer(user: User, agreement: Agreement) -> bool:
    if is_administrator(user):
        return True
    if not user.is_active or user.agency_id is None:
        return False
    if agreement.lead_agency_id != user.agency_id:
        return False
    return bool(LEAD_OFFICER_ROLES & user.role_set)


def can_create(user: User) -> bool:
    if is_administrator(user):
        return True
    return (
        user.is_active and user.agency_id is not None and bool(LEAD_OFFICER_ROLES & user.role_set)
    )


def can_edit_draft(user: User, agreement: Agreement) -> bool:
    if agreement.status != AgreementStatus.DRAFT:
        return False
    return is_lead_officer(user, agreement)


def can_send_for_signature(user: User, agreement: Agreement) -> bool:
    return can_edit_draft(user, agreement)


def can_sign(
    user: User, agreement: Agreement, *, party_agency_ids: set[int], signed_agency_ids: set[int]
) -> bool:
    if not user.is_active or not user.has_role(Role.SIGNATORY):
        return False
    if agreement.status not in (AgreementStatus.AWAITING_SIGNATURES, *IN_FORCE):
        return False
    if user.agency_id not in party_agency_ids:
        return False
    return user.agency_id not in signed_agency_ids


def can_amend(user: User, agreement: Agreement) -> bool:
    if agreement.status not in (*IN_FORCE, AgreementStatus.EXPIRED):
        return False
    return is_lead_officer(user, agreement)


def can_amend_minor(user: User, agreement: Agreement) -> bool:
    if agreement.status not in IN_FORCE:
        return False
    return is_lead_officer(user, agreement)


def can_renew(user: User, agreement: Agreement) -> bool:
    return can_amend_minor(user, agreement)


def can_terminate(user: User, agreement: Agreement) -> bool:
    if agreement.status not in (AgreementStatus.AWAITING_SIGNATURES, *IN_FORCE):
        return False
    return is_lead_officer(user, agreement)


def can_apply_to_join(user: User) -> bool:
    if not user.is_active or user.agency_id is None:
        return False
    return bool((PREPARATION_ROLES | {Role.ADMINISTRATOR}) & user.role_set)


def can_decide_applications(user: User) -> bool:
    return is_administrator(user)


def sees_preparation(user: User) -> bool:
    return bool(PREPARATION_ROLES & user.role_set)
