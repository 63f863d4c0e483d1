"""Access review: filters, the two shortcuts, each SPOC's part of the log, CSV."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType, Outcome
from audit.services import audit_record
from oversight import views
from requests_app.models import InformationRequest
from tests.audit.conftest import InformationRequestFactory, count_queries
from tests.http import body_of
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_request(world: World) -> InformationRequest:
    return InformationRequestFactory.create(
        requester=world.requester,
        requesting_agency=world.council,
        target_agency=world.police,
        reference="ISP-2026-00042",
    )


@pytest.fixture
def log(world: World, council_request: InformationRequest) -> dict[str, AuditEvent]:
    return {
        "discloser_viewed": audit_record(
            event_type=EventType.REQUEST_VIEWED,
            actor=world.discloser,
            obj=council_request,
            request_reference="ISP-2026-00042",
        ),
        "outsider_refused": audit_record(
            event_type=EventType.ACCESS_DENIED,
            actor=world.outsider,
            outcome=Outcome.DENIED,
            details={"object_type": "informationrequest", "object_id": str(council_request.pk)},
        ),
        "health_signed_in": audit_record(
            event_type=EventType.SIGN_IN, actor=world.health_caldicott
        ),
        "requester_downloaded": audit_record(
            event_type=EventType.PDF_DOWNLOADED,
            actor=world.requester,
            request_reference="ISP-2026-00042",
        ),
        "fire_viewed_other": audit_record(
            event_type=EventType.REQUEST_VIEWED,
            actor=world.outsider,
            request_reference="ISP-2026-00999",
        ),
    }


def shown(client: Client, viewer, log: dict[str, AuditEvent], **params: str) -> set[str]:
    client.force_login(viewer)
    response = client.get(reverse("audit:access_log"), params)
    assert response.status_code == 200
    rows = {event.pk for event in response.context["events"]}
    return {name for name, event in log.items() if event.pk in rows}


def test_csp_lead_sees_the_whole_log(client: Client, world: World, log) -> None:
    assert shown(client, world.csp_lead, log) == set(log)


def test_who_has_seen_a_request(client: Client, world: World, log) -> None:
    assert shown(client, world.csp_lead, log, reference="isp-2026-00042", reads="on") == {
        "discloser_viewed",
        "requester_downloaded",
    }


def test_what_has_this_person_accessed(client: Client, world: World, log) -> None:
    assert shown(client, world.csp_lead, log, user="outsider", reads="on") == {
        "outsider_refused",
        "fire_viewed_other",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "BEH"}, {"health_signed_in"}),
        ({"event_type": EventType.ACCESS_DENIED}, {"outsider_refused"}),
        ({"user": "requester"}, {"requester_downloaded"}),
    ],
)
def test_access_log_filters(client: Client, world: World, log, params, expected) -> None:
    assert shown(client, world.administrator, log, **params) == expected


def test_spoc_sees_its_agencys_people_and_requests(client: Client, world: World, log) -> None:
    # Police: its officers' events, and events on requests made to it.
    assert shown(client, world.police_spoc, log) == {"discloser_viewed", "requester_downloaded"}
    # Council: its officers' events, and events on its requests, whoever acted.
    assert shown(client, world.council_deputy, log) == {
        "discloser_viewed",
        "requester_downloaded",
    }


def test_access_log_csv_streams_filtered_rows_and_is_audited(
    client: Client, world: World, log
) -> None:
    client.force_login(world.csp_lead)
    response = client.get(reverse("audit:access_log_csv"), {"reference": "ISP-2026-00042"})
    body = body_of(response).decode("utf-8-sig").splitlines()
    assert body[0].startswith("When (UTC),Event id,Username")
    assert len(body) == 3
    export = AuditEvent.objects.filter(event_type=EventType.EXPORT).get()
    assert export.details == {
        "export": "access_log.csv",
        "filters": {"reference": "ISP-2026-00042"},
    }


def test_older_events_page_by_keyset(client: Client, world: World) -> None:
    for _ in range(views.ACCESS_LOG_PAGE_SIZE + 5):
        audit_record(event_type=EventType.SIGN_IN, actor=world.requester)
    client.force_login(world.csp_lead)
    first = client.get(reverse("audit:access_log"))
    assert len(first.context["events"]) == views.ACCESS_LOG_PAGE_SIZE
    older = client.get(reverse("audit:access_log"), {"before": first.context["older"]})
    assert len(older.context["events"]) == 5
    assert older.context["older"] is None


def test_access_log_query_count_does_not_grow(client: Client, world: World) -> None:
    """The page of events (one indexed query), and agencies for the filter's choices."""
    client.force_login(world.csp_lead)
    url = reverse("audit:access_log")
    client.get(url)
    for _ in range(10):
        audit_record(event_type=EventType.SIGN_IN, actor=world.requester)
    with_ten = count_queries(client, url)
    for _ in range(90):
        audit_record(event_type=EventType.SIGN_IN, actor=world.requester)
    assert count_queries(client, url) == with_ten
