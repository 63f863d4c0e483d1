"""Asking several agencies at once: one request per agency, sent together or not at all,
and nothing of one agency's request reaching another (copying: test_copy_request.py)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficerRole, Role, User
from accounts.services import role_group
from agreements.models import AgreementStatus, Legislation
from audit.models import AuditEvent, EventType
from oversight.selectors import access_log_for
from requests_app import groups, notifications, search, services
from requests_app.models import (
    AttachmentKind,
    ConsentObtained,
    InformationRequest,
    PersonRole,
    ReferenceCounter,
    RequestGroup,
    Status,
)
from requests_app.selectors import agency_decided, agency_inbox, my_requests, requests_visible_to
from requests_app.services import PersonData, TransitionRefused
from tests.agreements.builders import build_agreement
from tests.consent.conftest import ConsentFactory
from tests.factories import UserFactory
from tests.requests_app.conftest import SUSPECT, decision_fields, request_fields, stored_attachment
from tests.world import World, ref

pytestmark = pytest.mark.django_db


def add_health_discloser(world: World) -> User:
    """A disclosing officer of the health trust (the shared world has none)."""
    user = UserFactory.create(
        username="health_discloser",
        agency=world.health,
        first_name="Health",
        last_name="Discloser",
        email="health.discloser@example.org",
    )
    OfficerRole.objects.create(user=user, agency=world.health, role=Role.DISCLOSING_OFFICER)
    user.groups.add(role_group(agency=world.health, role=Role.DISCLOSING_OFFICER))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def health_discloser(world: World) -> User:
    return add_health_discloser(world)


def _draft(world: World, agreement, people=(SUSPECT,), **overrides) -> InformationRequest:
    return services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement, **overrides),
        people=list(people),
        legislation=Legislation.objects.filter(code="cda-s1"),
        also_ask=[world.health],
    )


def _send(world: World, draft: InformationRequest) -> list[InformationRequest]:
    return groups.request_submit_all(
        actor=world.requester, request=draft, declaration_name=world.requester.get_full_name()
    )


@pytest.fixture
def sent(world: World, agreement, health_discloser) -> list[InformationRequest]:
    return _send(world, _draft(world, agreement))


def build_group_requests(world: World) -> tuple[InformationRequest, InformationRequest]:
    """For the pages' accessibility checks: a draft that also asks the health trust, and the
    first of two requests sent together (to the police and the health trust)."""
    agreement = build_agreement(
        world, AgreementStatus.ACTIVE, reference="GRP-DSA", parties=("council", "police", "health")
    )
    draft = _draft(world, agreement)
    first, _ = _send(world, _draft(world, agreement))
    return draft, first


# Sending ---------------------------------------------------------------------------------


def test_each_agency_gets_a_request_of_its_own_in_one_group(
    world: World, agreement, health_discloser, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    draft = _draft(world, agreement)
    with django_capture_on_commit_callbacks(execute=True):
        police, health = _send(world, draft)
    assert police.pk == draft.pk
    assert (police.target_agency, health.target_agency) == (world.police, world.health)
    assert police.group_id == health.group_id is not None
    assert police.reference != health.reference
    assert {police.status, health.status} == {Status.SUBMITTED}
    for req in (police, health):
        assert req.due_on is not None
        assert [p.full_name for p in req.people.all()] == [SUSPECT.full_name]
        assert [x.code for x in req.legislation.all()] == ["cda-s1"]
        assert req.description == draft.description
        assert req.declaration_name == world.requester.get_full_name()
    assert not police.also_ask.exists()
    # Each agency's own email, holding only its own reference.
    to_health = [m for m in mailoutbox if health_discloser.email in m.to]
    assert len(to_health) == 1
    assert health.reference in to_health[0].subject
    assert police.reference not in to_health[0].body
    to_police = [m for m in mailoutbox if world.discloser.email in m.to]
    assert to_police and all(health.reference not in m.body for m in to_police)
    events = AuditEvent.objects.filter(event_type=EventType.REQUEST_TRANSITION)
    assert {e.request_reference for e in events} == {police.reference, health.reference, ""}
    together = events.get(request_reference="")
    assert (together.object_type, together.object_id) == ("requestgroup", str(police.group_id))
    assert together.details["references"] == [police.reference, health.reference]


def test_the_disclosing_agencys_access_log_shows_nothing_of_the_group(world: World, sent) -> None:
    police, health = sent
    for user in (world.police_spoc, world.police_deputy):
        events = list(access_log_for(user))
        assert events
        for event in events:
            assert event.request_reference in {"", police.reference}, event
            assert event.actor_agency == world.police.code or event.request_reference, event
            assert health.reference not in str(event.details)
            assert "group" not in str(event.details) and event.object_type != "requestgroup"


def test_each_request_takes_its_due_date_from_its_own_agency(
    world: World, agreement, health_discloser
) -> None:
    world.health.response_working_days = 3
    world.health.save()
    police, health = _send(world, _draft(world, agreement))
    assert health.due_on and police.due_on and health.due_on < police.due_on


def test_request_files_are_copied_to_each_agency_as_files_of_their_own(
    world: World, agreement, health_discloser
) -> None:
    draft = _draft(world, agreement)
    attachment = stored_attachment(
        draft,
        kind=AttachmentKind.REQUEST,
        name="note.txt",
        uploaded_by=world.requester,
        content=b"hi",
    )
    _police, health = _send(world, draft)
    copy = health.attachments.get()
    assert copy.original_name == "note.txt"
    assert copy.file.name != attachment.file.name
    with copy.file.open("rb") as handle:
        assert handle.read() == b"hi"


# All or none -------------------------------------------------------------------------------


def test_a_consent_naming_one_agency_stops_the_whole_group_and_nothing_is_made(
    world: World, agreement, health_discloser
) -> None:
    consent = ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester, agreements=[agreement]
    )
    victim = PersonData(full_name="Alex Example", role=PersonRole.VICTIM, consent_id=consent.pk)
    draft = _draft(world, agreement, people=[victim], consent_obtained=ConsentObtained.YES)
    counter_before = list(ReferenceCounter.objects.values_list("last_number", flat=True))
    with pytest.raises(ValidationError) as raised:
        _send(world, draft)
    messages = raised.value.message_dict["people-0-consent"]
    assert messages == [
        f"Asking {world.health.name}: Person 1 (victim): their consent is given to "
        f"{world.police.name}, not to {world.health.name}"
    ]
    assert InformationRequest.objects.count() == 1
    assert InformationRequest.objects.get().status == Status.DRAFT
    assert not RequestGroup.objects.exists()
    assert list(ReferenceCounter.objects.values_list("last_number", flat=True)) == counter_before


def test_an_agency_not_party_to_the_agreement_stops_the_whole_group(
    world: World, agreement
) -> None:
    draft = services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement),
        people=[SUSPECT],
        legislation=Legislation.objects.filter(code="cda-s1"),
        also_ask=[world.fire],
    )
    with pytest.raises(ValidationError) as raised:
        _send(world, draft)
    assert raised.value.message_dict["also_ask"] == [
        f"Asking {world.fire.name}: {world.fire.name} is not a party to {agreement.reference}."
    ]
    assert InformationRequest.objects.count() == 1


def test_a_failure_sending_to_the_second_agency_sends_to_none(
    world: World, agreement, health_discloser, monkeypatch
) -> None:
    draft = _draft(world, agreement)
    real = notifications.on_submitted

    def fail_for_health(request: InformationRequest) -> None:
        if request.target_agency_id == world.health.pk:
            raise RuntimeError("the database went away")
        real(request)

    monkeypatch.setattr(notifications, "on_submitted", fail_for_health)
    with pytest.raises(RuntimeError):
        _send(world, draft)
    assert list(InformationRequest.objects.values_list("status", flat=True)) == [Status.DRAFT]
    assert not RequestGroup.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_TRANSITION).exists()


def test_sending_twice_makes_nothing_twice(world: World, agreement, health_discloser) -> None:
    draft = _draft(world, agreement)
    _send(world, draft)
    with pytest.raises(TransitionRefused):
        _send(world, draft)
    assert InformationRequest.objects.count() == 2


def test_pressing_sign_and_send_twice_lands_on_the_confirmation_both_times(
    world: World, agreement, health_discloser, client: Client
) -> None:
    draft = _draft(world, agreement)
    client.force_login(world.requester)
    url = reverse("requests:check", args=[draft.pk])
    for _ in range(2):
        response = client.post(url, {"declaration_name": world.requester.get_full_name()})
        assert response["Location"] == reverse("requests:sent", args=[draft.pk])
    assert InformationRequest.objects.count() == 2
    page = client.get(reverse("requests:sent", args=[draft.pk])).content.decode()
    health = InformationRequest.objects.get(target_agency=world.health)
    assert "Requests sent" in page
    assert ref(health) in page


# The about task ------------------------------------------------------------------------------


def _about(world: World, agreement, **overrides: object) -> dict:
    required_by = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "target_agency": world.police.pk,
        "agreement": agreement.pk,
        "description": "Previous ASB incidents at the address.",
        "required_by_day": required_by.day,
        "required_by_month": required_by.month,
        "required_by_year": required_by.year,
        "is_urgent": "no",
        "creation_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_about_task_saves_the_other_agencies_asked(
    world: World, agreement, client: Client
) -> None:
    client.force_login(world.requester)
    response = client.post(
        reverse("requests:create"), _about(world, agreement, also_ask=[world.health.pk])
    )
    draft = InformationRequest.objects.get()
    assert response["Location"] == reverse("requests:edit", args=[draft.pk])
    assert list(draft.also_ask.all()) == [world.health]
    check = client.get(reverse("requests:check", args=[draft.pk])).content.decode()
    assert "Other agencies you are asking" in check


@pytest.mark.parametrize(
    ("agency", "message"),
    [
        ("police", "You are already asking Metropolitan Police Service"),
        ("fire", "Asking London Fire Brigade: London Fire Brigade is not a party to"),
    ],
)
def test_the_about_task_refuses_an_agency_that_cannot_be_asked(
    world: World, agreement, client: Client, agency: str, message: str
) -> None:
    client.force_login(world.requester)
    data = _about(world, agreement, also_ask=[getattr(world, agency).pk])
    response = client.post(reverse("requests:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InformationRequest.objects.exists()


# Nothing crosses between agencies -------------------------------------------------------------


def test_a_disclosing_agency_sees_only_its_own_request(
    world: World, sent, health_discloser
) -> None:
    police, health = sent
    for user in (world.discloser, world.police_spoc, world.police_deputy):
        visible = set(requests_visible_to(user))
        assert police in visible and health not in visible, user
        assert health not in set(agency_inbox(user)) | set(agency_decided(user))
    assert set(requests_visible_to(health_discloser)) == {health}
    assert set(my_requests(world.requester)) == {police, health}


def test_the_disclosing_side_pages_say_nothing_of_the_other_agency(
    world: World, sent, health_discloser
) -> None:
    police, health = sent
    for user, own, other in ((world.discloser, police, health), (health_discloser, health, police)):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("requests:detail", args=[other.pk])).status_code == 404
        pages = [
            client.get(reverse("requests:detail", args=[own.pk])),
            client.get(reverse("requests:inbox")),
            client.get(reverse("requests:pdf", args=[own.pk])),
        ]
        for response in pages[:2]:
            text = response.content.decode()
            assert other.reference not in text
            assert "Linked requests" not in text
        # The inbox's filters list every agency; the request page names only its own two.
        assert other.target_agency.name not in pages[0].content.decode()


def test_search_never_finds_the_other_agencys_request(world: World, sent, health_discloser) -> None:
    police, health = sent
    for user, other in ((world.discloser, health), (health_discloser, police)):
        for text in (SUSPECT.full_name, police.reference, health.reference, "ASB incidents"):
            found = search.search_requests(user, requests_visible_to(user), search.read_terms(text))
            assert other.pk not in {m.request.pk for m in found.matches}, (user, text)


def test_the_requester_sees_the_group_on_each_request_and_on_their_list(
    world: World, sent, client: Client
) -> None:
    police, health = sent
    client.force_login(world.requester)
    page = client.get(reverse("requests:detail", args=[police.pk])).content.decode()
    assert "Linked requests" in page
    assert health.reference in page and world.health.name in page
    listing = client.get(reverse("requests:mine")).content.decode()
    assert (
        f'Sent with <a class="govuk-link" href="{reverse("requests:detail", args=[health.pk])}"'
        in listing
    )


def test_each_agency_decides_its_own_request_and_the_requester_reads_both(
    world: World, sent, health_discloser, client: Client
) -> None:
    police, health = sent
    services.request_start_review(actor=world.discloser, request=police)
    services.request_start_review(actor=health_discloser, request=health)
    services.request_decide(
        actor=world.discloser, request=police, fields=decision_fields(world.discloser)
    )
    services.request_decide(
        actor=health_discloser,
        request=health,
        fields=decision_fields(
            health_discloser,
            outcome="declined",
            decline_reason="Not held by the trust",
            information_disclosed="",
        ),
    )
    police.refresh_from_db()
    health.refresh_from_db()
    assert (police.status, health.status) == (Status.DISCLOSED, Status.DECLINED)
    # The police DLO, given the police request after its decision, still sees only that.
    assert set(requests_visible_to(world.police_dlo)) == {police}
    client.force_login(world.requester)
    page = client.get(reverse("requests:detail", args=[police.pk])).content.decode()
    assert "Declined" in page  # the health request's status, in the linked list


# Queries -------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_linked_requests_cost_one_query_on_a_page_and_on_the_list_however_many(
    world: World, agreement, health_discloser, make_request, client: Client
) -> None:
    alone = make_request(Status.SUBMITTED)
    police, _health = _send(world, _draft(world, agreement))
    client.force_login(world.requester)
    detail = reverse("requests:detail", args=[alone.pk])
    client.get(detail)  # the first page after signing in also writes the session
    # The linked requests: one query, only for a request sent with others.
    assert _queries(client, reverse("requests:detail", args=[police.pk])) == (
        _queries(client, detail) + 1
    )
    listed = _queries(client, reverse("requests:mine"))
    for _ in range(3):
        _send(world, _draft(world, agreement))
    assert _queries(client, reverse("requests:mine")) == listed
