"""Who may manage which officers. One condition per line."""

from accounts.models import Agency, Role, User


def can_manage_agency(actor: User, agency: Agency) -> bool:
    if not actor.is_active:
        return False
    if actor.has_role(Role.ADMINISTRATOR) or actor.is_superuser:
        return True
    if actor.agency_id != agency.pk:
        return False
    return actor.has_role(Role.SPOC) or actor.has_role(Role.DEPUTY_SPOC)


def can_manage_officer(actor: User, officer: User) -> bool:
    if officer.agency is None:
        return actor.is_superuser
    return can_manage_agency(actor, officer.agency)
