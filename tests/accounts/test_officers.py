import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.forms import OfficerForm
from accounts.models import Agency, AgencyKind, OfficerRole, Role
from audit.models import AuditEvent, EventType
from tests.factories import UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_agency_cannot_leave_before_it_joined() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="Early Leaver",
            code="EL",
            kind=AgencyKind.OTHER,
            joined_on=datetime.date(2024, 1, 1),
            left_on=datetime.date(2023, 1, 1),
        )


def test_database_allows_only_one_spoc_per_agency(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerRole.objects.create(user=world.discloser, agency=world.police, role=Role.SPOC)


def test_second_spoc_is_refused_with_a_clear_message(world: World) -> None:
    with pytest.raises(ValidationError, match="already has a Single Point of Contact"):
        services.officer_set_roles(
            actor=world.administrator, officer=world.discloser, roles=[Role.SPOC]
        )


def test_officer_may_hold_several_roles(world: World) -> None:
    services.officer_set_roles(
        actor=world.police_spoc,
        officer=world.discloser,
        roles=[Role.DISCLOSING_OFFICER, Role.DLO, Role.DESIGNATED_MANAGER],
    )
    assert set(world.discloser.roles.values_list("role", flat=True)) == {
        Role.DISCLOSING_OFFICER,
        Role.DLO,
        Role.DESIGNATED_MANAGER,
    }
    assert set(world.discloser.groups.values_list("name", flat=True)) == {
        "MPS:discloser",
        "MPS:dlo",
        "MPS:designated_manager",
    }


def test_role_change_is_audited(world: World) -> None:
    services.officer_set_roles(actor=world.police_spoc, officer=world.discloser, roles=[Role.DLO])
    event = AuditEvent.objects.get(event_type=EventType.ROLES_CHANGED)
    assert event.actor == world.police_spoc
    assert event.details == {
        "officer": "discloser",
        "added": ["dlo"],
        "removed": ["discloser"],
        "before": ["discloser"],
        "after": ["dlo"],
        "groups_before": ["MPS:discloser"],
        "groups_after": ["MPS:dlo"],
    }


def test_role_change_made_by_the_service_is_recorded_once(world: World) -> None:
    last = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    services.officer_set_roles(actor=world.police_spoc, officer=world.discloser, roles=[Role.DLO])
    recorded = AuditEvent.objects.filter(id__gt=last).values_list("event_type", flat=True)
    assert list(recorded) == [EventType.ROLES_CHANGED]


def test_saving_unchanged_roles_records_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    services.officer_set_roles(
        actor=world.police_spoc, officer=world.discloser, roles=[Role.DISCLOSING_OFFICER]
    )
    assert AuditEvent.objects.count() == before


def test_spoc_cannot_change_another_agencys_officer(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.officer_set_roles(
            actor=world.police_spoc, officer=world.requester, roles=[Role.DLO]
        )


def test_spoc_cannot_grant_administrator(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.officer_set_roles(
            actor=world.police_spoc, officer=world.discloser, roles=[Role.ADMINISTRATOR]
        )


@pytest.mark.parametrize("url_name", ["accounts:officer_edit", "accounts:officer_deactivate"])
def test_spoc_gets_404_for_another_agencys_officer(
    world: World, client: Client, url_name: str
) -> None:
    client.force_login(world.police_spoc)
    url = reverse(url_name, args=[world.requester.pk])
    assert client.get(url).status_code in {404, 405}
    assert client.post(url).status_code == 404
    world.requester.refresh_from_db()
    assert world.requester.is_active


@pytest.mark.parametrize("name", ["discloser", "outsider", "csp_lead", "requester"])
def test_officers_without_management_roles_get_404_on_officer_pages(
    world: World, client: Client, name: str
) -> None:
    client.force_login(world.users[name])
    assert client.get(reverse("accounts:officers")).status_code == 404
    assert client.get(reverse("accounts:officer_add")).status_code == 404


def test_spoc_lists_only_own_agency(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    response = client.get(reverse("accounts:officers"))
    assert response.status_code == 200
    names = {o.username for o in response.context["officers"]}
    assert "discloser" in names
    assert "requester" not in names


def test_spoc_adds_an_officer_to_own_agency(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    response = client.post(
        reverse("accounts:officer_add"),
        {
            "username": "new.officer",
            "first_name": "New",
            "last_name": "Officer",
            "email": "new.officer@met.police.uk",
            "position": "Constable",
            "roles": [Role.DISCLOSING_OFFICER],
        },
    )
    assert response.status_code == 302
    officer = world.police.officers.get(username="new.officer")
    assert list(officer.roles.values_list("role", flat=True)) == [Role.DISCLOSING_OFFICER]
    assert not officer.has_usable_password()


def test_add_officer_form_shows_errors_beside_fields(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    response = client.post(reverse("accounts:officer_add"), {"username": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_first_name"' in html
    assert 'id="id_first_name-error"' in html


def test_deactivation_ends_the_officers_sessions_at_once(world: World, client: Client) -> None:
    officer_client = Client()
    officer_client.force_login(world.discloser)
    assert officer_client.get(reverse("home")).status_code == 200
    client.force_login(world.police_spoc)

    response = client.post(reverse("accounts:officer_deactivate", args=[world.discloser.pk]))

    assert response.status_code == 302
    world.discloser.refresh_from_db()
    assert not world.discloser.is_active
    assert not world.discloser.roles.exists()
    home = officer_client.get(reverse("home"))
    assert home.status_code == 302
    assert reverse("account_login") in home["Location"]
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(world.discloser.pk)
        for s in Session.objects.all()
    )
    assert AuditEvent.objects.filter(event_type=EventType.OFFICER_DEACTIVATED).exists()


def test_deactivate_asks_are_you_sure_on_its_own_page_and_changes_nothing(
    world: World, client: Client
) -> None:
    officer_client = Client()
    officer_client.force_login(world.discloser)
    client.force_login(world.police_spoc)
    url = reverse("accounts:officer_deactivate", args=[world.discloser.pk])

    listing = client.get(reverse("accounts:officers")).content.decode()
    response = client.get(url)

    # The list links to the question; it holds no form that deactivates.
    assert f'href="{url}"' in listing
    assert f'action="{url}"' not in listing
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Are you sure you want to deactivate {world.discloser}?" in html
    assert "govuk-warning-text" in html
    assert "signed out everywhere at once" in html
    assert "lose every role" in html
    assert "govuk-button--warning" in html
    assert "No, go back" in html
    world.discloser.refresh_from_db()
    assert world.discloser.is_active
    assert world.discloser.roles.exists()
    assert officer_client.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(event_type=EventType.OFFICER_DEACTIVATED).exists()


def test_deactivate_page_offers_no_button_for_your_own_account(
    world: World, client: Client
) -> None:
    client.force_login(world.council_spoc)
    response = client.get(reverse("accounts:officer_deactivate", args=[world.council_spoc.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You cannot deactivate your own account" in html
    assert "govuk-button--warning" not in html


def test_officer_cannot_deactivate_themselves(world: World) -> None:
    with pytest.raises(ValidationError):
        services.officer_deactivate(actor=world.police_spoc, officer=world.police_spoc)


def test_superuser_without_agency_is_allowed_but_officer_is_not() -> None:
    UserFactory.create(username="root", agency=None, is_superuser=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory.create(username="nobody", agency=None)


# Every detail the officer page edits, and a new value for it.
NEW_DETAILS = {
    "first_name": "Renamed",
    "last_name": "Newsurname",
    "email": "moved@met.police.uk",
    "position": "Detective Sergeant",
    "department": "Safeguarding Hub",
    "phone": "020 7946 0001",
}


def test_every_editable_detail_is_in_the_test() -> None:
    assert set(NEW_DETAILS) == set(services.EDITABLE_FIELDS)
    assert set(NEW_DETAILS) | {"username", "roles"} == set(OfficerForm.base_fields)


@pytest.mark.parametrize(("field", "value"), NEW_DETAILS.items())
def test_spoc_saves_each_detail_of_an_officer(
    world: World, client: Client, field: str, value: str
) -> None:
    officer = world.discloser
    old = getattr(officer, field)
    form = {name: getattr(officer, name) for name in NEW_DETAILS}
    client.force_login(world.police_spoc)
    url = reverse("accounts:officer_edit", args=[officer.pk])

    form |= {"username": officer.username, "roles": [Role.DISCLOSING_OFFICER], field: value}

    response = client.post(url, form)

    assert response.status_code == 302
    officer.refresh_from_db()
    assert getattr(officer, field) == value
    assert value in client.get(url).content.decode()
    event = AuditEvent.objects.get(event_type=EventType.OFFICER_UPDATED)
    assert event.actor == world.police_spoc
    assert event.details == {
        "officer": "discloser",
        "fields": [field],
        "changes": {field: {"old": old, "new": value}},
    }


def test_details_and_roles_are_saved_together_or_not_at_all(world: World, client: Client) -> None:
    officer = world.discloser
    form = {name: getattr(officer, name) for name in NEW_DETAILS}
    client.force_login(world.police_spoc)

    response = client.post(
        reverse("accounts:officer_edit", args=[officer.pk]),
        {**form, "username": officer.username, "roles": [Role.DEPUTY_SPOC], "phone": "0207"},
    )

    assert response.status_code == 200
    assert "already has a Deputy SPOC" in response.content.decode()
    officer.refresh_from_db()
    assert officer.phone == ""
    assert list(officer.roles.values_list("role", flat=True)) == [Role.DISCLOSING_OFFICER]
