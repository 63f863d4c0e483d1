"""Every change to roles, groups and permissions leaves an event in the audit chain, whatever
path made it, and Django admin edits none of them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerRole, Role
from audit.models import AuditEvent, EventType
from tests.factories import UserFactory
from tests.security.conftest import sign_in
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def since(world: World) -> int:
    """The last event before the test acts."""
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def _events_since(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def test_adding_a_group_in_a_shell_is_audited(world: World, since: int) -> None:
    world.administrator.groups.add(Group.objects.get(name="MPS:discloser"))

    [event] = _events_since(since)
    assert event.event_type == EventType.GROUPS_CHANGED
    assert event.object_id == str(world.administrator.pk)
    assert event.details == {
        "officer": "administrator",
        "field": "groups",
        "added": ["MPS:discloser"],
        "removed": [],
        "before": ["LBH:administrator"],
        "after": ["LBH:administrator", "MPS:discloser"],
    }


def test_adding_a_member_from_the_groups_side_is_audited(world: World, since: int) -> None:
    Group.objects.get(name="MPS:discloser").user_set.add(world.csp_lead, world.outsider)

    events = _events_since(since)
    assert {e.details["officer"] for e in events} == {"csp_lead", "outsider"}
    assert {e.event_type for e in events} == {EventType.GROUPS_CHANGED}
    assert all(e.details["added"] == ["MPS:discloser"] for e in events)


def test_making_an_officer_staff_or_superuser_in_a_shell_is_audited(
    world: World, since: int
) -> None:
    officer = world.discloser
    officer.is_staff = True
    officer.is_superuser = True
    officer.save()

    events = _events_since(since)
    assert [(e.event_type, e.details["field"], e.details["added"]) for e in events] == [
        (EventType.GROUPS_CHANGED, "is_staff", ["is_staff"]),
        (EventType.GROUPS_CHANGED, "is_superuser", ["is_superuser"]),
    ]
    assert {e.object_id for e in events} == {str(officer.pk)}


def test_createsuperuser_is_audited(world: World, since: int) -> None:
    call_command(
        "createsuperuser",
        username="newroot",
        email="root@example.gov.uk",
        interactive=False,
        verbosity=0,
    )

    fields = {e.details["field"] for e in _events_since(since) if e.details["officer"] == "newroot"}
    assert fields == {"is_staff", "is_superuser"}


def test_saving_other_fields_records_no_access_change(world: World, since: int) -> None:
    officer = world.discloser
    officer.save(update_fields=["last_login"])
    officer.position = "Analyst"
    officer.save()

    assert _events_since(since) == []


def test_removing_and_clearing_groups_are_audited(world: World, since: int) -> None:
    world.discloser.groups.remove(Group.objects.get(name="MPS:discloser"))
    world.police_spoc.groups.clear()

    removed, cleared = _events_since(since)
    assert removed.details["removed"] == ["MPS:discloser"]
    assert removed.details["after"] == []
    assert cleared.details["officer"] == "police_spoc"
    assert cleared.details["removed"] == ["MPS:spoc"]


def test_a_group_added_by_a_management_command_is_audited(world: World, since: int) -> None:
    call_command(
        "shell",
        command="from django.contrib.auth.models import Group; "
        "from accounts.models import User; "
        "User.objects.get(username='outsider').groups.add(Group.objects.get(name='MPS:dlo'))",
    )

    [event] = _events_since(since)
    assert event.details["officer"] == "outsider"
    assert event.details["added"] == ["MPS:dlo"]


def test_giving_a_model_permission_is_audited(world: World, since: int) -> None:
    permission = Permission.objects.get(codename="change_user")
    world.requester.user_permissions.add(permission)

    [event] = _events_since(since)
    assert event.event_type == EventType.GROUPS_CHANGED
    assert event.details["field"] == "user_permissions"
    assert event.details["added"] == ["accounts.change_user"]


def test_giving_a_group_a_model_permission_is_audited(world: World, since: int) -> None:
    group = Group.objects.get(name="MPS:spoc")
    group.permissions.add(Permission.objects.get(codename="change_user"))

    [event] = _events_since(since)
    assert event.event_type == EventType.GROUPS_CHANGED
    assert event.details == {
        "group": "MPS:spoc",
        "field": "permissions",
        "added": ["accounts.change_user"],
        "removed": [],
        "before": [],
        "after": ["accounts.change_user"],
    }


def test_deleting_a_group_is_audited_for_each_member(world: World, since: int) -> None:
    Group.objects.get(name="MPS:discloser").delete()

    events = _events_since(since)
    assert {e.details["officer"] for e in events} == {"discloser", "discloser2"}
    assert all(e.details["removed"] == ["MPS:discloser"] for e in events)


def test_role_rows_written_directly_are_audited(world: World, since: int) -> None:
    role = OfficerRole.objects.create(user=world.discloser, agency=world.police, role=Role.CSP_LEAD)
    role.delete()

    added, removed = _events_since(since)
    assert added.event_type == removed.event_type == EventType.ROLES_CHANGED_DIRECTLY
    assert added.details["added"] == [Role.CSP_LEAD]
    assert added.details["after"] == [Role.CSP_LEAD, Role.DISCLOSING_OFFICER]
    assert removed.details["removed"] == [Role.CSP_LEAD]


@pytest.fixture
def superuser_client(world: World, client: Client) -> Client:
    UserFactory.create(username="root", agency=world.council, is_superuser=True, is_staff=True)
    # Django admin lets in only a session made by the portal's own sign-in.
    sign_in(client, "root")
    return client


def test_django_admin_has_no_group_pages(superuser_client: Client) -> None:
    assert superuser_client.get("/django-admin/auth/group/").status_code == 404


def test_django_admin_shows_access_but_edits_none_of_it(
    world: World, superuser_client: Client
) -> None:
    officer = world.administrator
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    page = superuser_client.get(url)
    html = page.content.decode()

    assert page.status_code == 200
    form_fields = set(page.context["adminform"].form.fields)
    assert not form_fields & {"groups", "user_permissions", "is_superuser", "is_staff"}
    assert "LBH:administrator" in html
    assert 'name="roles-0-role"' not in html


def test_django_admin_neither_adds_officers_nor_sets_their_passwords(
    world: World, superuser_client: Client
) -> None:
    officer = world.discloser
    password = reverse("admin:auth_user_password_change", args=[officer.pk])
    assert superuser_client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert superuser_client.get(password).status_code == 404
    assert (
        superuser_client.post(password, {"password1": "x" * 20, "password2": "x" * 20}).status_code
        == 404
    )
