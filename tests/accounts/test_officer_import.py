"""Officer import (issue #20): a SPOC or an administrator uploads a CSV of officers, sees
what it would change row by row, and applies it in one audited transaction."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import imports, services
from accounts.imports import Action
from accounts.models import Role, User
from audit.models import AuditEvent, EventType
from tests.factories import TEST_PASSWORD
from tests.world import World

pytestmark = pytest.mark.django_db

HEADER = "First name,Last name,Email,Job title,Phone,Roles\n"


def _csv(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def _plan(world: World, text: str, *, actor: str = "police_spoc", full_list: bool = False):
    return imports.plan_officer_import(
        actor=world.users[actor], agency=world.police, text=text, full_list=full_list
    )


def _apply(world: World, text: str, *, actor: str = "police_spoc", full_list: bool = False):
    plan = _plan(world, text, actor=actor, full_list=full_list)
    return services.officers_import(
        actor=world.users[actor],
        agency=world.police,
        text=text,
        full_list=full_list,
        fingerprint=plan.fingerprint,
    )


def _by_line(plan: imports.ImportPlan) -> dict[int | None, imports.RowPlan]:
    return {row.line: row for row in plan.rows if row.line is not None}


def test_dry_run_shows_every_change_and_changes_nothing(world: World) -> None:
    events_before = AuditEvent.objects.count()
    text = _csv(
        "Discloser,Tester,DISCLOSER@example.gov.uk,Detective Sergeant,,Disclosing officer; DLO",
        "Nadia,Okafor,nadia.okafor@met.example,Analyst,020 7946 0000,requester",
        "Discloser2,Tester,discloser2@example.gov.uk,Officer,,discloser",
    )
    plan = _plan(world, text)
    rows = _by_line(plan)
    assert not plan.has_errors
    assert rows[2].action == Action.CHANGE
    assert rows[2].changes == {"job title": ("Officer", "Detective Sergeant")}
    assert rows[2].roles_added == ["Designated Liaison Officer"]
    assert rows[3].action == Action.ADD and rows[3].roles_after == (Role.REQUESTING_OFFICER,)
    assert rows[4].action == Action.UNCHANGED
    assert not User.objects.filter(email="nadia.okafor@met.example").exists()
    world.discloser.refresh_from_db()
    assert world.discloser.position == "Officer"
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Okafor,n.okafor@met.example,Analyst,,requester", "Enter the officer’s first name"),
        ("Nadia,Okafor,,Analyst,,requester", "Enter the officer’s email address"),
        ("Nadia,Okafor,not-an-email,Analyst,,requester", "Enter the email address in the correct"),
        ("Nadia,Okafor,n.okafor@met.example,,,requester", "Enter the officer’s job title"),
        ("Nadia,Okafor,n.okafor@met.example,Analyst,,Chief wizard", "“Chief wizard” is not a role"),
        ("Nadia,Okafor,n.okafor@met.example,Analyst,,signatory", "You cannot give or remove"),
        ("Nadia,Okafor,n.okafor@met.example," + "A" * 121 + ",,requester", "120 characters"),
        ("Requester,Tester,requester@example.gov.uk,Officer,,requester", "an officer of London"),
        ("Police_Spoc,Tester,police_spoc@example.gov.uk,Officer,,spoc; discloser", "your own"),
        ("Csp,Lead,csp_lead@example.gov.uk,Officer,,csp_lead", "an officer of London"),
    ],
)
def test_each_bad_row_has_its_own_clear_error(world: World, row: str, message: str) -> None:
    good = "Ok,Row,ok.row@met.example,Analyst,,requester"
    plan = _plan(world, _csv(good, row))
    rows = _by_line(plan)
    assert rows[2].action == Action.ADD and not rows[2].errors
    assert rows[3].action == Action.ERROR
    assert any(message in error for error in rows[3].errors), rows[3].errors
    assert plan.has_errors


def test_an_email_twice_in_the_file_is_an_error_on_the_second(world: World) -> None:
    plan = _plan(
        world,
        _csv("A,One,same@met.example,Analyst,,requester", "B,Two,SAME@met.example,Analyst,,"),
    )
    rows = _by_line(plan)
    assert rows[2].action == Action.ADD
    assert rows[3].errors == ["This email address is also on line 2"]


def test_only_an_administrator_changes_a_protected_officer(world: World) -> None:
    world.police_manager.roles.update(role=Role.CSP_LEAD)
    world.police_manager._role_set = frozenset({Role.CSP_LEAD})
    row = "Police_Manager,Tester,police_manager@example.gov.uk,Officer,,csp_lead; requester"
    assert _by_line(_plan(world, _csv(row)))[2].errors == [
        "Only an administrator can change Police_Manager Tester"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Name,Email\nA,a@b.example\n", "The heading row must name these columns"),
        (HEADER + 'A,B,c@d.example,Analyst,,requester,"unclosed\n', "cannot be read"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(world: World, text: str, message: str) -> None:
    plan = _plan(world, text)
    assert plan.has_errors and message in plan.file_errors[0]


def test_files_are_bounded(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [f"A,B,a{n}@met.example,Analyst,,requester" for n in range(3)]
    assert _plan(world, _csv(*rows)).file_errors == ["The file must have at most 2 officers"]
    with pytest.raises(ValidationError, match="smaller than 512 KB"):
        imports.decode_upload(b"x" * (imports.MAX_FILE_BYTES + 1))
    with pytest.raises(ValidationError, match="saved as UTF-8"):
        imports.decode_upload("First name,Last name\nJosé,Ñ\n".encode("latin-1"))


def test_applying_adds_and_changes_officers_with_their_audit_events(world: World) -> None:
    text = _csv(
        "Discloser,Tester,discloser@example.gov.uk,Detective Sergeant,,discloser; dlo",
        "Nadia,Okafor,Nadia.Okafor@met.example,Analyst,020 7946 0000,requester",
    )
    result = _apply(world, text)
    assert (result.added, result.changed, result.deactivated) == (1, 1, 0)
    nadia = User.objects.get(email="nadia.okafor@met.example")
    assert (nadia.agency, nadia.position, nadia.phone) == (world.police, "Analyst", "020 7946 0000")
    assert not nadia.has_usable_password()
    assert set(nadia.groups.values_list("name", flat=True)) == {"MPS:requester"}
    world.discloser.refresh_from_db()
    assert world.discloser.position == "Detective Sergeant"
    assert set(world.discloser.roles.values_list("role", flat=True)) == {"discloser", "dlo"}
    recorded = set(
        AuditEvent.objects.filter(actor=world.police_spoc).values_list("event_type", flat=True)
    )
    assert {EventType.OFFICER_CREATED, EventType.OFFICER_UPDATED, EventType.ROLES_CHANGED} <= (
        recorded
    )


def test_a_preview_outdated_by_another_change_applies_nothing(world: World) -> None:
    text = _csv(
        "Discloser,Tester,discloser@example.gov.uk,Detective Sergeant,,discloser",
        "Nadia,Okafor,nadia.okafor@met.example,Analyst,,requester",
    )
    plan = _plan(world, text)
    services.officer_update(actor=world.police_deputy, officer=world.discloser, position="DC")
    with pytest.raises(services.ImportOutdated):
        services.officers_import(
            actor=world.police_spoc,
            agency=world.police,
            text=text,
            full_list=False,
            fingerprint=plan.fingerprint,
        )
    assert not User.objects.filter(email="nadia.okafor@met.example").exists()


def test_a_failure_part_way_leaves_every_officer_as_before(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "officer_create", refuse)
    text = _csv(
        "Discloser,Tester,discloser@example.gov.uk,Detective Sergeant,,discloser",
        "Nadia,Okafor,nadia.okafor@met.example,Analyst,,requester",
    )
    with pytest.raises(RuntimeError):
        _apply(world, text)
    world.discloser.refresh_from_db()
    assert world.discloser.position == "Officer"


def test_a_full_list_deactivates_leavers_and_signs_them_out(world: World) -> None:
    leaver = Client()
    assert leaver.login(username="discloser2", password=TEST_PASSWORD)
    text = _csv(
        "Discloser,Tester,discloser@example.gov.uk,Officer,,discloser",
        "Police_Spoc,Tester,police_spoc@example.gov.uk,Officer,,spoc",
        "Police_Deputy,Tester,police_deputy@example.gov.uk,Officer,,deputy_spoc",
    )
    plan = _plan(world, text, full_list=True)
    leavers = {row.email: row for row in plan.rows if row.line is None}
    assert leavers["discloser2@example.gov.uk"].action == Action.DEACTIVATE
    assert leavers["police_colleague@example.gov.uk"].action == Action.DEACTIVATE
    # A signatory is given and taken away by an administrator only.
    assert leavers["police_signatory@example.gov.uk"].action == Action.KEEP
    assert leavers["police_signatory@example.gov.uk"].roles_removed == []
    result = _apply(world, text, full_list=True)
    assert result.deactivated == plan.count(Action.DEACTIVATE) == 4
    gone = User.objects.get(username="discloser2")
    assert not gone.is_active and not gone.roles.exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(gone.pk)
    ]
    assert leaver.get(reverse("home")).status_code == 302
    assert User.objects.get(username="police_signatory").is_active
    assert AuditEvent.objects.filter(
        event_type=EventType.OFFICER_DEACTIVATED, object_id=str(gone.pk)
    ).exists()


def test_the_spoc_role_moves_between_officers_in_one_file(world: World) -> None:
    text = _csv(
        "Police_Spoc,Tester,police_spoc@example.gov.uk,Officer,,discloser",
        "Discloser2,Tester,discloser2@example.gov.uk,Officer,,discloser; spoc",
    )
    assert not _plan(world, text, actor="administrator").has_errors
    # An administrator cannot also read requests, so gives roles without holding them.
    _apply(world, text, actor="administrator")
    assert set(User.objects.get(username="discloser2").roles.values_list("role", flat=True)) == {
        "discloser",
        "spoc",
    }


def test_a_second_spoc_is_an_error(world: World) -> None:
    text = _csv("Discloser2,Tester,discloser2@example.gov.uk,Officer,,discloser; spoc")
    row = _by_line(_plan(world, text, actor="administrator"))[2]
    assert row.action == Action.ERROR
    assert "would have more than one Single Point of Contact" in row.errors[0]


# Pages


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=TEST_PASSWORD)
    return client


def _upload(text: str, **extra: str) -> dict[str, object]:
    return {"file": SimpleUploadedFile("officers.csv", text.encode(), "text/csv"), **extra}


def test_spoc_previews_then_applies_an_import(world: World) -> None:
    client = _client("police_spoc")
    text = _csv("Nadia,Okafor,nadia.okafor@met.example,Analyst,,requester")
    preview = client.post(reverse("accounts:officer_import"), _upload(text))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the changes before importing" in page and "nadia.okafor@met.example" in page
    assert 'govuk-tag--green">Add</strong>' in page
    assert not User.objects.filter(email="nadia.okafor@met.example").exists()
    applied = client.post(
        reverse("accounts:officer_import_apply"), {"payload": preview.context["payload"]}
    )
    assert applied.status_code == 302
    assert User.objects.get(email="nadia.okafor@met.example").agency == world.police


def test_errors_are_summarised_at_the_top_with_the_line(world: World) -> None:
    client = _client("police_spoc")
    text = _csv("Nadia,Okafor,not-an-email,Analyst,,requester")
    page = client.post(reverse("accounts:officer_import"), _upload(text)).content.decode()
    assert "<title>Error: Check the changes" in page
    assert 'href="#line-2">Line 2: Enter the email address in the correct format' in page
    assert "Apply these changes" not in page


def test_no_file_is_an_error_next_to_the_field(world: World) -> None:
    page = _client("police_spoc").post(reverse("accounts:officer_import"), {}).content.decode()
    assert "Select a CSV file of officers" in page and "<title>Error: " in page


def test_a_tampered_preview_changes_nothing(world: World) -> None:
    client = _client("police_spoc")
    response = client.post(reverse("accounts:officer_import_apply"), {"payload": "forged"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:officer_import")


def test_a_preview_for_one_agency_cannot_be_applied_to_another(world: World) -> None:
    client = _client("administrator")
    text = _csv("Nadia,Okafor,nadia.okafor@met.example,Analyst,,requester")
    preview = client.post(reverse("accounts:officer_import") + "?agency=MPS", _upload(text))
    response = client.post(
        reverse("accounts:officer_import_apply") + "?agency=LBH",
        {"payload": preview.context["payload"]},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="nadia.okafor@met.example").exists()


@pytest.mark.parametrize("username", ["requester", "discloser", "csp_lead", "outsider"])
def test_officers_who_do_not_manage_an_agency_get_404(world: World, username: str) -> None:
    client = _client(username)
    for name in ("accounts:officer_import", "accounts:officer_import_template"):
        assert client.get(reverse(name)).status_code == 404


def test_the_template_has_the_columns_the_import_reads(world: World) -> None:
    response = _client("police_spoc").get(reverse("accounts:officer_import_template"))
    header = response.content.decode().strip()
    plan = _plan(world, header + "\nA,B,a.b@met.example,Analyst,,requester\n")
    assert not plan.has_errors and plan.count(Action.ADD) == 1
