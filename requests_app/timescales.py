"""When a request is due: the disclosing agency's agreed timescale, or, for an urgent request,
the shorter one for urgent requests, set by the agreement it is made under or else by the
agency, in working days or in hours; never later than the date the requester needs it by.

The due date is fixed when the request is sent (``services.request_submit``): a timescale
changed later moves no existing request's due date.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Agency, TimescaleUnit
from agreements.models import Agreement
from requests_app.workdays import add_working_days


@dataclass(frozen=True)
class Timescale:
    amount: int
    unit: str  # TimescaleUnit

    def __str__(self) -> str:
        unit = TimescaleUnit(self.unit).label
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit}"

    def due_after(self, now: datetime.datetime) -> datetime.date:
        """The due date of a request sent at ``now``: working days count from the day after
        it is sent; hours run on the clock, and the date is the UK date they end on."""
        if self.unit == TimescaleUnit.HOURS:
            return timezone.localdate(now + datetime.timedelta(hours=self.amount))
        return add_working_days(timezone.localdate(now), self.amount)


def routine_timescale(agency: Agency) -> Timescale:
    return Timescale(agency.response_working_days, TimescaleUnit.WORKING_DAYS)


def urgent_timescale(agency: Agency, agreement: Agreement | None) -> Timescale:
    """The agreement's timescale for urgent requests if it sets one, else the agency's."""
    if agreement is not None and agreement.urgent_response_time and agreement.urgent_response_unit:
        return Timescale(agreement.urgent_response_time, agreement.urgent_response_unit)
    return Timescale(agency.urgent_response_time, agency.urgent_response_unit)


def timescale_for(agency: Agency, agreement: Agreement | None, *, is_urgent: bool) -> Timescale:
    if is_urgent:
        return urgent_timescale(agency, agreement)
    return routine_timescale(agency)


def due_on(
    *,
    agency: Agency,
    agreement: Agreement | None,
    is_urgent: bool,
    required_by: datetime.date | None,
    now: datetime.datetime | None = None,
) -> datetime.date:
    """The due date of a request sent ``now`` (default: this moment)."""
    due = timescale_for(agency, agreement, is_urgent=is_urgent).due_after(now or timezone.now())
    return min(due, required_by) if required_by is not None else due


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def due_date_hint(
    agency: Agency | None,
    agreement: Agreement | None,
    required_by: datetime.date | None,
    *,
    now: datetime.datetime | None = None,
) -> str:
    """What the Part A form says under "Is this request urgent?": when the request will be
    due if sent now, urgent or not."""
    if agency is None:
        return (
            "Each agency has agreed how quickly it answers, and a shorter timescale for urgent "
            "requests. Once you have chosen the agency and saved, this says when it will be due."
        )
    now = now or timezone.now()
    routine = due_on(
        agency=agency, agreement=agreement, is_urgent=False, required_by=required_by, now=now
    )
    urgent = due_on(
        agency=agency, agreement=agreement, is_urgent=True, required_by=required_by, now=now
    )
    return (
        f"If you send it today, it will be due by {_day(routine)} "
        f"({routine_timescale(agency)}). If it is urgent, it will be due by {_day(urgent)} "
        f"({urgent_timescale(agency, agreement)} for urgent requests)."
    )
