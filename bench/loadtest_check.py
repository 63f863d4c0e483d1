"""Helpers for ``bench/loadtest``: who signs in, and afterwards, whether anything was lost.

loadtest_check.py users                       officers per role, as JSON
loadtest_check.py snapshot                    counts before the run, as JSON
loadtest_check.py report BEFORE STATS_CSV JOURNAL
                                              throughput, latency, errors, integrity
"""

import csv
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, Role, User  # noqa: E402
from oversight.dashboard.period import month_bounds, month_of  # noqa: E402
from oversight.dashboard.tallies import KINDS  # noqa: E402
from oversight.models import MonthlyTally  # noqa: E402
from requests_app.models import (  # noqa: E402
    DECIDED_STATUSES,
    Decision,
    InformationRequest,
    ReferenceCounter,
)


def users() -> dict:
    def of(role: str, limit: int = 200) -> list[dict]:
        found = User.objects.filter(roles__role=role, is_active=True).order_by("pk")[:limit]
        return [{"username": u.username, "name": u.get_full_name()} for u in found]

    # Disclosers of the busiest agencies, so there is work in their inboxes.
    busiest = (
        InformationRequest.objects.filter(status__in=["submitted", "under_review"])
        .values("target_agency")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("target_agency", flat=True)[:3]
    )
    disclosers = User.objects.filter(
        roles__role=Role.DISCLOSING_OFFICER, agency__in=list(busiest), is_active=True
    )
    return {
        "requester": of(Role.REQUESTING_OFFICER),
        "discloser": [{"username": u.username, "name": u.get_full_name()} for u in disclosers],
        "csp_lead": of(Role.CSP_LEAD),
        "agencies": list(Agency.objects.values_list("code", flat=True)),
    }


def snapshot() -> dict:
    return {
        "submitted": InformationRequest.objects.filter(reference__isnull=False).count(),
        "decisions": Decision.objects.count(),
    }


def integrity() -> list[str]:
    """References unique and gap-free per year, matching the counter; one decision per
    decided request and none for any other."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT substring(reference from 5 for 4)::int AS year, count(*),
                   count(DISTINCT reference), max(substring(reference from 10)::int)
            FROM requests_app_informationrequest WHERE reference IS NOT NULL GROUP BY 1
            """
        )
        counters = dict(ReferenceCounter.objects.values_list("year", "last_number"))
        for year, count, distinct, highest in cursor.fetchall():
            if not count == distinct == highest == counters.get(year):
                problems.append(
                    f"{year}: {count} references, {distinct} distinct, highest {highest}, "
                    f"counter {counters.get(year)}"
                )
    decided = InformationRequest.objects.filter(status__in=DECIDED_STATUSES)
    missing = decided.filter(decision__isnull=True).count()
    stray = Decision.objects.exclude(request__status__in=DECIDED_STATUSES).count()
    duplicated = Decision.objects.values("request").annotate(n=Count("id")).filter(n__gt=1).count()
    if missing or stray or duplicated:
        problems.append(
            f"decisions: {missing} decided requests without one, {stray} on undecided "
            f"requests, {duplicated} requests with more than one"
        )
    problems += tallies_behind()
    return problems


def tallies_behind() -> list[str]:
    """The dashboard's tallies of this month (where the load test's submissions and
    decisions fall) against a count of the rows now: kept in each change's transaction,
    they must agree after hundreds of concurrent changes."""
    month = month_of(timezone.now())
    stored: dict[tuple[str, int, str], int] = {}
    for kind, agency, key, n in (
        MonthlyTally.objects.filter(month=month)
        .exclude(key="")
        .values_list("kind", "agency_id", "key", "n")
    ):
        if n:
            stored[(kind, agency, key)] = n
    counted = {
        (kind, agency, key): n
        for kind, spec in KINDS.items()
        for agency, counts in spec.compute(*month_bounds(month), None).items()
        for key, n in counts.items()
        if n
    }
    if stored == counted:
        return []
    differ = sorted(k for k in stored.keys() | counted.keys() if stored.get(k) != counted.get(k))
    return [f"dashboard tallies of {month:%B %Y} differ from the rows at {differ[:5]}"]


def report(before_file: str, stats_file: str, journal_file: str) -> int:
    before = json.loads(Path(before_file).read_text())
    after = snapshot()
    rows = {row["Name"]: row for row in csv.DictReader(open(stats_file))}  # noqa: SIM115
    total = rows.pop("Aggregated")
    print("\nLoad test (locust, headless, loopback)")
    print(f"{'':24}{'requests':>9}{'failures':>9}{'median ms':>10}{'p95 ms':>8}{'req/s':>8}")
    for name, row in sorted(rows.items()):
        print(
            f"{name[:24]:24}{row['Request Count']:>9}{row['Failure Count']:>9}"
            f"{float(row['Median Response Time']):>10.0f}{row['95%']:>8}"
            f"{float(row['Requests/s']):>8.1f}"
        )
    print(
        f"{'all':24}{total['Request Count']:>9}{total['Failure Count']:>9}"
        f"{total['Median Response Time']:>10}{total['95%']:>8}{float(total['Requests/s']):>8.1f}"
    )
    # What the run cost the web server, per request: less distorted by a busy machine than
    # requests per second (which also counts waiting for a core). PostgreSQL's own CPU is
    # not in it (its processes serve every database on the machine).
    web_cpu = float(os.environ.get("LOADTEST_WEB_CPU_S", "0") or 0)
    count = int(total["Request Count"])
    if web_cpu and count:
        print(
            f"\nWeb server CPU (gunicorn master and workers): {web_cpu:.1f} s for {count} "
            f"requests, {1000 * web_cpu / count:.1f} ms a request; at most "
            f"{count / web_cpu * (os.cpu_count() or 1):.0f} requests/s if every core did nothing "
            "else (sign-in's PBKDF2 included)"
        )
    print(
        f"Load average before / after: {os.environ.get('LOADTEST_LOAD_BEFORE', '?')} / "
        f"{os.environ.get('LOADTEST_LOAD_AFTER', '?')} on {os.cpu_count()} cores"
    )

    problems = integrity()
    sent: dict[str, set[int]] = {"submit": set(), "decide": set()}
    answered: dict[str, set[int]] = {"submit": set(), "decide": set()}
    for line in Path(journal_file).read_text().splitlines():
        action, pk, event = line.split()
        (sent if event == "sent" else answered)[action].add(int(pk))
    stored = {
        "submit": set(
            InformationRequest.objects.filter(
                pk__in=sent["submit"], reference__isnull=False
            ).values_list("pk", flat=True)
        ),
        "decide": set(
            Decision.objects.filter(request_id__in=sent["decide"]).values_list(
                "request_id", flat=True
            )
        ),
    }
    grown = {
        "submit": after["submitted"] - before["submitted"],
        "decide": after["decisions"] - before["decisions"],
    }
    for action, noun in (("submit", "submissions"), ("decide", "decisions")):
        lost = answered[action] - stored[action]
        if lost:
            problems.append(f"{len(lost)} {noun} answered but not in the database: {lost}")
        if grown[action] != len(stored[action]):
            problems.append(
                f"{grown[action]} new {noun} in the database, {len(stored[action])} of them sent"
            )
    unanswered = {a: (sent[a] - answered[a]) & stored[a] for a in sent}
    print(
        f"\nSubmitted {grown['submit']} requests and recorded {grown['decide']} decisions: "
        f"every answered one is in the database, nothing else is, references unique and "
        f"gap-free, one decision per decided request, this month's dashboard tallies equal to "
        f"the rows: {'yes' if not problems else 'NO'}"
    )
    for action, noun in (("submit", "submissions"), ("decide", "decisions")):
        if unanswered[action]:
            print(
                f"  {len(unanswered[action])} {noun} still in flight when locust stopped "
                "listening were completed by the server (in the database, not in locust's counts)"
            )
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems or int(total["Failure Count"]) else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "users":
        print(json.dumps(users()))
    elif command == "snapshot":
        print(json.dumps(snapshot()))
    else:
        sys.exit(report(sys.argv[2], sys.argv[3], sys.argv[4]))
