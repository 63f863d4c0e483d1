"""What the dashboard counts, kept per calendar month (UK time), agency and kind.

Each *kind* is one grouped count of one table: requests made, requests received, the
legislation requests rely on, decisions (every count and the days-taken histogram),
referrals, consent withdrawals. Its ``compute`` reads the raw rows of a stretch of time,
optionally for some agencies only, and gives each agency's counts as a flat dictionary
(``{"made": 12}``, ``{"decided": 30, "days:4": 11, ...}``, ``{"law:12": 7}``). The same
function serves three callers, so they cannot disagree:

- ``recompute``: after a row that a kind counts is saved or deleted (``oversight.dashboard.
  keeping``), the affected ``MonthlyTally`` rows are locked and recomputed from the raw rows
  inside the same transaction; a rolled-back change leaves them as they were;
- ``rebuild``: every tally from scratch (``manage.py rebuild_dashboard_tallies``), after
  bulk loads that bypass ``save()`` (the bench data set's ``COPY``, the demo's back-dating);
- ``counts_for``: the dashboard sums the stored tallies of the period's whole months in the
  database (one query, and one for the month charts) and computes the partial months at its
  edges (the current month, usually) from the raw rows.

A new figure (for example disclosures recorded without a request) is a new ``Kind`` in
``KINDS`` and a line in ``keeping.WATCHED``; nothing else here changes.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Model, Q, QuerySet

from consent.models import ConsentRecord, ConsentStatus
from oversight.dashboard.period import Period, month_bounds, month_of
from oversight.models import MonthlyTally
from requests_app.models import ConsentBasis, Decision, InformationRequest, Outcome, Referral

Counts = dict[str, int]  # what is counted ("made", "days:4", "law:12") -> how many
Compute = Callable[[datetime.datetime, datetime.datetime, Iterable[int] | None], dict[int, Counts]]
Key = tuple[str, datetime.date, int]  # (kind, month, agency id)


def _between(rows: QuerySet, field: str, start: datetime.datetime, before: datetime.datetime):
    return rows.filter(**{f"{field}__gte": start, f"{field}__lt": before})


def _only(rows: QuerySet, field: str, agencies: Iterable[int] | None) -> QuerySet:
    return rows if agencies is None else rows.filter(**{f"{field}__in": list(agencies)})


def _one_count(model: type[Model], when: str, agency: str, measure: str, **where: Any) -> Compute:
    def compute(start, before, agencies=None) -> dict[int, Counts]:
        rows = _only(
            _between(model._default_manager.filter(**where), when, start, before), agency, agencies
        )
        return {
            row[agency]: {measure: row["n"]}
            for row in rows.values(agency).annotate(n=Count("*")).order_by()
        }

    return compute


DECISION_COUNTS = {
    "decided": Q(),
    "recorded": Q(recorded__isnull=False),
    "disclosed": Q(outcome=Outcome.DISCLOSED),
    "partially_disclosed": Q(outcome=Outcome.PARTIALLY_DISCLOSED),
    "declined": Q(outcome=Outcome.DECLINED),
    "with_due_date": Q(on_time__isnull=False),
    "on_time": Q(on_time=True),
    "with_consent": Q(consent_basis=ConsentBasis.CONSENT),
    "without_consent": ~Q(consent_basis=ConsentBasis.CONSENT),
}


def _decisions(start, before, agencies=None) -> dict[int, Counts]:
    """Every decision count and the days-taken histogram, per disclosing agency, one query."""
    rows = _only(
        _between(Decision.objects.all(), "signed_at", start, before),
        "disclosing_agency_id",
        agencies,
    )
    result: dict[int, Counts] = {}
    for row in (
        rows.values("disclosing_agency_id", "days_to_decision")
        .annotate(**{m: Count("id", filter=q) for m, q in DECISION_COUNTS.items()})
        .order_by()
    ):
        counts = result.setdefault(row.pop("disclosing_agency_id"), {})
        days = row.pop("days_to_decision")
        if days is not None:
            counts[f"days:{days}"] = row["decided"]
        for measure, n in row.items():
            counts[measure] = counts.get(measure, 0) + n
    return result


def _legislation(start, before, agencies=None) -> dict[int, Counts]:
    """How many requests received relied on each law (keyed by its id), per agency."""
    through = InformationRequest.legislation.through
    rows = _only(
        _between(through.objects.all(), "informationrequest__submitted_at", start, before),
        "informationrequest__target_agency_id",
        agencies,
    )
    result: dict[int, Counts] = {}
    for row in (
        rows.values("informationrequest__target_agency_id", "legislation_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        counts = result.setdefault(row["informationrequest__target_agency_id"], {})
        counts[f"law:{row['legislation_id']}"] = row["n"]
    return result


@dataclass(frozen=True)
class Kind:
    name: str
    compute: Compute


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "made", _one_count(InformationRequest, "submitted_at", "requesting_agency_id", "made")
        ),
        Kind(
            "received",
            _one_count(InformationRequest, "submitted_at", "target_agency_id", "received"),
        ),
        Kind("legislation", _legislation),
        Kind("decisions", _decisions),
        Kind(
            "referrals",
            _one_count(Referral, "referred_at", "request__target_agency_id", "referrals"),
        ),
        Kind(
            "consent_withdrawals",
            _one_count(
                ConsentRecord,
                "withdrawn_at",
                "given_to_agency_id",
                "consent_withdrawals",
                status=ConsentStatus.WITHDRAWN,
            ),
        ),
    ]
}


def recompute(keys: Iterable[Key]) -> None:
    """Recompute these tallies from the raw rows, in the caller's transaction.

    Each (kind, month, agency)'s lock row (the empty key) is made if missing and locked, all
    in one statement and in a fixed order, so two transactions cannot deadlock on them: a
    concurrent change to the same month and agency waits, and its own recount, a later
    statement, then sees this one's rows once committed.
    """
    keys = sorted(set(keys))
    if not keys:
        return
    MonthlyTally.objects.bulk_create(
        [MonthlyTally(kind=k, month=m, agency_id=a, key="") for k, m, a in keys],
        ignore_conflicts=True,
    )
    these = Q()
    for kind, month, agency in keys:
        these |= Q(kind=kind, month=month, agency_id=agency)
    list(
        MonthlyTally.objects.select_for_update()
        .filter(these, key="")
        .order_by("month", "agency_id", "kind")
        .values_list("pk")
    )
    by_kind_month: dict[tuple[str, datetime.date], list[int]] = {}
    for kind, month, agency in keys:
        by_kind_month.setdefault((kind, month), []).append(agency)
    rows = []
    for (kind, month), agencies in by_kind_month.items():
        computed = KINDS[kind].compute(*month_bounds(month), agencies)
        for agency in agencies:
            rows += [
                MonthlyTally(kind=kind, month=month, agency_id=agency, key=key, n=n)
                for key, n in computed.get(agency, {}).items()
            ]
    MonthlyTally.objects.filter(these).exclude(key="").delete()
    MonthlyTally.objects.bulk_create(rows)


# Where each kind's raw rows are dated: the span ``rebuild`` covers.
DATED = [
    (InformationRequest, "submitted_at"),
    (Decision, "signed_at"),
    (Referral, "referred_at"),
    (ConsentRecord, "withdrawn_at"),
]


def rebuild(kinds: Iterable[str] | None = None) -> int:
    """Every tally from the raw rows, for every month that holds any; returns how many
    counts. Run in one transaction (``manage.py rebuild_dashboard_tallies`` does)."""
    names = list(kinds or KINDS)
    MonthlyTally.objects.filter(kind__in=names).delete()
    spans = [
        model._default_manager.aggregate(first=Min(field), last=Max(field))
        for model, field in DATED
    ]
    firsts = [span["first"] for span in spans if span["first"]]
    if not firsts:
        return 0
    month = month_of(min(firsts))
    last = month_of(max(span["last"] for span in spans if span["last"]))
    rows = []
    while month <= last:
        for name in names:
            for agency, counts in KINDS[name].compute(*month_bounds(month), None).items():
                rows.append(MonthlyTally(kind=name, month=month, agency_id=agency, key=""))
                rows += [
                    MonthlyTally(kind=name, month=month, agency_id=agency, key=key, n=n)
                    for key, n in counts.items()
                ]
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    MonthlyTally.objects.bulk_create(rows, batch_size=5000)
    return sum(1 for row in rows if row.key)


def _summed(
    kinds: list[str],
    first: datetime.date,
    last: datetime.date,
    by: list[str],
    only: list[tuple[str, str]] | None = None,
) -> list[tuple[Any, ...]]:
    """The stored counts of the months from ``first`` to ``last`` summed in the database:
    rows of (kind, *by, key, total). Plain SQL: this is the dashboard's one large read
    (about 1,700 counts a month on the bench data set), and the ORM's per-value converters
    cost more than the query. The months are consecutive: one range of the unique index,
    which holds the count too."""
    if only is not None and not only:
        return []
    params: list[Any] = [*kinds, first, last]
    pairs = ""
    if only:
        keys = sorted({key for _kind, key in only})
        pairs = f" AND key IN ({', '.join(['%s'] * len(keys))}) AND ("
        pairs += " OR ".join(["(kind = %s AND key = %s)"] * len(only)) + ")"
        params += [*keys, *(value for pair in only for value in pair)]
    columns = ", ".join(["kind", *by, "key"])
    sql = (
        f"SELECT {columns}, SUM(n) FROM {MonthlyTally._meta.db_table} "
        f"WHERE kind IN ({', '.join(['%s'] * len(kinds))}) AND month >= %s AND month <= %s "
        f"AND key <> ''{pairs} GROUP BY {columns}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows


@dataclass
class Tallied:
    """A period's counts: per kind and agency (summed over its months), and per month for
    the counts the month charts draw."""

    per_agency: dict[str, dict[int, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    per_month: dict[tuple[str, str], Counter[datetime.date]] = field(
        default_factory=lambda: defaultdict(Counter)
    )


def counts_for(
    period: Period, kinds: Iterable[str], monthly: Iterable[tuple[str, str]] = ()
) -> Tallied:
    """Each kind's counts over the period: the stored tallies of its whole months summed in
    the database (one query, and one more for the ``monthly`` (kind, key) pairs), and the raw
    rows of the months it covers only in part (one query a kind, usually the current month)."""
    kinds, monthly = list(kinds), list(monthly)
    pieces = period.pieces()
    whole = [month for month, _start, _before, is_whole in pieces if is_whole]
    tallied = Tallied()
    if whole:
        for kind, agency, key, n in _summed(kinds, whole[0], whole[-1], ["agency_id"]):
            tallied.per_agency[kind][agency][key] = n
        for kind, month, key, n in _summed(kinds, whole[0], whole[-1], ["month"], monthly):
            tallied.per_month[(kind, key)][month] = n
    for month, start, before, is_whole in pieces:
        if is_whole:
            continue
        for kind in kinds:
            for agency, counts in KINDS[kind].compute(start, before, None).items():
                tallied.per_agency[kind][agency].update(counts)
                for pair_kind, key in monthly:
                    if pair_kind == kind and key in counts:
                        tallied.per_month[(kind, key)][month] += counts[key]
    return tallied
