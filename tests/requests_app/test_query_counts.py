"""List and detail pages run a constant number of queries, whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_app import access
from requests_app.models import InformationRequest, NamedPerson, Status
from tests.world import World

pytestmark = pytest.mark.django_db


def _bulk_requests(world: World, agreement, count: int) -> None:
    today = timezone.localdate()
    start = InformationRequest.objects.count()
    rows = InformationRequest.objects.bulk_create(
        InformationRequest(
            reference=f"ISP-2099-{start + i:05d}",
            status=Status.SUBMITTED,
            requester=world.requester,
            requesting_agency=world.council,
            target_agency=world.police,
            agreement=agreement,
            description="Bulk",
            required_by=today + datetime.timedelta(days=30),
            declaration_name="Requester Tester",
            submitted_at=timezone.now(),
            due_on=today + datetime.timedelta(days=i % 20 - 5),
        )
        for i in range(count)
    )
    for req in rows:
        access.grant_on_create(req)
        access.grant_on_submit(req)
    NamedPerson.objects.bulk_create(
        NamedPerson(request=req, full_name="Bulk Person", role="suspect") for req in rows
    )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("user", "url_name"),
    [
        ("police_spoc", "requests:inbox"),
        ("discloser", "requests:inbox"),
        ("requester", "requests:mine"),
        # My work on the home page: one query a list, whatever the rows.
        ("police_spoc", "home"),
        ("discloser", "home"),
        ("requester", "home"),
        ("police_dlo", "home"),
    ],
)
def test_list_pages_run_the_same_queries_for_5_or_500_requests(
    world: World, agreement, client: Client, user: str, url_name: str
) -> None:
    client.force_login(world.users[user])
    client.get(reverse("home"))  # the first request after sign-in also records the session
    _bulk_requests(world, agreement, 5)
    small = _queries(client, reverse(url_name))
    _bulk_requests(world, agreement, 495)
    large = _queries(client, reverse(url_name))
    assert small == large


def test_my_work_costs_one_query_a_list_and_the_record_of_what_it_showed(
    world: World, agreement, client: Client
) -> None:
    _bulk_requests(world, agreement, 20)
    client.force_login(world.discloser)
    client.get(reverse("home"))
    baseline = _queries(client, reverse("guidance"))
    # A disclosing officer has two lists (requests to decide, withdrawals of consent to
    # review), each its page of rows and their count in one query; recording what was
    # shown adds two (its id from the sequence, the insert).
    assert _queries(client, reverse("home")) == baseline + 2 + 2


def test_inbox_costs_one_query_more_than_any_signed_in_page(
    world: World, agreement, client: Client
) -> None:
    _bulk_requests(world, agreement, 20)
    client.force_login(world.discloser)
    client.get(reverse("home"))
    # Every signed-in page costs the same: session, user, session tracking, roles for the
    # navigation, the officer's agency for the header, the session save.
    baseline = _queries(client, reverse("guidance"))
    # The inbox adds exactly three: the agencies for the filter panel, the count for the
    # pager, and the page of rows with both agencies, the requester and the assignee joined
    # and need to know as two EXISTS subqueries on guardian's direct permission tables.
    # Recording the list viewed adds two more (its id from the sequence, the insert): no
    # lock, no savepoint.
    assert _queries(client, reverse("requests:inbox")) == baseline + 5


def test_request_page_runs_the_same_queries_for_one_person_or_fifty(
    world: World, make_request, client: Client
) -> None:
    client.force_login(world.discloser)
    small = make_request(Status.UNDER_REVIEW)
    big = make_request(Status.UNDER_REVIEW)
    NamedPerson.objects.bulk_create(
        NamedPerson(request=big, full_name=f"Person {i}", role="suspect", position=i + 1)
        for i in range(49)
    )
    client.get(reverse("requests:detail", args=[small.pk]))
    assert _queries(client, reverse("requests:detail", args=[small.pk])) == _queries(
        client, reverse("requests:detail", args=[big.pk])
    )


# The request page, by who opens it and at which stage: what each sees differs (permissions.
# SEES), and so do the parts read. Counted as the bench counts (no savepoints: a test's
# own transaction adds one around the audit record, which production does not run in).
# Two before the view (session, officer with agency and roles), the request with its
# decision and which rare parts it has, the audit record (its id, insert), then the people
# with their consents, the legislation and the history. A referred request, opened by the
# manager it is referred to, adds three: the referrals shown, and the checks of which
# referral this manager is to advise on (the actions). Requesting and disclosing officers
# add one: the header's "What changed" count.
REQUEST_PAGE = [
    ("requester", Status.SUBMITTED, 9),
    ("requester", Status.DISCLOSED, 9),
    ("discloser", Status.UNDER_REVIEW, 9),
    ("police_spoc", Status.DISCLOSED, 8),
    ("council_spoc", Status.DISCLOSED, 8),
    ("police_manager", Status.REFERRED, 11),
]


@pytest.mark.parametrize(("user", "state", "expected"), REQUEST_PAGE)
def test_request_page_runs_at_most_15_queries(
    world: World, make_request, client: Client, user: str, state: str, expected: int
) -> None:
    req = make_request(state)
    client.force_login(world.users[user])
    url = reverse("requests:detail", args=[req.pk])
    client.get(url)  # the first request after sign-in also writes the idle clock
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(_SAVEPOINTS)
    ]
    assert len(statements) == expected
    assert len(statements) <= 15


_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
