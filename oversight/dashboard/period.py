"""The period a dashboard covers, and its calendar months (UK time)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        first = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
        return cls(first, today)

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    def within(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start_at, f"{field_name}__lt": self.end_before})

    def months(self) -> list[datetime.date]:
        month = self.start.replace(day=1)
        months = []
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def pieces(self) -> list[tuple[datetime.date, datetime.datetime, datetime.datetime, bool]]:
        """The period cut at month boundaries: (month, from, before, whole month or not)."""
        pieces = []
        for month in self.months():
            start, before = month_bounds(month)
            piece_start, piece_before = max(start, self.start_at), min(before, self.end_before)
            pieces.append(
                (month, piece_start, piece_before, (piece_start, piece_before) == (start, before))
            )
        return pieces


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month (UK time) a moment falls in."""
    return timezone.localdate(moment).replace(day=1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a month and of the month after it, UK time."""
    after = (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.datetime.combine(month.replace(day=1), datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(after, datetime.time.min)),
    )
