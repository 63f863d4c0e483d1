"""Who may give which role: every actor × every role × own or other agency, given, taken
away or taken by deactivating the officer.

The table here is the written policy (docs/security.md, "Roles and who may give them"),
stated independently of accounts.permissions.ROLE_GIVEN_BY, which must agree with it.
"""

from collections.abc import Callable, Collection
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import SINGLE_HOLDER_ROLES, Agency, OfficerRole, Role, User
from audit.models import AuditEvent, EventType
from tests.factories import UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db

# Who acts, by the role they hold: world user names.
ACTORS = {
    "requester": "requester",
    "discloser": "discloser",
    "dlo": "police_dlo",
    "designated_manager": "police_manager",
    "deputy": "police_deputy",
    "spoc": "police_spoc",
    "signatory": "police_signatory",
    "csp_lead": "csp_lead",
    "administrator": "administrator",
    "outsider": "outsider",
}

# The roles an agency's SPOC and deputy SPOC give their own agency's officers.
OPERATIONAL = {
    Role.REQUESTING_OFFICER,
    Role.DISCLOSING_OFFICER,
    Role.DLO,
    Role.DESIGNATED_MANAGER,
    Role.DEPUTY_SPOC,
}


def may_give(actor: str, role: str, own_agency: bool) -> bool:
    """The policy: who may give (and take away) a role from another, unprotected officer."""
    if actor == "administrator":
        return True
    if actor in {"spoc", "deputy"}:
        return own_agency and role in OPERATIONAL
    return False


def may_manage_protected(actor: str) -> bool:
    """Administrators, CSP leads and superusers are changed only by an administrator."""
    return actor == "administrator"


class _Undo(Exception):
    """Raised to roll a cell back, so every cell starts from the same world."""


def _attempt(actor: User, officer: User, roles: Collection[str]) -> bool:
    """Whether the change was made; a refusal must be PermissionDenied or ValidationError."""
    try:
        services.officer_set_roles(actor=actor, officer=officer, roles=roles)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _new_officer(agency: Agency, roles: Collection[str] = frozenset()) -> User:
    officer = UserFactory.create(agency=agency)
    for role in roles:
        OfficerRole.objects.create(user=officer, agency=agency, role=role)
    services._sync_groups(officer)
    return officer


def _free_post(agency: Agency, role: str, actor: User) -> None:
    """Another world officer may hold the agency's one SPOC or deputy post; the matrix is
    about who may give it, so the post is freed (unless the actor holds it)."""
    if role in SINGLE_HOLDER_ROLES:
        OfficerRole.objects.filter(agency=agency, role=role).exclude(user=actor).delete()


def _deactivate(actor: User, officer: User) -> bool:
    """Whether the officer was deactivated; a refusal must be PermissionDenied."""
    try:
        services.officer_deactivate(actor=actor, officer=officer)
    except PermissionDenied:
        return False
    officer.refresh_from_db()
    return not officer.is_active


def _held(officer: User) -> set[str]:
    return set(OfficerRole.objects.filter(user=officer).values_list("role", flat=True))


@pytest.mark.parametrize("actor_name", ACTORS)
def test_who_may_give_and_take_away_each_role(world: World, actor_name: str) -> None:
    actor = world.users[ACTORS[actor_name]]
    failures = []
    for own_agency, agency in ((True, actor.home_agency), (False, world.health)):
        for role in Role:
            expected = may_give(actor_name, role, own_agency)
            # Deactivating an officer takes all their roles away: the same rule applies.
            for direction, before, after in (
                ("give", set(), {role}),
                ("take away", {role}, set()),
                ("deactivate", {role}, set()),
            ):
                if role in SINGLE_HOLDER_ROLES and actor.has_role(role) and own_agency:
                    # The actor holds the agency's only post of this kind: it cannot be given
                    # to anyone else (one per agency), and nobody else holds it to lose it.
                    if direction != "give":
                        continue
                    expected = False
                try:
                    with transaction.atomic():
                        _free_post(agency, role, actor)
                        officer = _new_officer(agency, before)
                        if direction == "deactivate":
                            made = _deactivate(actor, officer)
                        else:
                            made = _attempt(actor, officer, after)
                        if made != expected or _held(officer) != (after if made else before):
                            failures.append(
                                f"{actor_name} {direction} {role} "
                                f"({'own' if own_agency else 'other'} agency): "
                                f"{'made' if made else 'refused'}"
                            )
                        raise _Undo
                except _Undo:
                    pass
    assert failures == []


@pytest.mark.parametrize("actor_name", ACTORS)
def test_officer_page_offers_only_the_roles_the_actor_may_give(
    world: World, client: Client, actor_name: str
) -> None:
    actor = world.users[ACTORS[actor_name]]
    client.force_login(actor)
    for own_agency, agency in ((True, actor.agency), (False, world.health)):
        officer = UserFactory.create(agency=agency)
        expected = {role for role in Role if may_give(actor_name, role, own_agency)}
        response = client.get(reverse("accounts:officer_edit", args=[officer.pk]))
        if not expected:
            assert response.status_code == 404, (actor_name, own_agency)
            continue
        offered = {value for value, _ in response.context["form"].fields["roles"].choices}
        assert offered == expected, (actor_name, own_agency)


@pytest.mark.parametrize("actor_name", ACTORS)
def test_nobody_changes_their_own_roles(world: World, actor_name: str) -> None:
    actor = world.users[ACTORS[actor_name]]
    held = set(actor.role_set)
    for wanted in (held | {Role.REQUESTING_OFFICER, Role.CSP_LEAD}, set()):
        with pytest.raises(PermissionDenied):
            services.officer_set_roles(actor=actor, officer=actor, roles=wanted)
    assert _held(actor) == held


def test_own_page_offers_no_roles_and_refuses_a_change(world: World, client: Client) -> None:
    spoc = world.police_spoc
    client.force_login(spoc)
    url = reverse("accounts:officer_edit", args=[spoc.pk])
    page = client.get(url)
    assert page.context["form"].fields["roles"].choices == []
    assert "You cannot change your own roles" in page.content.decode()

    response = client.post(
        url,
        {
            "username": spoc.username,
            "first_name": spoc.first_name,
            "last_name": spoc.last_name,
            "email": spoc.email,
            "position": spoc.position,
            "roles": [Role.CSP_LEAD],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert _held(spoc) == {Role.SPOC}


def _protected_targets(world: World, actor: User) -> dict[str, User]:
    """An administrator, a CSP lead and a superuser at the actor's own agency."""
    agency = actor.home_agency
    return {
        "administrator": _new_officer(agency, {Role.ADMINISTRATOR}),
        "CSP lead": _new_officer(agency, {Role.CSP_LEAD}),
        "superuser": UserFactory.create(agency=agency, is_superuser=True, is_staff=True),
    }


@pytest.mark.parametrize("actor_name", ACTORS)
def test_only_an_administrator_changes_or_deactivates_an_administrator_or_csp_lead(
    world: World, actor_name: str
) -> None:
    actor = world.users[ACTORS[actor_name]]
    expected = may_manage_protected(actor_name)
    targets = _protected_targets(world, actor)
    failures = []
    for label, target in targets.items():
        held = _held(target)
        changes: dict[str, Callable[[], object]] = {
            "give signatory": partial(
                services.officer_set_roles,
                actor=actor,
                officer=target,
                roles=held | {Role.SIGNATORY},
            ),
            "take every role": partial(
                services.officer_set_roles, actor=actor, officer=target, roles=set()
            ),
            "change details": partial(
                services.officer_update, actor=actor, officer=target, phone="0000"
            ),
            "sign out": partial(services.officer_sessions_end, actor=actor, officer=target),
            "deactivate": partial(services.officer_deactivate, actor=actor, officer=target),
        }
        for change, attempt in changes.items():
            try:
                with transaction.atomic():
                    try:
                        attempt()
                    except PermissionDenied:
                        made = False
                    else:
                        made = True
                    if made != expected:
                        failures.append(
                            f"{actor_name} could {'' if made else 'not '}{change} {label}"
                        )
                    raise _Undo
            except _Undo:
                pass
    assert failures == []


def test_spoc_gets_404_on_the_page_of_their_agencys_csp_lead_and_administrator(
    world: World, client: Client
) -> None:
    client.force_login(world.council_spoc)
    for officer in (world.csp_lead, world.administrator):
        for url_name in ("accounts:officer_edit", "accounts:officer_deactivate"):
            assert client.post(reverse(url_name, args=[officer.pk])).status_code == 404
        officer.refresh_from_db()
        assert officer.is_active
    assert _held(world.csp_lead) == {Role.CSP_LEAD}
    assert _held(world.administrator) == {Role.ADMINISTRATOR}


def test_administrator_holds_no_role_that_opens_request_content(world: World) -> None:
    other_admin = _new_officer(world.council, {Role.ADMINISTRATOR})
    for role in (Role.DISCLOSING_OFFICER, Role.REQUESTING_OFFICER, Role.DLO, Role.SPOC):
        with pytest.raises(ValidationError, match="administrators never see"):
            services.officer_set_roles(
                actor=world.administrator, officer=other_admin, roles={Role.ADMINISTRATOR, role}
            )
    with pytest.raises(ValidationError, match="administrators never see"):
        services.officer_set_roles(
            actor=world.administrator,
            officer=world.discloser,
            roles={Role.DISCLOSING_OFFICER, Role.ADMINISTRATOR},
        )
    assert _held(other_admin) == {Role.ADMINISTRATOR}
    assert _held(world.discloser) == {Role.DISCLOSING_OFFICER}


def test_administrator_is_told_beside_the_roles_why_an_administrator_cannot_disclose(
    world: World, client: Client
) -> None:
    officer = world.discloser
    client.force_login(world.administrator)

    response = client.post(
        reverse("accounts:officer_edit", args=[officer.pk]),
        {
            "username": officer.username,
            "first_name": officer.first_name,
            "last_name": officer.last_name,
            "email": officer.email,
            "position": officer.position,
            "roles": [Role.DISCLOSING_OFFICER, Role.ADMINISTRATOR],
        },
    )

    assert response.status_code == 200
    assert "administrators never see" in " ".join(response.context["form"].errors["roles"])
    assert _held(officer) == {Role.DISCLOSING_OFFICER}


def test_spoc_keeps_roles_only_an_administrator_gives(world: World, client: Client) -> None:
    officer = world.police_signatory
    client.force_login(world.police_spoc)
    url = reverse("accounts:officer_edit", args=[officer.pk])
    assert "only an administrator can change" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "username": officer.username,
            "first_name": officer.first_name,
            "last_name": officer.last_name,
            "email": officer.email,
            "position": officer.position,
            "roles": [Role.DLO],
        },
    )

    assert response.status_code == 302
    assert _held(officer) == {Role.SIGNATORY, Role.DLO}
    event = AuditEvent.objects.get(event_type=EventType.ROLES_CHANGED)
    assert event.details["before"] == [Role.SIGNATORY]
    assert event.details["after"] == [Role.DLO, Role.SIGNATORY]


def _officer_list_queries(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:officers"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_officer_list_links_only_officers_the_spoc_may_change(world: World, client: Client) -> None:
    client.force_login(world.council_spoc)
    client.get(reverse("accounts:officers"))
    before, html = _officer_list_queries(client)
    for url_name in ("accounts:officer_edit", "accounts:officer_deactivate"):
        assert reverse(url_name, args=[world.council_colleague.pk]) in html
        for protected in (world.csp_lead, world.administrator):
            assert reverse(url_name, args=[protected.pk]) not in html

    for _ in range(5):
        _new_officer(world.council, {Role.CSP_LEAD, Role.SIGNATORY})
    after, html = _officer_list_queries(client)

    # One query for the officers with their agency and one for all their roles, however many.
    assert after == before
    assert html.count("changed by an administrator") == 7
