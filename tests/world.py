"""One shared world of agencies and officers, one per role, used by every permission test."""

from dataclasses import dataclass, field

from accounts.models import Agency, AgencyKind, OfficerRole, Role, User
from accounts.services import role_group
from requests_app.models import Decision, InformationRequest
from tests.factories import AgencyFactory, UserFactory


@dataclass
class World:
    council: Agency
    police: Agency
    fire: Agency
    health: Agency
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


# name: (agency attribute, roles)
OFFICERS: dict[str, tuple[str, list[str]]] = {
    "requester": ("council", [Role.REQUESTING_OFFICER]),
    "council_spoc": ("council", [Role.SPOC]),
    "council_deputy": ("council", [Role.DEPUTY_SPOC]),
    "council_dlo": ("council", [Role.DLO]),
    "council_colleague": ("council", [Role.REQUESTING_OFFICER]),
    "discloser": ("police", [Role.DISCLOSING_OFFICER]),
    "discloser2": ("police", [Role.DISCLOSING_OFFICER]),
    "police_spoc": ("police", [Role.SPOC]),
    "police_deputy": ("police", [Role.DEPUTY_SPOC]),
    "police_dlo": ("police", [Role.DLO]),
    "police_manager": ("police", [Role.DESIGNATED_MANAGER]),
    "police_signatory": ("police", [Role.SIGNATORY]),
    "police_colleague": ("police", [Role.REQUESTING_OFFICER]),
    "council_signatory": ("council", [Role.SIGNATORY]),
    "health_caldicott": ("health", [Role.DESIGNATED_MANAGER]),
    "csp_lead": ("council", [Role.CSP_LEAD]),
    "administrator": ("council", [Role.ADMINISTRATOR]),
    "outsider": ("fire", [Role.REQUESTING_OFFICER]),
}


def build_world() -> World:
    world = World(
        council=AgencyFactory.create(
            code="LBH", name="London Borough of Haringey", kind=AgencyKind.COUNCIL
        ),
        police=AgencyFactory.create(
            code="MPS", name="Metropolitan Police Service", kind=AgencyKind.POLICE
        ),
        fire=AgencyFactory.create(code="LFB", name="London Fire Brigade", kind=AgencyKind.FIRE),
        health=AgencyFactory.create(
            code="BEH", name="BEH Mental Health Trust", kind=AgencyKind.HEALTH
        ),
    )
    for name, (agency_attr, roles) in OFFICERS.items():
        agency = getattr(world, agency_attr)
        user = UserFactory.create(
            username=name, agency=agency, first_name=name.title(), last_name="Tester"
        )
        # Bulk inserts send no signals, so the receivers that audit role and group changes
        # made outside the services stay quiet and every test starts with an empty chain.
        OfficerRole.objects.bulk_create(
            OfficerRole(user=user, agency=agency, role=role) for role in roles
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user=user, group=role_group(agency=agency, role=role))
            for role in roles
        )
        user._role_set = frozenset(roles)
        world.users[name] = user
    return world


def ref(request: InformationRequest | None) -> str:
    """The request's reference, which a test expects it to have (a draft has none)."""
    if request is None or not request.reference:
        raise AssertionError(f"{request} has no reference")
    return request.reference


def request_of(decision: Decision) -> InformationRequest:
    """The request a decision answers (a disclosure recorded without one has none)."""
    if decision.request is None:
        raise AssertionError(f"decision {decision.pk} answers no request")
    return decision.request
