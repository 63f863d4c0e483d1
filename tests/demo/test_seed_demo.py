"""`seed_demo` loads what the README promises, through the real services, and twice is
the same as once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Agency, Role, User
from agreements.models import Agreement, AgreementStatus, Signature
from audit.models import AuditEvent
from audit.verify import verify_chain
from consent.models import ConsentStatus, WithdrawalNotice
from isp_portal.my_work import my_work
from requests_app import demo as requests_demo
from requests_app.models import (
    Decision,
    InformationRequest,
    RequestGroup,
    Status,
    decision_timing,
)
from requests_app.reminders import send_reminders
from requests_app.selectors import requests_visible_to
from tests.world import request_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, monkeypatch) -> None:
    settings.ALLOW_DEMO_DATA = True
    monkeypatch.setattr(requests_demo, "YEAR_OF_REQUESTS", 12)
    call_command("seed_demo")


def test_demo_has_requests_in_every_state(seeded: None) -> None:
    assert set(InformationRequest.objects.values_list("status", flat=True)) == set(Status.values)


def test_demo_decisions_carry_the_timeliness_of_their_backdated_requests(seeded: None) -> None:
    """The dashboard counts days and on-time decisions from the decision itself: the demo's
    spread-out year must show there, not the day it was seeded."""
    decisions = list(Decision.objects.select_related("request"))
    for d in decisions:
        r = request_of(d)
        assert (d.days_to_decision, d.on_time) == decision_timing(
            d.signed_at, r.received_on, r.submitted_at, r.due_on
        )
        assert (d.disclosing_agency_id, d.requesting_agency_id) == (
            r.target_agency_id,
            r.requesting_agency_id,
        )
    assert len({d.days_to_decision for d in decisions}) > 1


def test_demo_cases_the_issue_names(seeded: None) -> None:
    requester = User.objects.get(username="council.requester")
    police = requester.requests_made.filter(target_agency__code="MPS")
    assert police.filter(status=Status.SUBMITTED).exists()  # awaiting a decision
    assert police.filter(status=Status.DISCLOSED).exists()
    assert police.filter(status=Status.DECLINED).exists()
    caldicott = User.objects.get(username="health.caldicott")
    referred = InformationRequest.objects.get(status=Status.REFERRED)
    assert referred.referrals.get().referred_to == caldicott
    assert InformationRequest.objects.filter(
        status__in=[Status.UNDER_REVIEW, Status.SUBMITTED], due_on__lt=timezone.localdate()
    ).exists()  # overdue
    fire = User.objects.get(username="fire.officer")
    assert not requests_visible_to(fire).exists()


def test_demo_agreements_consents_and_audit(seeded: None) -> None:
    assert Agreement.objects.get(reference="HAR-DSA-CP-01", status=AgreementStatus.ACTIVE)
    assert Agreement.objects.filter(status=AgreementStatus.TERMINATED).exists()
    assert Agreement.objects.filter(status=AgreementStatus.AWAITING_SIGNATURES).exists()
    assert set(
        InformationRequest.objects.filter(people__consent__isnull=False).values_list(
            "people__consent__status", flat=True
        )
    ) == {
        ConsentStatus.GIVEN,
        ConsentStatus.WITHDRAWN,
        ConsentStatus.REFUSED,
        ConsentStatus.NOT_SOUGHT,
    }
    assert WithdrawalNotice.objects.exists()  # the withdrawal reached the request using it
    result = verify_chain()
    assert result.ok
    assert result.checked == AuditEvent.objects.count()


def test_seeding_twice_changes_nothing(seeded: None) -> None:
    counts = (InformationRequest.objects.count(), User.objects.count(), Agreement.objects.count())
    call_command("seed_demo")
    assert (
        InformationRequest.objects.count(),
        User.objects.count(),
        Agreement.objects.count(),
    ) == counts


def test_demo_parties_follow_appendix_a(seeded: None) -> None:
    """The Fire Brigade's party is the Borough Fire Commander Appendix A names, every party
    has a SPOC and a deputy, and the police have a designated manager (#17)."""
    commander = User.objects.get(username="fire.signatory")
    assert commander.get_full_name() == "Simon Amos"
    assert commander.position.startswith("Borough Fire Commander")
    assert set(commander.role_set) == {Role.SIGNATORY}
    assert (
        not User.objects.filter(first_name="Simon", last_name="Amos")
        .exclude(pk=commander.pk)
        .exists()
    )
    fire_signatures = Signature.objects.filter(agency__code="LFB")
    assert fire_signatures.exists()
    assert set(fire_signatures.values_list("signed_by", flat=True)) == {commander.pk}
    for agency in Agency.objects.all():
        for role in (Role.SPOC, Role.DEPUTY_SPOC):
            assert User.objects.filter(
                is_active=True, roles__agency=agency, roles__role=role
            ).exists(), f"{agency.code} has no {role}"
    assert User.objects.filter(
        is_active=True, agency__code="MPS", roles__role=Role.DESIGNATED_MANAGER
    ).exists()


def test_no_demo_decision_is_dated_in_the_future(seeded: None) -> None:
    now = timezone.now()
    for decision in Decision.objects.select_related("request"):
        assert decision.signed_at <= now
        assert decision.supplied_on is None or decision.supplied_on <= timezone.localdate()
        request = request_of(decision)
        assert request.submitted_at is not None and request.submitted_at <= decision.signed_at
        assert request.review_started_on is None or (
            request.received_on is not None and request.received_on <= request.review_started_on
        )


def test_demo_has_one_request_sent_to_two_agencies_at_once(seeded: None) -> None:
    group = RequestGroup.objects.get()
    sent = {r.target_agency.code: r for r in group.requests.select_related("target_agency")}
    assert set(sent) == {"MPS", "BEH"}
    assert sent["MPS"].status == Status.DISCLOSED
    assert sent["BEH"].status == Status.SUBMITTED
    police = User.objects.get(username="police.discloser")
    assert sent["BEH"] not in set(requests_visible_to(police))


def test_demo_casework_gives_my_work_and_the_reminders_something_to_show(
    seeded: None, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    def counts(username: str) -> dict[str, int]:
        return {w.key: w.count for w in my_work(User.objects.get(username=username))}

    police = InformationRequest.objects.filter(
        target_agency__code="MPS", status__in=["submitted", "under_review"]
    )
    assert police.filter(assigned_to__username="police.discloser").exists()
    assert police.filter(assigned_to__isnull=True).exists()
    assert counts("police.discloser")["to_decide"] >= 2
    assert counts("police.spoc")["overdue"] >= 1
    assert counts("police.spoc")["to_assign"] >= 1
    assert counts("council.requester")["clarifications"] >= 1
    assert counts("police.dlo")["onward"] >= 1
    assert counts("police.dlo")["returned"] >= 1
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders()
    assert {r.kind for r in run.sent} >= {"due_soon", "due_today", "overdue", "clarification"}
    assert mailoutbox
