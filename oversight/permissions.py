"""Who may see which part of the audit: one condition per line."""

from accounts.models import AGENCY_OVERSIGHT_ROLES, Role, User
from oversight.models import Breach

OVERSIGHT_ROLES = frozenset({Role.CSP_LEAD, Role.ADMINISTRATOR})


def is_overseer(user: User) -> bool:
    """CSP leads and administrators: every agency's figures and logs, depersonalised."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(OVERSIGHT_ROLES & user.role_set)


def oversees_own_agency(user: User) -> bool:
    """A SPOC or deputy: their own agency's part of the register, log and breaches."""
    if not user.is_active or user.agency_id is None:
        return False
    return bool(AGENCY_OVERSIGHT_ROLES & user.role_set)


def can_see_register(user: User) -> bool:
    return is_overseer(user) or oversees_own_agency(user)


def can_see_dashboard(user: User) -> bool:
    return is_overseer(user)


def can_see_access_log(user: User) -> bool:
    return is_overseer(user) or oversees_own_agency(user)


def can_report_breach(user: User) -> bool:
    if not user.is_active:
        return False
    return user.agency_id is not None


def can_decide_breach(user: User, breach: Breach) -> bool:
    if not oversees_own_agency(user):
        return False
    return breach.owning_agency_id == user.agency_id
