"""Who may manage which officers, and who may give which role. One condition per line.

``ROLE_GIVEN_BY`` is the one written table of who gives and takes away each role; the
services consult it, the forms offer only what it allows, and docs/security.md ("Roles and
who may give them") and tests/accounts/test_role_matrix.py state the same table.
"""

from dataclasses import dataclass

from accounts.models import Agency, Role, User

# The kinds of people who give roles: the SPOC or deputy SPOC of the officer's own agency
# (the people who already manage that agency's officers), and administrators.
AGENCY_SPOC = "agency_spoc"
ADMINISTRATOR = "administrator"

ROLE_GIVEN_BY: dict[str, frozenset[str]] = {
    Role.REQUESTING_OFFICER: frozenset({AGENCY_SPOC, ADMINISTRATOR}),
    Role.DISCLOSING_OFFICER: frozenset({AGENCY_SPOC, ADMINISTRATOR}),
    Role.DLO: frozenset({AGENCY_SPOC, ADMINISTRATOR}),
    Role.DESIGNATED_MANAGER: frozenset({AGENCY_SPOC, ADMINISTRATOR}),
    Role.DEPUTY_SPOC: frozenset({AGENCY_SPOC, ADMINISTRATOR}),
    Role.SIGNATORY: frozenset({ADMINISTRATOR}),
    Role.SPOC: frozenset({ADMINISTRATOR}),
    Role.CSP_LEAD: frozenset({ADMINISTRATOR}),
    Role.ADMINISTRATOR: frozenset({ADMINISTRATOR}),
}

# Roles that open request content (need-to-know permissions or the agency's inbox). An
# administrator manages accounts and never reads requests, so holds none of them.
CONTENT_ROLES = frozenset(
    {
        Role.REQUESTING_OFFICER,
        Role.DISCLOSING_OFFICER,
        Role.DLO,
        Role.DESIGNATED_MANAGER,
        Role.SPOC,
        Role.DEPUTY_SPOC,
    }
)

# Officers whom only an administrator may change, deactivate or sign out: the people who
# oversee the partnership and the people who could undo any other change.
PROTECTED_ROLES = frozenset({Role.ADMINISTRATOR, Role.CSP_LEAD})


def is_administrator(user: User) -> bool:
    return user.is_active and (user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


def is_agency_spoc(actor: User, agency: Agency | None) -> bool:
    if agency is None or actor.agency_id != agency.pk:
        return False
    return actor.has_role(Role.SPOC) or actor.has_role(Role.DEPUTY_SPOC)


def is_protected(officer: User) -> bool:
    return officer.is_superuser or bool(officer.role_set & PROTECTED_ROLES)


def can_manage_agency(actor: User, agency: Agency) -> bool:
    if not actor.is_active:
        return False
    if is_administrator(actor):
        return True
    return is_agency_spoc(actor, agency)


def can_manage_officer(actor: User, officer: User) -> bool:
    if officer.agency is None:
        return actor.is_active and actor.is_superuser
    if is_protected(officer) and not is_administrator(actor):
        return False
    return can_manage_agency(actor, officer.agency)


def _givers(actor: User, officer: User) -> frozenset[str]:
    kinds = set()
    if is_administrator(actor):
        kinds.add(ADMINISTRATOR)
    if actor.is_active and is_agency_spoc(actor, officer.agency):
        kinds.add(AGENCY_SPOC)
    return frozenset(kinds)


def roles_givable(actor: User, officer: User) -> frozenset[str]:
    """The roles ``actor`` may give ``officer`` or take from them. Nobody changes their own."""
    if officer.pk is not None and actor.pk == officer.pk:
        return frozenset()
    if not can_manage_officer(actor, officer):
        return frozenset()
    givers = _givers(actor, officer)
    return frozenset(role for role, given_by in ROLE_GIVEN_BY.items() if given_by & givers)


def roles_kept_from(actor: User, officer: User) -> frozenset[str]:
    """The roles ``officer`` holds that ``actor`` may not take away. Deactivating takes every
    role away, so only someone who may take away all of them deactivates an officer."""
    return officer.role_set - roles_givable(actor, officer)


@dataclass(frozen=True)
class RoleProblem:
    """Why the role table refuses a change of roles. ``refused`` when this person may not
    make it (someone else may); otherwise the roles asked for may not be held together."""

    message: str
    refused: bool


def role_change_problem(
    actor: User, officer: User, old: set[str], new: set[str]
) -> RoleProblem | None:
    """Why ``actor`` may not change ``officer``'s roles from ``old`` to ``new``, in words
    for the person making the change; None when the table allows it. The services raise it
    and the officer import lists it, so both say the same thing."""
    if officer.pk is not None and officer.pk == actor.pk and old != new:
        return RoleProblem("You cannot change your own roles. Ask an administrator", True)
    if officer.pk is not None and not can_manage_officer(actor, officer):
        return RoleProblem(f"Only an administrator can change {officer}", True)
    refused = (old ^ new) - roles_givable(actor, officer)
    if refused:
        return RoleProblem(f"You cannot give or remove these roles: {_labels(refused)}", True)
    content = new & CONTENT_ROLES
    if content and (Role.ADMINISTRATOR in new or officer.is_superuser):
        return RoleProblem(
            f"An administrator cannot also hold {_labels(content)}: those roles open request "
            "content, which administrators never see. Give them to someone else, or remove "
            "the administrator role first",
            False,
        )
    return None


def _labels(roles: set[str] | frozenset[str]) -> str:
    return ", ".join(Role(r).label for r in sorted(roles))
