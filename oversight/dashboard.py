"""The CSP lead dashboard: aggregate figures for a period, per agency and in total.

Every figure comes from a grouped aggregate query, so the number of queries does not grow
with the number of requests or agencies, and each table is read once per kind of figure:
requests made and received come from one query grouped by both agencies; every decision
count and the days-to-decision percentiles come from one query of the decisions alone
(each carries its agencies and timeliness), grouped by agency and days taken: a histogram,
from which the percentiles are interpolated exactly as PostgreSQL's ``percentile_cont``
does, for each agency and in total, on any database.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Agency
from agreements.models import IN_FORCE, Agreement, AgreementStatus
from agreements.selectors import REVIEW_WINDOW_DAYS
from consent.models import ConsentRecord, ConsentStatus
from oversight.models import ICO_DECISION_WINDOW, Breach, BreachStatus
from requests_app.models import (
    OPEN_STATUSES,
    ConsentBasis,
    Decision,
    InformationRequest,
    Outcome,
    Referral,
)

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


def _count(figures: dict[int, AgencyFigures], agency_id: int, **measures: int | None) -> None:
    agency = figures.get(agency_id)
    if agency is not None:
        for measure, value in measures.items():
            agency.counts[measure] += value or 0


def _add(figures: dict[int, AgencyFigures], rows: Iterable[dict[str, Any]], key: str) -> None:
    for row in rows:
        _count(figures, row.pop(key), **row)


def _add_decisions(decisions: Any, figures: dict[int, AgencyFigures], total: AgencyFigures) -> None:
    """Every decision count and both percentiles, per agency and in total, from one query."""
    days_taken: dict[int, Counter[int]] = defaultdict(Counter)
    rows = (
        decisions.values("disclosing_agency_id", "days_to_decision")
        .annotate(
            decided=Count("*"),
            recorded=Count("id", filter=Q(recorded__isnull=False)),
            disclosed=Count("id", filter=Q(outcome=Outcome.DISCLOSED)),
            partially_disclosed=Count("id", filter=Q(outcome=Outcome.PARTIALLY_DISCLOSED)),
            declined=Count("id", filter=Q(outcome=Outcome.DECLINED)),
            with_due_date=Count("id", filter=Q(on_time__isnull=False)),
            on_time=Count("id", filter=Q(on_time=True)),
            with_consent=Count("id", filter=Q(consent_basis=ConsentBasis.CONSENT)),
            without_consent=Count("id", filter=~Q(consent_basis=ConsentBasis.CONSENT)),
        )
        .order_by()
    )
    for row in rows:
        agency_id, days = row.pop("disclosing_agency_id"), row.pop("days_to_decision")
        if days is not None:
            days_taken[agency_id][days] += row["decided"]
        _count(figures, agency_id, **row)
    everything: Counter[int] = Counter()
    for agency_id, counts in days_taken.items():
        everything.update(counts)
        if agency_id in figures:
            figures[agency_id].median_days = percentile_of_counts(counts, 0.5)
            figures[agency_id].p90_days = percentile_of_counts(counts, 0.9)
    total.median_days = percentile_of_counts(everything, 0.5)
    total.p90_days = percentile_of_counts(everything, 0.9)


def _chart(title: str, months: list[datetime.date], values: dict[datetime.date, int]) -> Chart:
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


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < settings.SMALL_NUMBER_THRESHOLD


def suppress(value: int | None) -> str:
    """What a CSP lead sees for a count on its own: the number, or "<5" (ISP 4.11)."""
    if value is None:
        return ""
    if is_small(value):
        return f"<{settings.SMALL_NUMBER_THRESHOLD}"
    return str(value)


# A count hidden so that a small one cannot be worked out from the totals.
COMPLEMENTARY = "[c]"


def protected_cells(values: Mapping[Cell, int], relations: Iterable[Relation]) -> set[Cell]:
    """Complementary suppression: the small counts (1 to 4) and, in every relation that
    holds one, enough others that it cannot be worked out by subtraction.

    After this, each relation has no hidden count or at least two, and where its total is
    shown, the hidden counts add up to at least the threshold (so their sum, which
    subtraction gives, is not itself a small number). The smallest shown count is hidden
    first; hiding one can break another relation, so it repeats until none is broken.
    """
    hidden = {cell for cell, value in values.items() if is_small(value)}
    relations = list(relations)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            cells = [*parts, total]
            if not _exposes(values, hidden, total, parts):
                continue
            shown = [c for c in cells if c not in hidden]
            if not shown:
                continue
            # Parts before the total, smallest non-zero first (a zero adds nothing).
            hidden.add(min(shown, key=lambda c: (values[c] == 0, c == total, values[c])))
            changed = True
    return hidden


def _exposes(values: Mapping[Cell, int], hidden: set[Cell], total: Cell, parts: list[Cell]) -> bool:
    hidden_here = [c for c in [*parts, total] if c in hidden]
    if not hidden_here:
        return False
    if len(hidden_here) == 1:
        return True
    hidden_parts = sum(values[c] for c in parts if c in hidden)
    return total not in hidden and hidden_parts < settings.SMALL_NUMBER_THRESHOLD


def shown_value(cell: Cell, values: Mapping[Cell, int], hidden: set[Cell]) -> str:
    if cell not in hidden:
        return str(values[cell])
    return suppress(values[cell]) if is_small(values[cell]) else COMPLEMENTARY


# Agreements are not about people: their counts are shown as they are.
PROTECTED_MEASURES = [m for m, _label in COUNT_MEASURES if not m.startswith("agreements_")]


def protect(board: "Dashboard") -> None:
    """Fill in what a CSP lead sees of every count on the board."""
    rows = [*board.agencies, board.total]
    values: dict[Cell, int] = {}
    for row in rows:
        for measure in PROTECTED_MEASURES:
            values[(row.code, measure)] = row.count(measure)
    relations: list[Relation] = [
        (("ALL", m), [(a.code, m) for a in board.agencies]) for m in PROTECTED_MEASURES
    ]
    # Every request is made by one agency and received by another.
    relations.append((("ALL", "made"), [("ALL", "received")]))
    for row in rows:
        decided = (row.code, "decided")
        outcomes = ["disclosed", "partially_disclosed", "declined"]
        relations.append((decided, [(row.code, m) for m in outcomes]))
        relations.append((decided, [(row.code, "with_consent"), (row.code, "without_consent")]))
    for chart, total in ((board.requests_by_month, "made"), (board.decisions_by_month, "decided")):
        for bar in chart.bars:
            values[(chart.title, bar.label)] = bar.value
        relations.append((("ALL", total), [(chart.title, bar.label) for bar in chart.bars]))
    for name, count, per_agency in board.legislation_counts:
        values[("ALL", name)] = count
        for a in board.agencies:
            values[(a.code, name)] = per_agency.get(a.code, 0)
        relations.append((("ALL", name), [(a.code, name) for a in board.agencies]))
    hidden = protected_cells(values, relations)
    for row in rows:
        row.shown = {m: shown_value((row.code, m), values, hidden) for m in PROTECTED_MEASURES}
        for m, _label in COUNT_MEASURES:
            row.shown.setdefault(m, str(row.count(m)))
    for chart in (board.requests_by_month, board.decisions_by_month):
        for bar in chart.bars:
            bar.shown = shown_value((chart.title, bar.label), values, hidden)
            if (chart.title, bar.label) in hidden:
                bar.height, bar.y = 0, chart.height  # a bar's height would tell the number
    board.legislation = [
        (
            name,
            shown_value(("ALL", name), values, hidden),
            {a.code: shown_value((a.code, name), values, hidden) for a in board.agencies},
        )
        for name, _count, _per_agency in board.legislation_counts
    ]
    board.hidden = hidden


def share(part: int, whole: int) -> str:
    """A percentage, unless it would let a small number be worked out from it."""
    if not whole or is_small(part) or is_small(whole - part) or is_small(whole):
        return "–"
    return f"{round(100 * part / whole)}%"


# What the time-to-decision figures count (#17): from Part B's "date request received",
# which is the request's submission, not the day review started.
DAYS_COUNTED = "calendar days from the date the request was received (submitted) to the decision"
MEDIAN_LABEL = f"Median {DAYS_COUNTED}"
P90_LABEL = f"90th percentile {DAYS_COUNTED}"


def figures_table(board: "Dashboard") -> list[list[str]]:
    """Every figure a CSP lead sees, suppressed, one row per agency and measure (CSV, PDF)."""
    rows = []
    for agency in [*board.agencies, board.total]:
        for measure, label in COUNT_MEASURES:
            rows.append([agency.code, label, agency.shown[measure]])
        rows.append([agency.code, "Share decided on time", agency.on_time_share])
        rows.append([agency.code, MEDIAN_LABEL, agency.median_shown])
        rows.append([agency.code, P90_LABEL, agency.p90_shown])
        if agency.timescale_days:
            rows.append(
                [agency.code, "Agreed timescale (working days)", str(agency.timescale_days)]
            )
    for name, shown, per_agency in board.legislation:
        rows.append(["ALL", f"Legislation: {name}", shown])
        for code, value in per_agency.items():
            rows.append([code, f"Legislation: {name}", value])
    for chart in (board.requests_by_month, board.decisions_by_month):
        for bar in chart.bars:
            rows.append(["ALL", f"{chart.title}: {bar.label}", bar.shown])
    return rows


def dashboard(period: Period) -> Dashboard:
    today = timezone.localdate()
    figures = {
        a.pk: AgencyFigures(a.name, a.code, a.response_working_days)
        for a in Agency.objects.order_by("name")
    }
    total = AgencyFigures("All agencies", "ALL", None)

    requests = InformationRequest.objects.filter(period.within("submitted_at"))
    for row in (
        requests.values("requesting_agency_id", "target_agency_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        _count(figures, row["requesting_agency_id"], made=row["n"])
        _count(figures, row["target_agency_id"], received=row["n"])
    decisions = Decision.objects.filter(period.within("signed_at"))
    _add_decisions(decisions, figures, total)
    _add(
        figures,
        InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values("target_agency_id")
        .annotate(overdue_now=Count("id")),
        "target_agency_id",
    )
    _add(
        figures,
        Referral.objects.filter(period.within("referred_at"))
        .values("request__target_agency_id")
        .annotate(referrals=Count("id")),
        "request__target_agency_id",
    )
    _add(
        figures,
        ConsentRecord.objects.filter(period.within("withdrawn_at"), status=ConsentStatus.WITHDRAWN)
        .values("given_to_agency_id")
        .annotate(consent_withdrawals=Count("id")),
        "given_to_agency_id",
    )
    agreement_counts = {
        "agreements_active": Count("id", filter=Q(status__in=IN_FORCE)),
        "agreements_due_review": Count(
            "id", filter=Q(status__in=IN_FORCE, next_review_on__lte=today + REVIEW_WARNING)
        ),
        "agreements_expired": Count("id", filter=Q(status=AgreementStatus.EXPIRED)),
    }
    _add(
        figures,
        Agreement.objects.values("parties__id").annotate(**agreement_counts),
        "parties__id",
    )
    _add(
        figures,
        Breach.objects.exclude(status=BreachStatus.CLOSED)
        .values("owning_agency_id")
        .annotate(open_breaches=Count("id")),
        "owning_agency_id",
    )

    agencies = list(figures.values())
    for measure, _label in COUNT_MEASURES:
        if not measure.startswith("agreements_"):
            total.counts[measure] = sum(a.count(measure) for a in agencies)
    total.counts["with_due_date"] = sum(a.count("with_due_date") for a in agencies)
    # Agreements have several parties: the total counts each agreement once.
    total.counts.update(
        {k: v or 0 for k, v in Agreement.objects.aggregate(**agreement_counts).items()}
    )

    breaches = Breach.objects.exclude(status=BreachStatus.CLOSED).aggregate(
        past_deadline=Count(
            "id",
            filter=Q(ico_decision="", discovered_at__lt=timezone.now() - ICO_DECISION_WINDOW),
        )
    )

    codes = {a_id: a.code for a_id, a in figures.items()}
    legislation: dict[str, tuple[int, dict[str, int]]] = {}
    through = InformationRequest.legislation.through
    for row in (
        through.objects.filter(period.within("informationrequest__submitted_at"))
        .values(
            "legislation__act",
            "legislation__provision",
            "legislation__order",
            "informationrequest__target_agency_id",
        )
        .annotate(n=Count("*"))
        .order_by("legislation__order", "legislation__act", "legislation__provision")
    ):
        name = row["legislation__act"]
        if row["legislation__provision"]:
            name += f" – {row['legislation__provision']}"
        count, per_agency = legislation.get(name, (0, {}))
        code = codes.get(row["informationrequest__target_agency_id"], "")
        per_agency[code] = per_agency.get(code, 0) + row["n"]
        legislation[name] = (count + row["n"], per_agency)

    months = period.months()
    made = {
        row["month"]: row["n"]
        for row in requests.annotate(month=TruncMonth("submitted_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
    }
    decided = {
        row["month"]: row["n"]
        for row in decisions.annotate(month=TruncMonth("signed_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
    }
    board = Dashboard(
        period=period,
        agencies=agencies,
        total=total,
        legislation=[],
        legislation_counts=[(name, n, per) for name, (n, per) in legislation.items()],
        requests_by_month=_chart("Requests made each month", months, made),
        decisions_by_month=_chart("Decisions each month", months, decided),
        open_breaches=total.count("open_breaches"),
        breaches_past_deadline=breaches["past_deadline"],
    )
    protect(board)
    return board
