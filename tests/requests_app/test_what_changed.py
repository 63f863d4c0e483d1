"""What changed: new messages, clarification, decisions and withdrawals on an officer's own
requests since they last looked, with a count in the header that costs one query."""

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerRole, User
from audit.models import AuditEvent, EventType
from requests_app import services
from requests_app.models import OPEN_STATUSES, InformationRequest, Status
from requests_app.selectors import requests_visible_to
from requests_app.thread import services as thread_services
from requests_app.thread.selectors import changes_count, changes_for, my_own_requests
from tests.requests_app.conftest import decision_fields
from tests.requests_app.test_permission_matrix import STATES
from tests.world import World

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _say(user, req: InformationRequest, body: str = "Hello") -> None:
    thread_services.message_send(actor=user, request=req, body=body)


def test_messages_and_decisions_by_others_count_and_opening_the_list_marks_them_seen(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _client(world.requester).get(reverse("requests:changes"))  # seen: nothing before now
    assert changes_count(world.requester) == 0

    _say(world.requester, req)  # one's own message is no change to oneself
    assert changes_count(world.requester) == 0
    _say(world.discloser, req, "A question")
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    assert changes_count(world.requester) == 2

    home = _client(world.requester).get(reverse("home")).content.decode()
    assert 'id="what-changed"' in home
    assert '>2<span class="govuk-visually-hidden"> new</span>' in home

    page = _client(world.requester).get(reverse("requests:changes"))
    assert [(c.what, c.request.pk, c.new) for c in page.context["changes"]] == [
        ("Decision recorded", req.pk, True),
        ("New message", req.pk, True),
    ]
    html = page.content.decode()
    assert req.reference in html
    assert "A question" not in html  # what changed, never what was said
    assert changes_count(world.requester) == 0
    # Seen, they stay listed for a while, no longer new.
    again = _client(world.requester).get(reverse("requests:changes"))
    assert [c.new for c in again.context["changes"]] == [False, False]


def test_clarification_and_withdrawal_reach_the_officer_the_request_is_assigned_to(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    _client(world.discloser).get(reverse("requests:changes"))
    services.request_ask_clarification(actor=world.discloser, request=req, question="Which?")
    assert changes_for(world.requester)[0].what == "Clarification asked"
    services.request_answer_clarification(actor=world.requester, request=req, answer="This")
    services.request_withdraw(actor=world.requester, request=req, reason="")
    assert changes_count(world.discloser) == 2
    assert [c.what for c in changes_for(world.discloser) if c.new] == [
        "Request withdrawn",
        "Clarification given",
    ]
    # Not assigned to them, not their request: nothing.
    assert changes_count(world.discloser2) == 0
    assert changes_for(world.discloser2) == []


def test_changes_on_requests_out_of_sight_never_count(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _say(world.discloser, req)
    for user in (world.outsider, world.council_colleague, world.police_colleague):
        assert changes_count(user) == 0
        assert changes_for(user) == []


def test_officers_without_requests_of_their_own_have_no_list_and_no_query(
    world: World, django_assert_num_queries
) -> None:
    for user in (world.csp_lead, world.police_dlo, world.administrator):
        with django_assert_num_queries(0):
            assert changes_count(user) == 0
        page = _client(user).get(reverse("home")).content.decode()
        assert 'id="what-changed"' not in page


def test_the_header_count_is_one_query_whatever_the_number_of_requests(
    world: World, make_request, django_assert_num_queries
) -> None:
    for _ in range(3):
        req = make_request(Status.UNDER_REVIEW)
        _say(world.discloser, req)
        services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
        _say(world.requester, req)
    with django_assert_num_queries(1):
        assert changes_count(world.requester) == 3
    with django_assert_num_queries(1):
        assert changes_count(world.discloser) == 3


def test_opening_the_list_is_recorded_with_the_references_shown(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _say(world.discloser, req)
    _client(world.requester).get(reverse("requests:changes"))
    event = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("pk")
    assert event.details["list"] == "requests:changes"
    assert event.details["shown"] == [req.reference]


@pytest.mark.parametrize("state", STATES)
def test_own_requests_are_exactly_those_need_to_know_gives_of_made_or_assigned(
    world: World, make_request, state: str
) -> None:
    """The count reads own requests by the relations that grant access, for speed: they
    must be the requests the permission rows give, for every role, assigned or not."""
    req = make_request(state)
    if req.status in OPEN_STATUSES:
        services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    # Assigned, then no longer a disclosing officer of that agency: no longer theirs.
    OfficerRole.objects.filter(user=world.discloser2).delete()
    world.discloser2.groups.clear()  # as accounts.services does with the role
    for user in User.objects.filter(pk__in=[u.pk for u in world.users.values()]):
        own = set(my_own_requests(user))
        visible = set(requests_visible_to(user).filter(Q(requester=user) | Q(assigned_to=user)))
        assert own == visible, (user.username, state)
