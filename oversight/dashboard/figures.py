"""What the dashboard shows: its figures per agency, its charts, and the arithmetic of them."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from agreements.selectors import REVIEW_WINDOW_DAYS
from oversight.dashboard.period import Period

# The agreements register's own window for "due for review".
REVIEW_WARNING = datetime.timedelta(days=REVIEW_WINDOW_DAYS)

Cell = tuple[str, str]  # (agency code or "ALL", measure)
Relation = tuple[Cell, list[Cell]]  # a total and the counts that add up to it


def percentile_of_counts(counts: Mapping[int, int], fraction: float) -> float | None:
    """``percentile_cont`` of a multiset given as value -> how many times it occurs."""
    total = sum(counts.values())
    if not total:
        return None
    position = fraction * (total - 1)
    lower_rank = int(position)
    lower = upper = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > lower_rank + 1 or seen == total:
            upper = value
            break
    assert lower is not None and upper is not None
    return lower + (upper - lower) * (position - lower_rank)


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < settings.SMALL_NUMBER_THRESHOLD


def share(part: int, whole: int) -> str:
    """A percentage, unless it would let a small number be worked out from it."""
    if not whole or is_small(part) or is_small(whole - part) or is_small(whole):
        return "–"
    return f"{round(100 * part / whole)}%"


COUNT_MEASURES = [
    ("made", "Requests made"),
    ("received", "Requests received"),
    ("decided", "Decisions"),
    ("recorded", "Decisions recorded without a request"),
    ("disclosed", "Disclosed"),
    ("partially_disclosed", "Partially disclosed"),
    ("declined", "Declined"),
    ("on_time", "Decided on time"),
    ("overdue_now", "Open and overdue now"),
    ("with_consent", "Shared with consent"),
    ("without_consent", "Shared without consent"),
    ("referrals", "Referrals to a designated manager"),
    ("consent_withdrawals", "Consent withdrawals"),
    ("agreements_active", "Agreements active"),
    ("agreements_due_review", "Agreements due for review"),
    ("agreements_expired", "Agreements expired"),
    ("open_breaches", "Open breaches"),
]


@dataclass
class AgencyFigures:
    name: str
    code: str
    timescale_days: int | None
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    median_days: float | None = None
    p90_days: float | None = None
    # Each count as a CSP lead sees it, after complementary suppression (``protect``).
    shown: dict[str, str] = field(default_factory=dict)

    def count(self, measure: str) -> int:
        return self.counts.get(measure, 0)

    @property
    def on_time_share(self) -> str:
        return share(self.count("on_time"), self.count("with_due_date"))

    @property
    def median_shown(self) -> str:
        return self._days(self.median_days)

    @property
    def p90_shown(self) -> str:
        return self._days(self.p90_days)

    def _days(self, value: float | None) -> str:
        # A percentile of a handful of decisions could point at one of them.
        if value is None or is_small(self.count("decided")):
            return "–"
        return f"{value:.1f}".removesuffix(".0")


@dataclass
class Bar:
    label: str
    value: int
    x: int
    height: int
    y: int
    shown: str = ""


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int


@dataclass
class Dashboard:
    period: Period
    agencies: list[AgencyFigures]
    total: AgencyFigures
    # Each law: its name, then its total and its count per agency code as shown.
    legislation: list[tuple[str, str, dict[str, str]]]
    requests_by_month: Chart
    decisions_by_month: Chart
    open_breaches: int
    breaches_past_deadline: int
    legislation_counts: list[tuple[str, int, dict[str, int]]] = field(default_factory=list)
    hidden: set[Cell] = field(default_factory=set)


def chart(title: str, months: list[datetime.date], values: dict[datetime.date, int]) -> Chart:
    bar_width, gap, plot_height = 28, 8, 160
    peak = max(values.values(), default=0) or 1
    bars = []
    for index, month in enumerate(months):
        value = values.get(month, 0)
        height = round(plot_height * value / peak)
        bars.append(
            Bar(
                label=month.strftime("%b %Y"),
                value=value,
                x=index * (bar_width + gap),
                height=height,
                y=plot_height - height,
            )
        )
    return Chart(title, bars, width=max(len(months) * (bar_width + gap), 1), height=plot_height)


# What the time-to-decision figures count (#17): from Part B's "date request received",
# which is the request's submission, not the day review started.
DAYS_COUNTED = "calendar days from the date the request was received (submitted) to the decision"
MEDIAN_LABEL = f"Median {DAYS_COUNTED}"
P90_LABEL = f"90th percentile {DAYS_COUNTED}"
