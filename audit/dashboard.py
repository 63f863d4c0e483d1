"""The CSP lead dashboard: aggregate figures for a period, per agency and in total.

Every figure comes from a grouped aggregate query, so the number of queries does not grow
with the number of requests or agencies. Percentiles are computed by PostgreSQL's
``percentile_cont``; SQLite has none, so there they are computed from one list of numbers.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Agency
from agreements.models import IN_FORCE, Agreement, AgreementStatus
from agreements.selectors import REVIEW_WINDOW_DAYS
from audit.models import ICO_DECISION_WINDOW, Breach, BreachStatus
from consent.models import ConsentRecord, ConsentStatus
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


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the continuous percentile of an expression."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[int], fraction: float) -> float | None:
    """The same interpolation as ``percentile_cont``, for SQLite."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


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
    legislation: list[tuple[str, int, dict[str, int]]]
    requests_by_month: Chart
    decisions_by_month: Chart
    open_breaches: int
    breaches_past_deadline: int


def _add(figures: dict[int, AgencyFigures], rows: Iterable[dict[str, Any]], key: str) -> None:
    for row in rows:
        agency = figures.get(row.pop(key))
        if agency is None:
            continue
        for measure, value in row.items():
            agency.counts[measure] += value or 0


def _days_to_decision() -> Func:
    """Whole days from receipt (or submission) to the decision, in UK dates."""
    started = Coalesce(F("request__received_on"), TruncDate("request__submitted_at"))
    return Func(
        TruncDate("signed_at"),
        started,
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def _percentiles(decisions: Any, figures: dict[int, AgencyFigures], total: AgencyFigures) -> None:
    if connection.vendor == "postgresql":
        days = _days_to_decision()
        for row in decisions.values("request__target_agency_id").annotate(
            median=PercentileCont(days, 0.5), p90=PercentileCont(days, 0.9)
        ):
            agency = figures.get(row["request__target_agency_id"])
            if agency is not None:
                agency.median_days, agency.p90_days = row["median"], row["p90"]
        overall = decisions.aggregate(
            median=PercentileCont(days, 0.5), p90=PercentileCont(days, 0.9)
        )
        total.median_days, total.p90_days = overall["median"], overall["p90"]
        return
    tz = timezone.get_current_timezone()
    by_agency: dict[int, list[int]] = defaultdict(list)
    for agency_id, received, submitted, signed in decisions.values_list(
        "request__target_agency_id",
        "request__received_on",
        "request__submitted_at",
        "signed_at",
    ).iterator():
        started = received or (submitted.astimezone(tz).date() if submitted else None)
        if started is not None:
            by_agency[agency_id].append((signed.astimezone(tz).date() - started).days)
    for agency_id, values in by_agency.items():
        if agency_id in figures:
            figures[agency_id].median_days = percentile(values, 0.5)
            figures[agency_id].p90_days = percentile(values, 0.9)
    everything = [v for values in by_agency.values() for v in values]
    total.median_days, total.p90_days = percentile(everything, 0.5), percentile(everything, 0.9)


def _chart(title: str, months: list[datetime.date], values: dict[datetime.date, int]) -> Chart:
    bar_width, gap, plot_height = 28, 8, 160
    peak = max(values.values(), default=0) or 1
    bars = []
    for index, month in enumerate(months):
        value = values.get(month, 0)
        shown = value if not is_small(value) else 0  # a small bar would reveal the number
        height = round(plot_height * shown / peak)
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
    """What a CSP lead sees for a count: the number, or "<5" (ISP 4.11)."""
    if value is None:
        return ""
    if is_small(value):
        return f"<{settings.SMALL_NUMBER_THRESHOLD}"
    return str(value)


def share(part: int, whole: int) -> str:
    """A percentage, unless it would let a small number be worked out from it."""
    if not whole or is_small(part) or is_small(whole - part) or is_small(whole):
        return "–"
    return f"{round(100 * part / whole)}%"


def figures_table(board: "Dashboard") -> list[list[str]]:
    """Every figure a CSP lead sees, suppressed, one row per agency and measure (CSV, PDF)."""
    rows = []
    for agency in [*board.agencies, board.total]:
        for measure, label in COUNT_MEASURES:
            rows.append([agency.code, label, suppress(agency.count(measure))])
        rows.append([agency.code, "Share decided on time", agency.on_time_share])
        rows.append([agency.code, "Median days to decision", agency.median_shown])
        rows.append([agency.code, "90th percentile days to decision", agency.p90_shown])
        if agency.timescale_days:
            rows.append(
                [agency.code, "Agreed timescale (working days)", str(agency.timescale_days)]
            )
    for name, count, _per_agency in board.legislation:
        rows.append(["ALL", f"Legislation: {name}", suppress(count)])
    for chart in (board.requests_by_month, board.decisions_by_month):
        for bar in chart.bars:
            rows.append(["ALL", f"{chart.title}: {bar.label}", suppress(bar.value)])
    return rows


def dashboard(period: Period) -> Dashboard:
    today = timezone.localdate()
    figures = {
        a.pk: AgencyFigures(a.name, a.code, a.response_working_days)
        for a in Agency.objects.order_by("name")
    }
    total = AgencyFigures("All agencies", "ALL", None)

    requests = InformationRequest.objects.filter(period.within("submitted_at"))
    _add(
        figures,
        requests.values("requesting_agency_id").annotate(made=Count("id")),
        "requesting_agency_id",
    )
    _add(
        figures,
        requests.values("target_agency_id").annotate(received=Count("id")),
        "target_agency_id",
    )
    decisions = Decision.objects.filter(period.within("signed_at"))
    _add(
        figures,
        decisions.values("request__target_agency_id").annotate(
            decided=Count("id"),
            disclosed=Count("id", filter=Q(outcome=Outcome.DISCLOSED)),
            partially_disclosed=Count("id", filter=Q(outcome=Outcome.PARTIALLY_DISCLOSED)),
            declined=Count("id", filter=Q(outcome=Outcome.DECLINED)),
            with_due_date=Count("id", filter=Q(request__due_on__isnull=False)),
            on_time=Count("id", filter=Q(signed_at__date__lte=F("request__due_on"))),
            with_consent=Count("id", filter=Q(consent_basis=ConsentBasis.CONSENT)),
            without_consent=Count("id", filter=~Q(consent_basis=ConsentBasis.CONSENT)),
        ),
        "request__target_agency_id",
    )
    _percentiles(decisions, figures, total)
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
        .annotate(n=Count("id"))
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
        .annotate(n=Count("id"))
        .order_by()
    }
    decided = {
        row["month"]: row["n"]
        for row in decisions.annotate(month=TruncMonth("signed_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    return Dashboard(
        period=period,
        agencies=agencies,
        total=total,
        legislation=[(name, n, per) for name, (n, per) in legislation.items()],
        requests_by_month=_chart("Requests made each month", months, made),
        decisions_by_month=_chart("Decisions each month", months, decided),
        open_breaches=total.count("open_breaches"),
        breaches_past_deadline=breaches["past_deadline"],
    )
