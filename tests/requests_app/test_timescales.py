"""Urgent requests are due sooner: the agreement's timescale for urgent requests, or else the
disclosing agency's, in working days or hours; the Part A form says when a request will be
due; a timescale changed later moves no existing due date."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import TimescaleUnit
from agreements.forms import AgreementForm
from agreements.models import Agreement
from requests_app.models import InformationRequest, Status
from requests_app.timescales import due_date_hint, due_on
from tests.world import World

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Tuesday 1 December 2026, 10:00 in London.
TUESDAY_MORNING = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
FAR = datetime.date(2027, 3, 1)


@pytest.fixture
def at_tuesday_morning():
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        yield


def test_an_urgent_request_is_due_on_the_agencys_shorter_timescale(
    world: World, make_request, at_tuesday_morning
) -> None:
    world.police.urgent_response_time = 2
    world.police.save()
    routine = make_request(Status.SUBMITTED, required_by=FAR)
    urgent = make_request(
        Status.SUBMITTED, required_by=FAR, is_urgent=True, urgency_reason="Risk to a child"
    )
    # Ten working days from Tuesday 1 December: 15 December; two: Thursday 3 December.
    assert routine.due_on == datetime.date(2026, 12, 15)
    assert urgent.due_on == datetime.date(2026, 12, 3)


def test_an_agreements_urgent_timescale_in_hours_comes_before_the_agencys(
    world: World, agreement: Agreement, make_request
) -> None:
    agreement.urgent_response_time = 18
    agreement.urgent_response_unit = TimescaleUnit.HOURS
    agreement.save()
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        morning = make_request(
            Status.SUBMITTED, required_by=FAR, is_urgent=True, urgency_reason="Risk to a child"
        )
    # Hours run on the clock: 18 hours after 10:00 on Tuesday is 04:00 on Wednesday.
    assert morning.due_on == datetime.date(2026, 12, 2)
    friday_evening = datetime.datetime(2026, 12, 4, 20, 0, tzinfo=LONDON)
    with time_machine.travel(friday_evening, tick=False):
        weekend = make_request(
            Status.SUBMITTED, required_by=FAR, is_urgent=True, urgency_reason="Risk to a child"
        )
    assert weekend.due_on == datetime.date(2026, 12, 5)


def test_the_required_by_date_still_caps_an_urgent_due_date(
    world: World, make_request, at_tuesday_morning
) -> None:
    world.police.urgent_response_time = 5
    world.police.save()
    req = make_request(
        Status.SUBMITTED,
        required_by=datetime.date(2026, 12, 2),
        is_urgent=True,
        urgency_reason="Risk to a child",
    )
    assert req.due_on == datetime.date(2026, 12, 2)


def test_a_changed_timescale_moves_no_existing_due_date(
    world: World, make_request, at_tuesday_morning
) -> None:
    req = make_request(
        Status.SUBMITTED, required_by=FAR, is_urgent=True, urgency_reason="Risk to a child"
    )
    before = req.due_on
    world.police.urgent_response_time = 9
    world.police.save()
    req.refresh_from_db()
    assert req.due_on == before


def test_the_default_urgent_timescale_is_one_working_day(world: World) -> None:
    assert due_on(
        agency=world.police,
        agreement=None,
        is_urgent=True,
        required_by=None,
        now=datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON),  # a Friday
    ) == datetime.date(2026, 12, 7)


def test_the_hint_says_when_the_request_will_be_due(world: World, agreement: Agreement) -> None:
    hint = due_date_hint(world.police, agreement, FAR, now=TUESDAY_MORNING)
    assert hint == (
        "If you send it today, it will be due by 15 December 2026 (10 working days). "
        "If it is urgent, it will be due by 2 December 2026 (1 working day for urgent requests)."
    )
    assert "Once you have chosen the agency" in due_date_hint(None, None, None)


def test_the_urgency_question_on_the_form_shows_the_due_dates(
    client: Client, world: World, make_request, at_tuesday_morning
) -> None:
    draft: InformationRequest = make_request(Status.DRAFT, required_by=FAR)
    client.force_login(world.requester)
    page = client.get(reverse("requests:edit_task", args=[draft.pk, "about"]))
    assert page.status_code == 200
    assert "it will be due by 15 December 2026" in page.content.decode()
    html = page.content.decode()
    assert '<div id="id_is_urgent-hint" class="govuk-hint">If you send it today' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"urgent_response_time": "4"},
            "urgent_response_unit",
            "Select whether the timescale is in working days or hours",
        ),
        (
            {"urgent_response_unit": "hours"},
            "urgent_response_time",
            "Enter the timescale for urgent requests",
        ),
    ],
)
def test_an_agreements_urgent_timescale_is_given_whole_or_not_at_all(
    world: World, data: dict, field: str, message: str
) -> None:
    form = AgreementForm(data=data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_an_agreement_may_leave_the_urgent_timescale_to_the_agencies(world: World) -> None:
    form = AgreementForm(data={})
    form.is_valid()
    assert "urgent_response_time" not in form.errors
    assert "urgent_response_unit" not in form.errors


def test_check_your_answers_says_when_the_request_will_be_due(
    client: Client, world: World, make_request, at_tuesday_morning
) -> None:
    draft = make_request(
        Status.DRAFT, required_by=FAR, is_urgent=True, urgency_reason="Risk to a child"
    )
    client.force_login(world.requester)
    html = client.get(reverse("requests:check", args=[draft.pk])).content.decode()
    row = html.split("Due if you send it today</dt>", 1)[1].split("</dd>", 1)[0]
    assert "2 December 2026" in row
