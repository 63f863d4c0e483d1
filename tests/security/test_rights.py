"""Data-subject rights (`002_…` 3.2): a case reaches every recipient, is tracked to the end,
is audited without personal data, and is seen only by the SPOCs involved."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType
from requests_app.models import InformationRequest, Status
from rights import services as rights
from rights.models import RightsCase, RightsKind, RightsStatus, RightsTask
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.requests_app.conftest import SUSPECT, SUSPECT_DOB, agreement, make_request  # noqa: F401
from tests.world import OFFICERS, World, ref

pytestmark = pytest.mark.django_db

DOB = SUSPECT_DOB


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


@pytest.fixture
def disclosed(make_request) -> InformationRequest:
    return make_request(Status.DISCLOSED)


def _case(
    world: World, kind: str = RightsKind.RECTIFY, name: str = "jordan  EXAMPLE"
) -> RightsCase:
    return rights.rights_case_create(
        actor=world.police_spoc,
        kind=kind,
        person_name=name,
        person_date_of_birth=DOB,
        instructions="The address recorded was wrong: it is 2 Example Road.",
    )


def test_matches_are_found_by_name_whatever_the_case_and_date_of_birth(
    world: World,
    disclosed: InformationRequest,
    make_request,
) -> None:
    make_request(Status.UNDER_REVIEW)  # nothing disclosed yet: not a match
    other = make_request(Status.DISCLOSED)
    other.people.update(date_of_birth=datetime.date(1991, 5, 17))
    case = _case(world)
    assert [p.request_id for p in rights.candidates(case)] == [disclosed.pk]


def test_the_whole_case_runs_through_the_pages(world: World, disclosed: InformationRequest) -> None:
    police = _client(world.police_spoc)
    response = police.post(
        reverse("rights:create"),
        {
            "kind": RightsKind.ERASE,
            "person_name": "Jordan Example",
            **_date("person_date_of_birth", DOB),
            "instructions": "Erase: shared in error.",
        },
    )
    case = RightsCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rights:detail", args=[case.pk])
    page = police.get(response["Location"])
    assert ref(disclosed) in page.content.decode()
    person = disclosed.people.get()
    police.post(reverse("rights:confirm", args=[case.pk]), {"people": [person.pk]})
    case.refresh_from_db()
    assert case.status == RightsStatus.IN_PROGRESS
    task = RightsTask.objects.get()
    assert task.recipient_agency == world.council and task.request == disclosed

    council = _client(world.council_spoc)
    tasks_page = council.get(reverse("rights:tasks"))
    assert ref(disclosed) in tasks_page.content.decode()
    council.post(reverse("rights:task_done", args=[task.pk]), {"note": "Erased."})
    case.refresh_from_db()
    assert case.status == RightsStatus.COMPLETE and case.completed_at is not None
    task.refresh_from_db()
    assert task.done_by == world.council_spoc


def test_only_confirmed_matches_get_tasks(world: World, disclosed, make_request) -> None:
    second = make_request(Status.DISCLOSED)
    case = _case(world)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[second.people.get().pk]
    )
    assert list(RightsTask.objects.values_list("request_id", flat=True)) == [second.pk]


def test_a_person_not_listed_cannot_be_confirmed(world: World, disclosed, make_request) -> None:
    stranger = make_request(Status.UNDER_REVIEW).people.get()
    case = _case(world)
    with pytest.raises(rights.ValidationError):
        rights.rights_case_confirm(actor=world.police_spoc, case=case, person_ids=[stranger.pk])
    assert not RightsTask.objects.exists()
    case.refresh_from_db()
    assert case.status == RightsStatus.MATCHING


def test_every_step_is_audited_without_the_person(world: World, disclosed) -> None:
    case = _case(world)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[disclosed.people.get().pk]
    )
    rights.rights_task_done(actor=world.council_spoc, task=RightsTask.objects.get(), note="Done")
    events = AuditEvent.objects.filter(
        event_type__in=[EventType.RIGHTS_CASE, EventType.RIGHTS_TASK]
    ).order_by("id")
    assert [e.details.get("step", "task") for e in events] == ["recorded", "confirmed", "task"]
    text = str([(e.details, e.object_id) for e in events]).lower()
    assert "jordan" not in text and "1990" not in text
    assert disclosed.reference.lower() in text


def test_only_the_spocs_involved_reach_the_case_and_the_task(world: World, disclosed) -> None:
    case = _case(world)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[disclosed.people.get().pk]
    )
    task = RightsTask.objects.get()
    case_urls = [
        reverse(f"rights:{name}", args=[case.pk])
        for name in ("detail", "subject_access", "subject_access_csv")
    ]
    may_see_case = {"police_spoc", "police_deputy"}
    may_do_task = {"council_spoc", "council_deputy"}
    failures = []
    for username in OFFICERS:
        client = _client(world.users[username])
        for url in case_urls:
            code = client.get(url).status_code
            if (code == 200) != (username in may_see_case) or code not in (200, 404):
                failures.append(f"{username} {url} {code}")
        code = client.post(reverse("rights:confirm", args=[case.pk])).status_code
        if username not in may_see_case and code != 404:
            failures.append(f"{username} confirm {code}")
        if username not in may_do_task:
            code = client.post(reverse("rights:task_done", args=[task.pk])).status_code
            if code != 404:
                failures.append(f"{username} task {code}")
        spoc = username in may_see_case | may_do_task
        for name in ("list", "create", "tasks"):
            code = client.get(reverse(f"rights:{name}")).status_code
            if (code == 200) != spoc:
                failures.append(f"{username} {name} {code}")
    assert failures == []
    task.refresh_from_db()
    assert task.done_at is None


def test_subject_access_lists_requests_decisions_and_consents(world: World, disclosed) -> None:
    from tests.consent.conftest import ConsentFactory

    consent = ConsentFactory.create(
        recorded_by=world.requester,
        given_to_agency=world.police,
        subject_name="Jordan Example",
        subject_date_of_birth=DOB,
    )
    disclosed.people.update(consent=consent)
    ConsentFactory.create(
        recorded_by=world.outsider,
        given_to_agency=world.fire,
        subject_name="Jordan Example",
        subject_date_of_birth=DOB,
    )
    case = _case(world, kind=RightsKind.ACCESS)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[disclosed.people.get().pk]
    )
    case.refresh_from_db()
    assert case.status == RightsStatus.COMPLETE and not case.tasks.exists()
    found = rights.subject_access(case, world.police_spoc)
    assert [r.pk for r in found.requests] == [disclosed.pk]
    assert [d.request_id for d in found.decisions] == [disclosed.pk]
    assert [c.pk for c in found.consents] == [consent.pk]

    response = _client(world.police_spoc).get(reverse("rights:subject_access_csv", args=[case.pk]))
    rows = _csv(response)
    assert [r[0] for r in rows] == ["record", "request", "decision", "consent"]
    assert "no-store" in response["Cache-Control"]
    export = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert export.details == {"export": "subject_access", "case": case.reference, "rows": 3}


def test_subject_access_shows_no_consent_the_spoc_may_not_see(world: World) -> None:
    """A consent given to the agency about the person, recorded elsewhere and relied on by
    no request the SPOC may see, stays out of the search (issue 14, finding 4)."""
    from tests.consent.conftest import ConsentFactory

    hidden = ConsentFactory.create(
        recorded_by=world.requester,
        given_to_agency=world.police,
        subject_name="Jordan Example",
        subject_date_of_birth=DOB,
        purposes="Purposes only the council officer may read",
    )
    case = _case(world, kind=RightsKind.ACCESS)
    rights.rights_case_confirm(actor=world.police_spoc, case=case, person_ids=[])
    client = _client(world.police_spoc)
    page = client.get(reverse("rights:subject_access", args=[case.pk]))
    assert hidden.reference not in page.content.decode()
    rows = _csv(client.get(reverse("rights:subject_access_csv", args=[case.pk])))
    assert rows == [rights.SUBJECT_ACCESS_HEADER]


def test_csv_cells_cannot_run_as_formulas(world: World, disclosed) -> None:
    disclosed.description = '=HYPERLINK("http://evil")'
    disclosed.save(update_fields=["description"])
    case = _case(world, kind=RightsKind.ACCESS)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[disclosed.people.get().pk]
    )
    response = _client(world.police_spoc).get(reverse("rights:subject_access_csv", args=[case.pk]))
    rows = _csv(response)
    assert rows[1][-1].startswith("'=")


def test_no_personal_data_in_rights_urls(world: World, disclosed) -> None:
    case = _case(world)
    urls = [reverse(f"rights:{n}", args=[case.pk]) for n in ("detail", "confirm")]
    assert all("jordan" not in u.lower() and "1990" not in u for u in urls)


def test_viewing_a_subject_access_list_is_audited(world: World, disclosed) -> None:
    case = _case(world, kind=RightsKind.ACCESS)
    rights.rights_case_confirm(
        actor=world.police_spoc, case=case, person_ids=[disclosed.people.get().pk]
    )
    page = _client(world.police_spoc).get(reverse("rights:subject_access", args=[case.pk]))
    assert page.status_code == 200
    event = AuditEvent.objects.filter(event_type=EventType.SUBJECT_ACCESS).get()
    assert event.actor == world.police_spoc
    assert (event.object_type, event.object_id) == ("rightscase", str(case.pk))
    assert "Jordan" not in str(event.details)
