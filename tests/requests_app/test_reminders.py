"""The daily reminders: sent once, only to the right people, never twice, and never about a
request that is withdrawn or decided."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEvent, EventType
from requests_app import services
from requests_app.models import InformationRequest, ReminderKind, SentReminder, Status
from requests_app.reminders import send_reminders
from tests.requests_app.conftest import SUSPECT, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
FAR = datetime.date(2027, 3, 1)
# Sent on Tuesday 1 December 2026: ten working days, due Tuesday 15 December.
SENT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
DUE = datetime.date(2026, 12, 15)


def _on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 0), LONDON))


@pytest.fixture
def sent_request(make_request):
    def make(state: str = Status.SUBMITTED, **overrides: object) -> InformationRequest:
        with time_machine.travel(SENT, tick=False):
            req = make_request(state, required_by=FAR, **overrides)
        return req

    return make


@pytest.fixture
def job(mailoutbox, django_capture_on_commit_callbacks):
    """Run the daily job on a day; the emails it sent that day, as (recipient, subject)."""

    def run(day: datetime.date) -> list[tuple[str, str]]:
        mailoutbox.clear()
        with _on(day), django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=StringIO())
        return sorted((m.to[0], m.subject) for m in mailoutbox)

    return run


def _to(*users) -> set[str]:
    return {u.email for u in users}


def test_due_soon_and_on_the_day_go_to_the_agencys_disclosing_officers_while_nobody_has_it(
    world: World, sent_request, job
) -> None:
    req = sent_request()
    assert req.due_on == DUE
    # Two working days before Tuesday 15 December: Friday 11 December.
    assert job(datetime.date(2026, 12, 10)) == []
    sent = job(datetime.date(2026, 12, 11))
    assert {to for to, _ in sent} == _to(world.discloser, world.discloser2)
    assert {subject for _, subject in sent} == {
        f"ISP Portal: {req.reference} is due on 15 December 2026"
    }
    # Monday is still within the notice period: nothing again.
    assert job(datetime.date(2026, 12, 14)) == []
    sent = job(DUE)
    assert {to for to, _ in sent} == _to(world.discloser, world.discloser2)
    assert {subject for _, subject in sent} == {f"ISP Portal: {req.reference} is due today"}


def test_an_assigned_request_reminds_its_assignee_only_and_follows_reassignment(
    world: World, sent_request, job
) -> None:
    req = sent_request()
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    assert {to for to, _ in job(datetime.date(2026, 12, 11))} == _to(world.discloser)
    services.request_assign(actor=world.police_spoc, request=req, assignee=world.discloser2)
    assert {to for to, _ in job(DUE)} == _to(world.discloser2)


def test_overdue_goes_to_the_spoc_and_deputy_the_first_day_then_weekly(
    world: World, sent_request, job
) -> None:
    req = sent_request()
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    first = job(datetime.date(2026, 12, 16))
    assert {to for to, _ in first} == _to(world.police_spoc, world.police_deputy)
    assert {subject for _, subject in first} == {
        f"ISP Portal: {req.reference} is overdue: it was due on 15 December 2026, 1 day ago"
    }
    for day in range(17, 23):
        assert job(datetime.date(2026, 12, day)) == []
    again = job(datetime.date(2026, 12, 23))
    assert {to for to, _ in again} == _to(world.police_spoc, world.police_deputy)


def test_a_missed_day_is_caught_up_once(world: World, sent_request, job) -> None:
    sent_request()
    # The job did not run on the 16th: the first overdue reminder goes on the 18th.
    assert job(datetime.date(2026, 12, 18)) != []
    assert job(datetime.date(2026, 12, 19)) == []


def test_running_the_job_twice_sends_nothing_twice(world: World, sent_request, job) -> None:
    sent_request()
    sent_request()
    day = datetime.date(2026, 12, 16)
    assert len(job(day)) == 4  # two requests, SPOC and deputy each
    assert job(day) == []
    assert SentReminder.objects.count() == 2


def test_a_reminder_is_recorded_once_by_the_database(world: World, sent_request) -> None:
    req = sent_request()
    SentReminder.objects.create(
        request=req, kind=ReminderKind.OVERDUE, occasion="2026-12-15/0", sent_at=timezone.now()
    )
    with pytest.raises(IntegrityError):
        SentReminder.objects.create(
            request=req,
            kind=ReminderKind.OVERDUE,
            occasion="2026-12-15/0",
            sent_at=timezone.now(),
        )


def test_nothing_is_sent_about_withdrawn_or_decided_requests(
    world: World, sent_request, job
) -> None:
    withdrawn = sent_request()
    decided = sent_request(Status.UNDER_REVIEW)
    with time_machine.travel(SENT, tick=False):
        services.request_withdraw(actor=world.requester, request=withdrawn, reason="")
        services.request_decide(
            actor=world.discloser, request=decided, fields=decision_fields(world.discloser)
        )
    for day in (datetime.date(2026, 12, 11), DUE, datetime.date(2026, 12, 16)):
        assert job(day) == []
    assert not SentReminder.objects.exists()


def test_the_requester_is_reminded_of_an_unanswered_question_and_the_paused_clock_is_quiet(
    world: World, sent_request, job
) -> None:
    req = sent_request(Status.AWAITING_CLARIFICATION)
    # Asked on Tuesday 1 December; two working days unanswered: Thursday 3 December.
    assert job(datetime.date(2026, 12, 2)) == []
    assert job(datetime.date(2026, 12, 3)) == [
        (
            world.requester.email,
            f"ISP Portal: {req.reference} is waiting for your answer to the disclosing "
            "agency's question",
        )
    ]
    # The question, weekly; while the clock is paused nothing is due or overdue.
    assert [to for to, _ in job(datetime.date(2026, 12, 10))] == [world.requester.email]
    assert job(DUE) == []
    assert [to for to, _ in job(datetime.date(2026, 12, 17))] == [world.requester.email]
    with _on(datetime.date(2026, 12, 18)):
        services.request_answer_clarification(actor=world.requester, request=req, answer="No. 1")
    assert job(datetime.date(2026, 12, 24)) == []


def test_reminder_emails_hold_the_reference_and_a_link_only(
    world: World, sent_request, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    req = sent_request()
    with _on(datetime.date(2026, 12, 16)), django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    assert mailoutbox
    for message in mailoutbox:
        text = message.subject + message.body
        assert req.reference in text
        assert f"/requests/{req.pk}/" in message.body
        for personal in (SUSPECT.full_name, "Jordan", req.description[:20], "Tester"):
            assert personal not in text


def test_each_reminder_is_audited_with_who_it_went_to(world: World, sent_request, job) -> None:
    req = sent_request()
    job(datetime.date(2026, 12, 16))
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_REMINDED)
    assert event.request_reference == req.reference
    assert event.actor is None
    assert event.details == {
        "kind": "overdue",
        "occasion": "2026-12-15/0",
        "to": sorted([world.police_spoc.username, world.police_deputy.username]),
    }


@override_settings(REMINDER_WORKING_DAYS_BEFORE_DUE=5, REMINDER_OVERDUE_EVERY_DAYS=2)
def test_the_notice_period_and_the_overdue_schedule_are_settings(
    world: World, sent_request, job
) -> None:
    sent_request()
    assert job(datetime.date(2026, 12, 7)) == []
    assert job(datetime.date(2026, 12, 8)) != []  # five working days before the 15th
    assert job(datetime.date(2026, 12, 16)) != []
    assert job(datetime.date(2026, 12, 17)) == []
    assert job(datetime.date(2026, 12, 18)) != []
