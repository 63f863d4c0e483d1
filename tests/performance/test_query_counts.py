"""Every page the bench measures runs the same number of queries at 10 rows and at 1,000.

Rows are written with bulk inserts (requests, their need-to-know permission rows, people,
decisions and hash-chained audit events), so the test stays fast on SQLite and PostgreSQL.
"""

import datetime
import itertools
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_group
from audit.chain import GENESIS, compute_hash
from audit.models import AuditEvent, EventType
from requests_app.models import (
    Decision,
    InformationRequest,
    NamedPerson,
    RequestGroupPermission,
    RequestUserPermission,
    Status,
)
from tests.world import World

pytestmark = pytest.mark.django_db

REFERENCE = "ISP-2099-00001"
_numbers = itertools.count(1)


def _add_requests(world: World, count: int) -> None:
    """Decided requests from the council to the police, as the services leave them."""
    now = timezone.now()
    rows = InformationRequest.objects.bulk_create(
        InformationRequest(
            reference=f"ISP-2099-{next(_numbers):05d}",
            status=Status.DISCLOSED if i % 2 else Status.UNDER_REVIEW,
            requester=world.requester,
            requesting_agency=world.council,
            target_agency=world.police,
            description="Bulk",
            required_by=now.date() + datetime.timedelta(days=30),
            declaration_name="Requester Tester",
            submitted_at=now - datetime.timedelta(days=i % 300),
            received_on=now.date(),
            due_on=now.date() + datetime.timedelta(days=i % 20 - 5),
            decided_at=now if i % 2 else None,
        )
        for i in range(count)
    )
    _grant(world, rows)
    NamedPerson.objects.bulk_create(
        NamedPerson(request=req, full_name="Bulk Person", role="suspect", position=n)
        for req in rows
        for n in range(2)
    )
    decisions = [
        Decision(
            request=req,
            outcome="disclosed",
            reasons="Necessary",
            discloser=world.discloser,
            disclosed_by_name="Discloser Tester",
            disclosed_by_organisation="Metropolitan Police Service",
            marking="OFFICIAL-SENSITIVE",
            consent_basis="public_interest",
            subject_informed="no",
            not_informed_reason="Would prejudice crime prevention",
            authorised_by="Inspector",
            information_types=["demographics", "offending_history"],
            evidence="Records",
            signature_name="Discloser Tester",
            signed_at=(req.submitted_at or timezone.now()) + datetime.timedelta(days=3),
        )
        for req in rows
        if req.status == Status.DISCLOSED
    ]
    for decision in decisions:
        decision.take_request_facts()  # as save() would
    Decision.objects.bulk_create(decisions)


def _grant(world: World, rows: list[InformationRequest]) -> None:
    """The rows ``access.grant_on_create`` and ``grant_on_submit`` write, in bulk."""
    permission = Permission.objects.get(codename="see_request")
    groups = [
        role_group(agency=world.council, role=Role.SPOC),
        role_group(agency=world.council, role=Role.DEPUTY_SPOC),
        role_group(agency=world.police, role=Role.DISCLOSING_OFFICER),
        role_group(agency=world.police, role=Role.SPOC),
        role_group(agency=world.police, role=Role.DEPUTY_SPOC),
    ]
    RequestUserPermission.objects.bulk_create(
        RequestUserPermission(user=world.requester, permission=permission, content_object=req)
        for req in rows
    )
    RequestGroupPermission.objects.bulk_create(
        RequestGroupPermission(group=group, permission=permission, content_object=req)
        for req in rows
        for group in groups
    )


def _add_events(world: World, count: int) -> None:
    """Audit events about one request, chained onto the last as ``audit_record`` does."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    next_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    events = []
    for event_id in range(next_id, next_id + count):
        row = {
            "id": event_id,
            "occurred_at": timezone.now(),
            "actor_id": world.police_spoc.pk,
            "actor_username": world.police_spoc.username,
            "actor_agency": "MPS",
            "actor_roles": ["spoc"],
            "event_type": str(EventType.REQUEST_VIEWED),
            "object_type": "informationrequest",
            "object_id": "1",
            "request_reference": REFERENCE,
            "outcome": "allowed",
            "ip_address": "127.0.0.1",
            "user_agent": "test",
            "details": {},
        }
        prev = compute_hash(row, prev)
        events.append(AuditEvent(**row, key_id=settings.AUDIT_HMAC_KEY_ID, prev_hash="", hash=prev))
    # prev_hash is each event's predecessor: shift the hashes by one.
    previous = [last[1] if last else GENESIS] + [e.hash for e in events[:-1]]
    for event, prev_hash in zip(events, previous, strict=True):
        event.prev_hash = prev_hash
    AuditEvent.objects.bulk_create(events, batch_size=500)
    if connection.vendor == "postgresql":
        # The ids were given here; audit_record takes the next one from the sequence.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)",
                [events[-1].id],
            )


def _grow_to(world: World, rows: int) -> None:
    _add_requests(world, rows - InformationRequest.objects.count())
    _add_events(world, rows - AuditEvent.objects.count())


def _first_request() -> InformationRequest:
    return InformationRequest.objects.filter(status=Status.DISCLOSED).earliest("pk")


PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    # page: (user, URL)
    "inbox": ("police_spoc", lambda: reverse("requests:inbox")),
    "inbox, decided": ("police_spoc", lambda: reverse("requests:inbox") + "?show=decided"),
    "my requests": ("requester", lambda: reverse("requests:mine")),
    "request page": (
        "police_spoc",
        lambda: reverse("requests:detail", args=[_first_request().pk]),
    ),
    "register": ("csp_lead", lambda: reverse("audit:register")),
    "register, filtered": (
        "csp_lead",
        lambda: reverse("audit:register") + "?disclosing_agency=MPS&outcome=disclosed",
    ),
    "register, SPOC": ("police_spoc", lambda: reverse("audit:register")),
    "dashboard": ("csp_lead", lambda: reverse("audit:dashboard")),
    "access log, one request": (
        "csp_lead",
        lambda: reverse("audit:access_log") + f"?reference={REFERENCE}",
    ),
    "access log, SPOC": ("police_spoc", lambda: reverse("audit:access_log")),
}


def _queries(client: Client, url: str) -> int:
    client.get(url)  # first visit: session and caches settle
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_the_same_queries_at_10_and_1000_rows(world: World, page: str) -> None:
    username, url = PAGES[page]
    client = Client()
    client.force_login(world.users[username])
    _grow_to(world, 10)
    small = _queries(client, url())
    _grow_to(world, 1000)
    large = _queries(client, url())
    assert small > 0
    assert small == large, f"{page}: {small} queries at 10 rows, {large} at 1,000"


# The budgets of issue 19, pinned here beside the pages the bench measures (the request page
# per role and stage is pinned in tests/requests_app/test_query_counts.py, the middleware in
# tests/security/test_session_queries.py).
REQUEST_PAGE_BUDGET = 15
BEFORE_VIEW_BUDGET = 4


def test_the_request_page_stays_within_its_query_budget(world: World) -> None:
    _grow_to(world, 10)
    client = Client()
    client.force_login(world.users["police_spoc"])
    url = reverse("requests:detail", args=[_first_request().pk])
    assert _queries(client, url) <= REQUEST_PAGE_BUDGET


def test_a_signed_in_page_runs_at_most_four_queries_before_its_view(
    world: World, settings: object
) -> None:
    """The bench's bare view runs one query of its own; everything else is the middleware's
    (the session, the officer with roles, the idle clock when due)."""
    settings.ROOT_URLCONF = "bench.urls"  # type: ignore[attr-defined]
    client = Client()
    client.force_login(world.users["police_spoc"])
    assert _queries(client, "/bench/bare/") - 1 <= BEFORE_VIEW_BUDGET
