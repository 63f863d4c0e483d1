"""Part B's "date request received" is the request's submission, as on paper; the day
review started is recorded beside it, and the time-to-decision figures say which they
count (#17)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from oversight.dashboard import MEDIAN_LABEL, Period, dashboard, figures_table
from requests_app import services
from requests_app.models import Decision, Status
from tests.audit.conftest import DecisionFactory, InformationRequestFactory
from tests.migrating import migrating
from tests.requests_app.conftest import build_request, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_received_is_the_submission_and_review_start_is_kept_apart(
    world: World, agreement: Agreement
) -> None:
    monday = timezone.localdate() + datetime.timedelta(days=1)
    with time_machine.travel(_at(monday), tick=False):
        req = build_request(world, agreement, Status.SUBMITTED)
    assert req.received_on == monday
    assert req.review_started_on is None

    with time_machine.travel(_at(monday + datetime.timedelta(days=2)), tick=False):
        req = services.request_start_review(actor=world.discloser, request=req)
    with time_machine.travel(_at(monday + datetime.timedelta(days=5)), tick=False):
        services.request_decide(
            actor=world.discloser, request=req, fields=decision_fields(world.discloser)
        )
    req.refresh_from_db()
    assert req.received_on == monday
    assert req.review_started_on == monday + datetime.timedelta(days=2)
    # Counted from the date received, as the dashboard says.
    assert Decision.objects.get(request=req).days_to_decision == 5


def test_request_page_shows_both_dates(client: Client, world: World, agreement: Agreement) -> None:
    req = build_request(world, agreement, Status.DISCLOSED)
    client.force_login(world.requester)
    html = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Date request received" in html
    assert "Date review started" in html


def test_dashboard_says_what_time_to_decision_counts(client: Client, world: World) -> None:
    client.force_login(world.csp_lead)
    html = client.get(reverse("audit:dashboard")).content.decode()
    assert "from the date each request was received (the day it was submitted)" in html
    table = figures_table(dashboard(Period.last_twelve_months()))
    assert any(row[1] == MEDIAN_LABEL for row in table)
    assert "received (submitted) to the decision" in MEDIAN_LABEL


@pytest.mark.django_db(transaction=True)
def test_migration_moves_review_start_out_and_recounts_days(world: World) -> None:
    submitted = _at(datetime.date(2026, 3, 2), hour=23)  # 23:00 in London, still 2 March
    request = InformationRequestFactory.create(
        requester=world.requester,
        requesting_agency=world.council,
        target_agency=world.police,
        submitted_at=submitted,
        received_on=datetime.date(2026, 3, 4),
        due_on=datetime.date(2026, 3, 16),
    )
    decision = DecisionFactory.create(
        request=request, discloser=world.discloser, signed_at=_at(datetime.date(2026, 3, 9))
    )
    never_reviewed = InformationRequestFactory.create(
        requester=world.requester,
        requesting_agency=world.council,
        target_agency=world.police,
        status=Status.SUBMITTED,
        submitted_at=submitted,
        received_on=None,
        due_on=datetime.date(2026, 3, 16),
    )
    with migrating("requests_app", "0015_decision_summary", "0016_review_started_on") as (
        old,
        forward,
    ):
        # Before, the field held the day review started; migrating back cleared it.
        old.get_model("requests_app", "InformationRequest").objects.filter(pk=request.pk).update(
            received_on=datetime.date(2026, 3, 4)
        )
        old.get_model("requests_app", "Decision").objects.filter(pk=decision.pk).update(
            days_to_decision=5, on_time=True
        )
        new = forward()
        Request = new.get_model("requests_app", "InformationRequest")
        migrated = Request.objects.get(pk=request.pk)
        pending = Request.objects.get(pk=never_reviewed.pk)
        counted = new.get_model("requests_app", "Decision").objects.get(pk=decision.pk)
    assert migrated.received_on == datetime.date(2026, 3, 2)
    assert migrated.review_started_on == datetime.date(2026, 3, 4)
    assert pending.received_on == datetime.date(2026, 3, 2)
    assert pending.review_started_on is None
    assert counted.days_to_decision == 7
    assert counted.on_time is True
