"""Across every URL of the portal's apps: each page or file that shows personal data records
its read, naming the object and its request; each refusal records what was attempted, while
the person refused gets the same 404; and the agencies owning a request see the attempts on
it in their access log."""

from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerRole, Role
from accounts.services import _sync_groups
from audit.models import AuditEvent, EventType, Outcome
from oversight.selectors import READ_EVENTS
from requests_app.models import InformationRequest, Status
from tests.factories import UserFactory
from tests.security.catalogue import (  # noqa: F401  (fixtures)
    CATALOGUE,
    PERSONAL_URLS,
    URLCONF,
    Scene,
    agreement,
    client_for,
    make_agreement,
    make_request,
    private_storage,
    scene,
)
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

# A search id names no database object but a search kept in the searching officer's own
# session: anyone else's id is answered as an ended search (tests/requests_app/test_search.py).
NOT_OBJECTS = {"requests:search_results"}
OBJECT_URLS = sorted(
    name
    for name, row in CATALOGUE.items()
    if row.build.__name__ != "_nothing" and name not in NOT_OBJECTS
)

_MODELS = {model._meta.model_name: model for model in apps.get_models() if not model._meta.swapped}


def _object(event: AuditEvent) -> Model:
    return _MODELS[event.object_type]._base_manager.get(pk=event.object_id)


def _reference_of(obj: Model) -> str:
    """The reference of the request the object is, or belongs to; '' for anything else."""
    if isinstance(obj, InformationRequest):
        return obj.reference or ""
    request = getattr(obj, "request", None)
    return (request.reference or "") if isinstance(request, InformationRequest) else ""


def _visit(scene: Scene, name: str, username: str) -> tuple[int, list[AuditEvent], set[str]]:
    """GET the URL (POST if it takes only POSTs) as ``username``; the status, the events
    that visit wrote and the ids the URL names."""
    row = CATALOGUE[name]
    kwargs = row.build(scene)
    url = reverse(name, kwargs=kwargs, urlconf=URLCONF) + row.query
    client = client_for(scene.world.users[username])
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    events = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    return response.status_code, events, {str(value) for value in kwargs.values()}


@pytest.mark.parametrize("name", PERSONAL_URLS)
def test_every_page_showing_personal_data_records_its_read(scene: Scene, name: str) -> None:
    username = CATALOGUE[name].user
    status, events, ids = _visit(scene, name, username)
    assert status == 200
    reads = [
        e
        for e in events
        if e.event_type in READ_EVENTS
        and e.outcome == Outcome.ALLOWED
        and e.actor_username == username
    ]
    assert reads, f"{name} shows personal data without recording the read"
    if ids:
        [read] = [e for e in reads if e.object_id in ids]
        assert read.request_reference == _reference_of(_object(read))


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_every_refusal_records_what_was_attempted(scene: Scene, name: str) -> None:
    status, events, ids = _visit(scene, name, "outsider")
    assert status == 404
    [refusal] = [e for e in events if e.event_type == EventType.ACCESS_DENIED]
    assert refusal.outcome == Outcome.DENIED
    assert refusal.actor_username == "outsider"
    assert refusal.object_type
    assert refusal.object_id in ids
    assert refusal.request_reference == _reference_of(_object(refusal))


def test_a_refusal_on_a_request_names_its_reference(scene: Scene) -> None:
    status, events, _ids = _visit(scene, "requests:decide", "outsider")
    req = InformationRequest.objects.get()
    assert status == 404
    assert req.reference
    [refusal] = events
    assert (refusal.object_type, refusal.object_id, refusal.request_reference) == (
        "informationrequest",
        str(req.pk),
        req.reference,
    )


def test_a_refusal_on_a_missing_object_names_what_was_asked_for(world: World) -> None:
    client = client_for(world.outsider)
    assert client.get(reverse("requests:detail", args=[10**50])).status_code == 404
    assert client.get(reverse("audit:breach_detail", args=[4242])).status_code == 404
    refusals = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).order_by("id")
    assert [(e.object_type, e.object_id, e.request_reference) for e in refusals] == [
        ("informationrequest", str(10**50)[:40], ""),
        ("breach", "4242", ""),
    ]


def _spoc(world: World, username: str, agency: str) -> Any:
    user = UserFactory.create(username=username, agency=getattr(world, agency))
    OfficerRole.objects.create(user=user, agency=user.home_agency, role=Role.SPOC)
    _sync_groups(user)
    return user


def _refusals_shown(client: Client, user: Any) -> list[AuditEvent]:
    client.force_login(user)
    response = client.get(reverse("audit:access_log"))
    assert response.status_code == 200
    return [e for e in response.context["events"] if e.event_type == EventType.ACCESS_DENIED]


def test_the_owning_agencies_see_an_attempt_on_their_request(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.UNDER_REVIEW)  # from the council to the police
    # A police officer with no part in it, and an officer of a third agency, try it.
    for officer in (world.police_colleague, world.outsider):
        page = client_for(officer).get(reverse("requests:detail", args=[req.pk]))
        assert page.status_code == 404
    attempts = {("police_colleague", req.reference), ("outsider", req.reference)}
    for owner in (world.council_spoc, world.council_deputy, world.police_spoc):
        shown = _refusals_shown(client, owner)
        assert {(e.actor_username, e.request_reference) for e in shown} == attempts
        assert "Refused" in client.get(reverse("audit:access_log")).content.decode()
    # Health's SPOC sees neither: not their request, not their officers.
    assert _refusals_shown(client, _spoc(world, "health_spoc", "health")) == []


@pytest.mark.parametrize(
    ("name", "object_type"),
    [
        ("audit:breach_detail", "breach"),
        ("rights:detail", "rightscase"),
        ("accounts:officer_edit", "user"),
        ("agreements:application", "joinapplication"),
    ],
)
def test_opening_a_breach_case_officer_or_application_is_a_record_viewed(
    scene: Scene, name: str, object_type: str
) -> None:
    status, events, ids = _visit(scene, name, CATALOGUE[name].user)
    assert status == 200
    [read] = [e for e in events if e.event_type == EventType.RECORD_VIEWED]
    assert (read.object_type, read.object_id in ids) == (object_type, True)
    # References of the record, never what it says about anyone.
    assert set(read.details) <= {"breach", "case"}


def _events_of(client: Client, url: str, **params: str) -> tuple[int, list[AuditEvent]]:
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url, params)
    return response.status_code, list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def test_a_list_page_records_the_list_its_filters_page_and_rows(scene: Scene) -> None:
    req = scene.make_request(Status.SUBMITTED)
    status, events = _events_of(
        client_for(scene.world.discloser), reverse("requests:inbox"), page="1"
    )
    assert status == 200
    [shown] = events
    assert (shown.event_type, shown.outcome, shown.actor_username) == (
        EventType.LIST_VIEWED,
        Outcome.ALLOWED,
        "discloser",
    )
    assert shown.details == {
        "list": "requests:inbox",
        "filters": {},
        "page": 1,
        "rows": 1,
        "shown": [req.reference],
    }


def test_a_filter_by_someone_s_name_is_recorded_as_given_not_the_name(world: World) -> None:
    status, events = _events_of(
        client_for(world.council_spoc), reverse("audit:access_log"), user="requester"
    )
    assert status == 200
    [shown] = [e for e in events if e.event_type == EventType.LIST_VIEWED]
    assert shown.details["list"] == "audit:access_log"
    assert shown.details["filters"] == {"user": "given"}
    assert "requester" not in str(shown.details)


@pytest.mark.parametrize(
    ("name", "state", "username", "action"),
    [
        ("requests:decide", Status.UNDER_REVIEW, "requester", "decide"),
        ("requests:clarify", Status.UNDER_REVIEW, "requester", "ask_clarification"),
        ("requests:answer", Status.AWAITING_CLARIFICATION, "discloser", "answer_clarification"),
        ("requests:onward_ask", Status.DISCLOSED, "discloser", "onward_ask"),
    ],
)
def test_a_page_for_an_action_someone_may_not_take_is_a_refusal_not_a_read(
    scene: Scene, name: str, state: str, username: str, action: str
) -> None:
    req = scene.make_request(state)
    client = client_for(scene.world.users[username])
    status, events = _events_of(client, reverse(name, args=[req.pk]))
    assert status == 403
    assert [
        (e.event_type, e.outcome, e.object_type, e.object_id, e.request_reference, e.details)
        for e in events
    ] == [
        (
            EventType.ACCESS_DENIED,
            Outcome.DENIED,
            "informationrequest",
            str(req.pk),
            req.reference,
            {"action": action},
        )
    ]


@pytest.mark.parametrize(
    ("action", "state", "username"),
    [
        ("start_review", Status.SUBMITTED, "requester"),
        ("return_information", Status.DISCLOSED, "discloser"),
        ("confirm_destruction", Status.RETURNED, "requester"),
    ],
)
def test_a_button_someone_may_not_press_is_a_logged_refusal(
    scene: Scene, action: str, state: str, username: str
) -> None:
    req = scene.make_request(state)
    client = client_for(scene.world.users[username])
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.post(reverse("requests:action", args=[req.pk, action]))
    events = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    assert response.status_code == 403
    assert [(e.event_type, e.request_reference, e.details) for e in events] == [
        (EventType.ACCESS_DENIED, req.reference, {"action": action})
    ]
    req.refresh_from_db()
    assert req.status == state
