"""My work: the home page shows each officer what waits for them, across their roles, with a
count per kind and the oldest first, each list under its own pages' need to know."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus
from audit.models import AuditEvent, EventType
from consent.models import NoticeKind, WithdrawalNotice
from isp_portal.my_work import my_work
from oversight import services as breach_services
from requests_app import services
from requests_app.models import InformationRequest, Status
from requests_app.selectors import requests_visible_to
from tests.agreements.builders import build_agreement
from tests.consent.conftest import ConsentFactory
from tests.world import World, ref

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InformationRequest]


def _work(user) -> dict[str, tuple[int, list[str]]]:
    return {w.key: (w.count, [i.reference for i in w.items]) for w in my_work(user)}


def test_a_disclosing_officer_sees_requests_that_are_theirs_or_nobodys_oldest_first(
    world: World, make_request: MakeRequest
) -> None:
    first = make_request(Status.SUBMITTED)
    second = make_request(Status.UNDER_REVIEW)
    others = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser2, request=others, assignee=world.discloser2)
    mine = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=mine, assignee=world.discloser)
    make_request(Status.AWAITING_CLARIFICATION)  # waits for the requester
    make_request(Status.REFERRED)  # waits for the designated manager
    make_request(Status.DECLINED)
    assert _work(world.discloser)["to_decide"] == (
        3,
        [first.reference, second.reference, mine.reference],
    )
    assert _work(world.discloser2)["to_decide"] == (
        3,
        [first.reference, second.reference, others.reference],
    )


def test_a_reassigned_request_leaves_the_old_assignees_my_work_at_once(
    world: World, make_request: MakeRequest, client: Client
) -> None:
    req = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    client.force_login(world.discloser)
    assert ref(req) in client.get(reverse("home")).content.decode()
    services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    assert ref(req) not in client.get(reverse("home")).content.decode()
    assert _work(world.discloser)["to_decide"] == (0, [])
    assert _work(world.discloser2)["to_decide"] == (1, [req.reference])


def test_the_spoc_sees_what_nobody_is_working_on_and_what_is_overdue(
    world: World, make_request: MakeRequest
) -> None:
    unassigned = make_request(Status.SUBMITTED)
    taken = make_request(Status.SUBMITTED)
    services.request_assign(actor=world.discloser, request=taken, assignee=world.discloser)
    InformationRequest.objects.filter(pk=taken.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    work = _work(world.police_spoc)
    assert work["to_assign"] == (1, [unassigned.reference])
    assert work["overdue"] == (1, [taken.reference])
    assert "to_decide" not in work  # a SPOC is not a disclosing officer


def test_the_requester_sees_questions_to_answer_and_nobody_else_does(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.AWAITING_CLARIFICATION)
    assert _work(world.requester)["clarifications"] == (1, [req.reference])
    assert _work(world.council_colleague)["clarifications"] == (0, [])
    services.request_answer_clarification(actor=world.requester, request=req, answer="No. 1")
    assert _work(world.requester)["clarifications"] == (0, [])


def test_the_designated_manager_sees_advice_asked_until_given(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.REFERRED)
    assert _work(world.police_manager)["advice"] == (1, [req.reference])
    assert _work(world.health_caldicott)["advice"] == (0, [])
    services.request_give_advice(actor=world.police_manager, request=req, advice="Disclose")
    assert _work(world.police_manager)["advice"] == (0, [])


def test_the_dlo_sees_onward_sharing_questions_and_returned_information(
    world: World, make_request: MakeRequest
) -> None:
    asked = make_request(Status.DISCLOSED)
    services.onward_sharing_ask(
        actor=world.requester, request=asked, third_party="Housing provider", purpose="Safety"
    )
    returned = make_request(Status.RETURNED)
    work = _work(world.police_dlo)
    assert work["onward"] == (1, [asked.reference])
    assert work["returned"] == (1, [returned.reference])
    assert _work(world.council_dlo)["onward"] == (0, [])


def test_withdrawals_of_consent_wait_for_the_disclosing_agency(
    world: World, make_request: MakeRequest
) -> None:
    req = make_request(Status.SUBMITTED)
    consent = ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester)
    WithdrawalNotice.objects.create(
        request=req,
        consent=consent,
        kind=NoticeKind.OPEN,
        person_label="Person 1 (witness)",
        created_at=timezone.now(),
    )
    assert _work(world.discloser)["withdrawals"] == (1, [req.reference])
    assert _work(world.police_spoc)["withdrawals"] == (1, [req.reference])
    assert "withdrawals" not in _work(world.requester)


def test_agreements_to_sign_and_breaches_to_decide(world: World, make_request) -> None:
    waiting = build_agreement(world, AgreementStatus.AWAITING_SIGNATURES)  # police signs last
    assert _work(world.police_signatory)["agreements_to_sign"][0] == 1
    assert _work(world.council_signatory)["agreements_to_sign"] == (0, [])
    assert waiting.reference in _work(world.police_signatory)["agreements_to_sign"][1][0]
    breach = breach_services.breach_report(
        reporter=world.discloser,
        owning_agency=world.police,
        what_happened="Sent to the wrong inbox",
        discovered_at=timezone.now() - datetime.timedelta(hours=80),
        data_affected="Contact details",
        agreement=waiting,
    )
    assert _work(world.police_spoc)["breaches_to_decide"] == (1, [breach.reference])
    assert _work(world.council_spoc)["breaches_to_decide"] == (0, [])
    assert _work(world.csp_lead)["breaches_past_deadline"] == (1, [breach.reference])


def test_nobody_sees_in_my_work_a_request_they_may_not_see(
    world: World, make_request: MakeRequest
) -> None:
    for state in (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.AWAITING_CLARIFICATION,
        Status.REFERRED,
        Status.RETURNED,
    ):
        make_request(state)
    references = set(InformationRequest.objects.values_list("reference", flat=True))
    for user in world.users.values():
        visible = set(requests_visible_to(user).values_list("reference", flat=True))
        for work in my_work(user):
            shown = {item.reference for item in work.items} & references
            assert shown <= visible, (user.username, work.key)
    assert my_work(world.outsider) == [
        w for w in my_work(world.outsider) if w.key == "clarifications"
    ]
    assert _work(world.outsider)["clarifications"] == (0, [])


def test_the_home_page_shows_counts_and_records_what_it_showed(
    world: World, make_request: MakeRequest, client: Client
) -> None:
    reqs = [make_request(Status.SUBMITTED) for _ in range(7)]
    client.force_login(world.discloser)
    html = client.get(reverse("home")).content.decode()
    assert "My work" in html
    assert "Requests to review or decide (7)" in html
    assert "Open the inbox (all 7)" in html
    for req in reqs[:5]:
        assert ref(req) in html
    assert ref(reqs[6]) not in html
    event = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("id")
    assert event.details["list"] == "home:my_work"
    assert event.details["shown"][:5] == [r.reference for r in reqs[:5]]
    assert event.details["counts"]["to_decide"] == 7


def test_each_row_says_when_it_is_due_or_what_to_do(
    world: World, make_request: MakeRequest
) -> None:
    urgent = make_request(Status.SUBMITTED, is_urgent=True, urgency_reason="Court tomorrow")
    InformationRequest.objects.filter(pk=urgent.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    make_request(Status.AWAITING_CLARIFICATION)
    make_request(Status.RETURNED)
    discloser = {w.key: w for w in my_work(world.discloser)}
    item = discloser["to_decide"].items[0]
    assert (item.note, item.late) == ("Urgent, 2 days overdue", True)
    requester = {w.key: w for w in my_work(world.requester)}
    assert requester["clarifications"].items[0].note == "Answer to restart the clock"
    dlo = {w.key: w for w in my_work(world.police_dlo)}
    assert dlo["returned"].items[0].note == "Confirm the information is destroyed"
