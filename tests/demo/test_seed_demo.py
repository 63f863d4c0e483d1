"""`seed_demo` loads what the README promises, through the real services, and twice is
the same as once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, AgreementStatus
from audit.models import AuditEvent
from audit.verify import verify_chain
from consent.models import ConsentStatus, WithdrawalNotice
from requests_app import demo as requests_demo
from requests_app.models import Decision, InformationRequest, Status, decision_timing
from requests_app.selectors import requests_visible_to

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
        r = d.request
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
