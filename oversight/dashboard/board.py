"""The CSP lead dashboard for a period: every figure per agency and in total.

Requests made and received, the legislation they rely on, decisions (every count and the
days-taken histogram from which the percentiles are interpolated exactly as PostgreSQL's
``percentile_cont`` does), referrals and consent withdrawals come from the monthly tallies
(``tallies.counts_for``: stored for the period's whole months, from the raw rows for the
months it covers in part). What is counted as it stands today (open and overdue now,
agreements, open breaches) is read live: a handful of rows, one grouped query each.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Agency
from agreements.models import IN_FORCE, Agreement, AgreementStatus, Legislation
from oversight.dashboard.figures import (
    COUNT_MEASURES,
    REVIEW_WARNING,
    AgencyFigures,
    Dashboard,
    chart,
    percentile_of_counts,
)
from oversight.dashboard.period import Period
from oversight.dashboard.protection import protect
from oversight.dashboard.tallies import counts_for
from oversight.models import ICO_DECISION_WINDOW, Breach, BreachStatus
from requests_app.models import OPEN_STATUSES, InformationRequest

# The tallied kinds the board reads; each gives counts named as in COUNT_MEASURES, except
# the decisions' days-taken histogram ("days:4") and the legislation's counts ("law:12").
TALLIED = ["made", "received", "legislation", "decisions", "referrals", "consent_withdrawals"]


def _count(figures: dict[int, AgencyFigures], agency_id: int, **measures: int | None) -> None:
    agency = figures.get(agency_id)
    if agency is not None:
        for measure, value in measures.items():
            agency.counts[measure] += value or 0


def _add(figures: dict[int, AgencyFigures], rows: Iterable[Any], key: str) -> None:
    for row in rows:
        _count(figures, row.pop(key), **row)


def _legislation_counts(
    per_agency_law: dict[int, Counter[str]], codes: dict[int, str]
) -> list[tuple[str, int, dict[str, int]]]:
    """Each law requests relied on, in the legislation list's order: its name, its total and
    its count per agency code. Laws of the same name count together."""
    legislation: dict[str, tuple[int, dict[str, int]]] = {}
    laws = Legislation.objects.order_by("order", "act", "provision").values_list(
        "pk", "act", "provision"
    )
    for pk, act, provision in laws:
        name = f"{act} – {provision}" if provision else act
        for agency_id, counts in per_agency_law.items():
            n = counts.get(f"law:{pk}", 0)
            if n:
                count, per_agency = legislation.get(name, (0, {}))
                code = codes.get(agency_id, "")
                per_agency[code] = per_agency.get(code, 0) + n
                legislation[name] = (count + n, per_agency)
    return [(name, n, per) for name, (n, per) in legislation.items()]


def _live_counts(figures: dict[int, AgencyFigures], total: AgencyFigures) -> int:
    """What is counted as it stands today; returns the open breaches past the ICO deadline."""
    today = timezone.localdate()
    _add(
        figures,
        InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values("target_agency_id")
        .annotate(overdue_now=Count("id")),
        "target_agency_id",
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
    # Agreements have several parties: the total counts each agreement once.
    total.counts.update(
        {k: v or 0 for k, v in Agreement.objects.aggregate(**agreement_counts).items()}
    )
    return Breach.objects.exclude(status=BreachStatus.CLOSED).aggregate(
        past_deadline=Count(
            "id",
            filter=Q(ico_decision="", discovered_at__lt=timezone.now() - ICO_DECISION_WINDOW),
        )
    )["past_deadline"]


def dashboard(period: Period) -> Dashboard:
    figures = {
        a.pk: AgencyFigures(a.name, a.code, a.response_working_days)
        for a in Agency.objects.order_by("name")
    }
    total = AgencyFigures("All agencies", "ALL", None)

    tallied = counts_for(period, TALLIED, monthly=[("made", "made"), ("decisions", "decided")])
    days_taken: dict[int, Counter[int]] = defaultdict(Counter)
    for kind, per_agency in tallied.per_agency.items():
        if kind == "legislation":
            continue
        for agency_id, counts in per_agency.items():
            agency = figures.get(agency_id)
            for key, n in counts.items():
                if key.startswith("days:"):
                    days_taken[agency_id][int(key[5:])] += n
                elif agency is not None:
                    agency.counts[key] += n

    everything: Counter[int] = Counter()
    for agency_id, histogram in days_taken.items():
        everything.update(histogram)
        if agency_id in figures:
            figures[agency_id].median_days = percentile_of_counts(histogram, 0.5)
            figures[agency_id].p90_days = percentile_of_counts(histogram, 0.9)
    total.median_days = percentile_of_counts(everything, 0.5)
    total.p90_days = percentile_of_counts(everything, 0.9)

    past_deadline = _live_counts(figures, total)
    agencies = list(figures.values())
    for measure, _label in COUNT_MEASURES:
        if not measure.startswith("agreements_"):
            total.counts[measure] = sum(a.count(measure) for a in agencies)
    total.counts["with_due_date"] = sum(a.count("with_due_date") for a in agencies)

    months = period.months()
    codes = {a_id: a.code for a_id, a in figures.items()}
    board = Dashboard(
        period=period,
        agencies=agencies,
        total=total,
        legislation=[],
        legislation_counts=_legislation_counts(tallied.per_agency["legislation"], codes),
        requests_by_month=chart(
            "Requests made each month", months, tallied.per_month[("made", "made")]
        ),
        decisions_by_month=chart(
            "Decisions each month", months, tallied.per_month[("decisions", "decided")]
        ),
        open_breaches=total.count("open_breaches"),
        breaches_past_deadline=past_deadline,
    )
    protect(board)
    return board
