"""Working days in England and Wales: weekends and bank holidays excluded."""

import datetime
from functools import cache

import holidays

# The country's calendar itself, imported here: ``holidays.country_holidays("GB")`` would
# import it on first use, most of a second inside a fresh worker's first submission.
# requests_app.apps imports this module, so loading the app loads the calendar (#19).
from holidays.countries.united_kingdom import UnitedKingdom


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # England and Wales share their bank holidays; "ENG" gives them.
    return UnitedKingdom(subdiv="ENG", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (which itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
