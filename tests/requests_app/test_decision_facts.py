"""What a decision takes from its request when it is made: both agencies and its timeliness,
in UK dates, which the register and the dashboard count from."""

import datetime

from requests_app.models import decision_timing

UTC = datetime.UTC


def test_days_and_timeliness_are_counted_in_uk_dates() -> None:
    # 23:30 UTC on 1 June is 00:30 on 2 June in London (BST).
    signed = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    june_1 = datetime.date(2026, 6, 1)
    assert decision_timing(signed, june_1, None, june_1) == (1, False)
    assert decision_timing(signed, june_1, None, datetime.date(2026, 6, 2)) == (1, True)
    # In winter London is on UTC.
    winter = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert decision_timing(winter, datetime.date(2026, 11, 30), None, None) == (1, None)


def test_without_a_receipt_date_the_clock_starts_at_submission() -> None:
    submitted = datetime.datetime(2026, 3, 2, 23, 15, tzinfo=UTC)  # 2 March in London
    signed = datetime.datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert decision_timing(signed, None, submitted, datetime.date(2026, 3, 9)) == (7, True)
    assert decision_timing(signed, None, None, None) == (None, None)
