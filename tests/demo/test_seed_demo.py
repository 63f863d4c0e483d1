"""`seed_demo` loads what the README promises, through the real services, and twice is
the same as once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, AgreementStatus
from audit.chain import HASHED_FIELDS, verify_rows
from audit.models import AuditEvent
from consent.models import ConsentStatus, WithdrawalNotice
from requests_app import demo as requests_demo
from requests_app.models import InformationRequest, Status
from requests_app.selectors import can_see_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, monkeypatch) -> None:
    settings.ALLOW_DEMO_DATA = True
    monkeypatch.setattr(requests_demo, "YEAR_OF_REQUESTS", 12)
    call_command("seed_demo")


def test_demo_has_requests_in_every_state(seeded: None) -> None:
    assert set(InformationRequest.objects.values_list("status", flat=True)) == set(Status.values)


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
    assert not any(can_see_request(fire, r) for r in InformationRequest.objects.all())


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
    rows = AuditEvent.objects.order_by("id").values(*HASHED_FIELDS, "prev_hash", "hash")
    assert verify_rows(rows).ok


def test_seeding_twice_changes_nothing(seeded: None) -> None:
    counts = (InformationRequest.objects.count(), User.objects.count(), Agreement.objects.count())
    call_command("seed_demo")
    assert (
        InformationRequest.objects.count(),
        User.objects.count(),
        Agreement.objects.count(),
    ) == counts
