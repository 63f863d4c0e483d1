"""Who is working on a request: "Assign to me" for a disclosing officer, assign, reassign
and unassign for the target agency's SPOC or deputy, only while the request is open; on the
timeline, in the audit log, in the inbox and its filters."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType
from requests_app import selectors, services
from requests_app.models import InformationRequest, Status
from requests_app.services import TransitionRefused
from tests.world import World, ref

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InformationRequest]


def _assign(client: Client, user, req: InformationRequest, assignee="") -> int:
    client.force_login(user)
    data = {"assignee": assignee.pk if assignee else ""}
    return client.post(reverse("requests:assign", args=[req.pk]), data).status_code


def _assignee(req: InformationRequest):
    req.refresh_from_db()
    return req.assigned_to


# Who may assign whom ------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_CLARIFICATION, Status.REFERRED],
)
def test_a_disclosing_officer_takes_an_open_unassigned_request(
    client: Client, world: World, make_request: MakeRequest, status: Status
) -> None:
    req = make_request(status)
    assert _assign(client, world.discloser, req, world.discloser) == 302
    assert _assignee(req) == world.discloser


def test_a_disclosing_officer_cannot_take_a_request_another_officer_has(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser2, request=req, assignee=world.discloser2)
    with pytest.raises(TransitionRefused, match="already assigned to"):
        services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    assert _assign(client, world.discloser, req, world.discloser) == 302
    assert _assignee(req) == world.discloser2


def test_a_disclosing_officer_cannot_give_a_request_to_someone_else_or_unassign_it(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    assert _assign(client, world.discloser, req, world.discloser2) == 403
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    assert _assign(client, world.discloser, req) == 403
    assert _assignee(req) == world.discloser


@pytest.mark.parametrize("lead", ["police_spoc", "police_deputy"])
def test_the_spoc_or_deputy_assigns_reassigns_and_unassigns(
    client: Client, world: World, make_request: MakeRequest, lead: str
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    assert _assign(client, world.users[lead], req, world.discloser) == 302
    assert _assignee(req) == world.discloser
    assert _assign(client, world.users[lead], req, world.discloser2) == 302
    assert _assignee(req) == world.discloser2
    assert _assign(client, world.users[lead], req) == 302
    assert _assignee(req) is None


def test_only_an_active_disclosing_officer_of_the_target_agency_is_assigned(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    for officer in (world.police_dlo, world.police_spoc, world.requester):
        with pytest.raises(ValidationError):
            services.request_assign(actor=world.police_spoc, request=req, assignee=officer)
    world.discloser2.is_active = False
    world.discloser2.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    assert _assignee(req) is None


def test_the_spoc_picks_only_from_active_disclosing_officers(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    world.discloser2.is_active = False
    world.discloser2.save(update_fields=["is_active"])
    assert list(selectors.assignable_officers(req)) == [world.discloser]


@pytest.mark.parametrize(
    ("user", "code"),
    [
        ("police_dlo", 404),  # sees only decided requests
        ("police_manager", 403),
        ("police_colleague", 404),  # cannot see the request at all
        ("requester", 403),
        ("council_spoc", 403),  # the requesting agency's SPOC
        ("outsider", 404),
    ],
)
def test_nobody_else_assigns(
    client: Client, world: World, make_request: MakeRequest, user: str, code: int
) -> None:
    req = make_request(Status.REFERRED)
    assert _assign(client, world.users[user], req, world.discloser) == code
    assert _assignee(req) is None
    refused = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).last()
    assert refused is not None and refused.request_reference == req.reference


@pytest.mark.parametrize("status", [Status.DISCLOSED, Status.DECLINED, Status.WITHDRAWN])
def test_nobody_assigns_after_the_request_is_closed_to_it(
    client: Client, world: World, make_request: MakeRequest, status: Status
) -> None:
    req = make_request(status)
    with pytest.raises(TransitionRefused):
        services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser)
    with pytest.raises(TransitionRefused):
        services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    assert _assign(client, world.police_spoc, req, world.discloser) == 302
    assert _assignee(req) is None
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_ASSIGNED).exists()


def test_the_assignment_page_answers_only_a_post(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    assert client.get(reverse("requests:assign", args=[req.pk])).status_code == 405


def test_a_service_call_by_somebody_without_a_say_is_refused(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.request_assign(actor=world.police_dlo, request=req, assignee=world.discloser)


# Audit and timeline -------------------------------------------------------------------


def test_each_change_is_audited_with_who_had_it_and_who_has_it(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    services.request_assign(actor=world.police_deputy, request=req, assignee=None)
    # The same assignee again changes nothing and records nothing.
    services.request_assign(actor=world.police_deputy, request=req, assignee=None)
    events = list(AuditEvent.objects.filter(event_type=EventType.REQUEST_ASSIGNED).order_by("pk"))
    assert [(e.actor_username, e.details["from"], e.details["to"]) for e in events] == [
        ("discloser", "", "discloser"),
        ("police_spoc", "discloser", "discloser2"),
        ("police_deputy", "discloser2", ""),
    ]
    assert {e.request_reference for e in events} == {req.reference}


def test_the_timeline_shows_each_assignment(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    services.request_assign(actor=world.police_spoc, request=req, assignee=None)
    labels = [entry["status"] for entry in selectors.timeline(req)]
    assert labels[-2:] == [f"Assigned to {world.discloser}", "Unassigned"]
    who = [entry["who"] for entry in selectors.timeline(req)][-2:]
    assert who == [world.discloser, world.police_spoc]
    client.force_login(world.requester)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert f"Assigned to {world.discloser}" in html
    assert "Unassigned" in html


# The request page ---------------------------------------------------------------------


def test_the_request_page_offers_assign_to_me_and_says_who_has_it(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Not assigned" in html and "Assign to me" in html
    assert 'name="assignee"' in html and "Save assignment" not in html
    services.request_assign(actor=world.discloser2, request=req, assignee=world.discloser2)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert f"Assigned to: {world.discloser2}" in html and "Assign to me" not in html


def test_the_request_page_gives_the_spoc_the_choice_of_officers(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    client.force_login(world.police_spoc)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Save assignment" in html and "Assign to me" not in html
    assert f'value="{world.discloser.pk}"' in html and f'value="{world.discloser2.pk}"' in html
    assert f'value="{world.police_dlo.pk}"' not in html


def test_the_request_page_offers_nothing_once_decided(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.DISCLOSED)
    for user in (world.discloser, world.police_spoc):
        client.force_login(user)
        html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
        assert "Assign to me" not in html and "Save assignment" not in html


# The inbox ----------------------------------------------------------------------------


def _inbox(client: Client, user, **query: str) -> str:
    client.force_login(user)
    response = client.get(reverse("requests:inbox"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_shows_who_has_each_request_and_filters_by_it(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    mine = make_request(Status.SUBMITTED)
    theirs = make_request(Status.UNDER_REVIEW)
    nobodys = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=mine, assignee=world.discloser)
    services.request_assign(actor=world.discloser2, request=theirs, assignee=world.discloser2)

    html = _inbox(client, world.discloser)
    assert "Assigned to</th>" in html
    assert str(world.discloser2) in html and "Not assigned" in html

    html = _inbox(client, world.discloser, assigned="me")
    assert ref(mine) in html
    assert ref(theirs) not in html and ref(nobodys) not in html
    assert 'value="me" selected' in html  # the filter stays in the panel

    html = _inbox(client, world.discloser, assigned="nobody")
    assert ref(nobodys) in html
    assert ref(mine) not in html and ref(theirs) not in html


def test_a_reassigned_request_leaves_the_old_assignees_list_at_once(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    assert ref(req) in _inbox(client, world.discloser, assigned="me")
    services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    assert ref(req) not in _inbox(client, world.discloser, assigned="me")
    assert ref(req) in _inbox(client, world.discloser2, assigned="me")


def test_an_unknown_assigned_filter_is_refused_not_ignored(
    client: Client, world: World, make_request: MakeRequest
) -> None:
    make_request(Status.SUBMITTED)
    html = _inbox(client, world.discloser, assigned="discloser2")
    assert "Select a valid choice" in html
