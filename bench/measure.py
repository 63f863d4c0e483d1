"""Measure the portal on the bench data set: pages, CSV export, PDF and the audit chain.

    bash bench/run            (builds the data set once, then runs this)
    .venv/bin/python bench/measure.py [--runs 15] [--explain]

Pages are requested in-process through Django's test Client, signed in, with the whole
middleware stack, against PostgreSQL. Server time is ``perf_counter`` around the request;
the query count comes from a separate run under ``CaptureQueriesContext`` (capturing slows
the timed runs). Each page is also given as a multiple of a bare view that runs
``SELECT 1`` behind the same middleware (× bare: the page's own work), and of the same view
behind a plain Django stack with only the session and authentication middleware (× plain):
the honest figures on a noisy 2-core machine.
Writes ``bench/results.json``.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from requests_app.models import Decision, InformationRequest, Status  # noqa: E402
from requests_app.selectors import agency_inbox  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
PAGE_TARGET_MS = 50
DASHBOARD_TARGET_MS = 50
QUERIES_BEFORE_VIEW_TARGET = 4
SEARCH_TARGET_MS = 100
CSV_TARGET_ROWS_PER_S = 20_000
CSV_TARGET_PEAK_MB = 150
CHAIN_TARGET_PER_S = 100_000


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    if isinstance(response, StreamingHttpResponse):
        for _ in response.streaming_content:
            pass
    return response


def misspelt(name: str) -> str:
    """The name as an officer might type it: words swapped, two letters of the longest word
    swapped, in lower case."""
    words = [w.strip(",") for w in name.split()]
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[longest]
    words[longest] = w[0] + w[2] + w[1] + w[3:] if len(w) > 3 else w
    return " ".join(reversed(words)).lower()


def search_url(client: Client, text: str) -> str:
    """Post the search box; the results page's address (it holds only the search's id)."""
    response = client.post(reverse("requests:search"), {"q": text})
    if response.status_code != 302:
        raise SystemExit(f"search for {text!r} answered {response.status_code}")
    return response["Location"]


def measure_page(client: Client, url: str, runs: int) -> dict[str, Any]:
    _get(client, url)  # warm: templates, caches, the plan cache
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    # Read now: the next request empties the connection's query log.
    queries = len(captured)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        _get(client, url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
        # This process's own CPU time (Django, templates, the driver; not PostgreSQL's):
        # what a page costs the web server, and less distorted by a busy machine than the
        # wall clock, which also counts waiting for a core.
        "cpu_ms": round(statistics.median(cpu), 2),
        "queries": queries,
    }


PLAIN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


def measure_plain(signed_in: Client, runs: int) -> dict[str, Any]:
    """The bare view behind a plain Django stack: only the session and authentication
    middleware, the same session (and so the same officer) as ``signed_in``."""
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE):
        client = Client()  # its handler loads the middleware now, on its first request
        client.cookies = signed_in.cookies
        return measure_page(client, "/bench/bare/", runs)


def _consume_csv(client: Client, url: str) -> int:
    """Reads the whole streamed export; returns its row count."""
    response = client.get(url)
    lines = 0
    assert isinstance(response, StreamingHttpResponse), url
    for chunk in response.streaming_content:
        lines += bytes(chunk).count(b"\n")
    return lines - 1  # the header


def measure_csv(client: Client, username: str, url: str, runs: int) -> dict[str, Any]:
    rows = _consume_csv(client, url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        _consume_csv(client, url)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    # Memory in runs of their own: tracemalloc slows Python down, and this process has
    # rendered pages and PDFs whose memory is not the export's.
    tracemalloc.start()
    _consume_csv(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    worker = csv_memory_in_fresh_process(username, url)
    return {
        "url": url,
        "rows": rows,
        "median_s": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "peak_python_mb": round(peak / 2**20, 1),
        "worker_max_rss_mb": worker["max_rss_mb"],
        "worker_rss_before_export_mb": worker["rss_before_mb"],
        "speed_ok": rows / seconds >= CSV_TARGET_ROWS_PER_S,
        "memory_ok": worker["max_rss_mb"] < CSV_TARGET_PEAK_MB,
    }


def csv_memory_in_fresh_process(username: str, url: str) -> dict[str, float]:
    """The whole peak memory (max RSS) of a new process that signs in and streams the export,
    as a web worker serving only that would: Django, the driver, the rows in flight."""
    done = subprocess.run(
        [sys.executable, __file__, "--csv-memory", username, url],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def _memory_mb(field: str) -> float:
    """From /proc/self/status: VmRSS is resident memory now, VmHWM its peak. (Not
    ru_maxrss: on Linux that carries the parent's peak into a process it starts.)"""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith(field))
    return round(int(kilobytes) / 1024, 1)


def _csv_memory_main(username: str, url: str) -> int:
    client = _client(username)
    client.get(reverse("home"))  # loads every view, as a worker that has served a page has
    before = _memory_mb("VmRSS:")
    _consume_csv(client, url)
    print(json.dumps({"rss_before_mb": before, "max_rss_mb": _memory_mb("VmHWM:")}))
    return 0


def measure_chain() -> dict[str, Any]:
    # Chain what waits for the sequencer (the pages above, a load test run without a task
    # worker), as the worker would, so the check measures verifying, not a backlog.
    call_command("sequence_audit_events", stdout=io.StringIO())
    events = AuditEvent.objects.count()
    out = io.StringIO()
    start = time.perf_counter()
    call_command("verify_audit_chain", stdout=out)
    seconds = time.perf_counter() - start
    return {
        "events": events,
        "seconds": round(seconds, 1),
        "events_per_s": round(events / seconds),
        "output": out.getvalue().splitlines()[0],
    }


def explain(label: str, queryset: Any) -> str:
    plan = queryset.explain(analyze=True, buffers=True)
    return f"-- {label}\n{plan}\n"


def explain_count(label: str, queryset: Any) -> str:
    """The plan of the COUNT(*) a paginator runs (Django drops the joins it does not need)."""
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- {label}\n{plan}\n"


def _pick() -> dict[str, Any]:
    """The users and objects measured: the busiest agency's SPOC, a CSP lead, a request."""
    inbox_counts = {
        row["target_agency__code"]: row["n"]
        for row in InformationRequest.objects.filter(
            status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]
        )
        .values("target_agency__code")
        .annotate(n=django.db.models.Count("id"))
    }
    busiest = max(inbox_counts, key=lambda code: inbox_counts[code])
    spoc = User.objects.get(username=f"{busiest.lower()}.spoc.0")
    csp_lead = User.objects.filter(roles__role="csp_lead").order_by("pk").first()
    request = (
        InformationRequest.objects.filter(
            target_agency=spoc.agency, status=Status.DISCLOSED, people__position=1
        )
        .order_by("-submitted_at")
        .first()
    )
    return {"busiest": busiest, "spoc": spoc, "csp_lead": csp_lead, "request": request}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "15")))
    parser.add_argument("--csv-runs", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="print the need-to-know plans")
    parser.add_argument("--skip-chain", action="store_true")
    parser.add_argument(
        "--csv-memory", nargs=2, metavar=("USERNAME", "URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.csv_memory:
        return _csv_memory_main(*args.csv_memory)
    picked = _pick()
    spoc, csp_lead, req = picked["spoc"], picked["csp_lead"], picked["request"]
    reference = req.reference

    if args.explain:
        print(explain(f"Inbox of {picked['busiest']}, first page", agency_inbox(spoc)[:50]))
        print(explain_count("Inbox count (paginator)", agency_inbox(spoc)))
        from requests_app.selectors import requests_visible_to

        print(
            explain(
                f"Request {reference} for {spoc.username}",
                requests_visible_to(spoc)
                .select_related("requester", "requesting_agency", "target_agency", "agreement")
                .filter(pk=req.pk)[:1],
            )
        )
        from django.http import QueryDict

        from oversight import selectors as audit_selectors
        from oversight.dashboard import Period
        from oversight.filters import RegisterFilter

        register = RegisterFilter(
            QueryDict(
                f"disclosing_agency={picked['busiest']}&outcome=declined"
                "&consent_basis=public_interest"
            ),
            queryset=audit_selectors.register_for(csp_lead),
        ).qs
        print(explain_count("Register, filtered: count (paginator)", register))
        print(explain("Register, filtered: first page", register[:25]))
        first_page = audit_selectors.register_for(csp_lead)[:25]
        print(explain("Register, first page (CSP lead)", first_page))
        period = Period.last_twelve_months()
        print(
            explain(
                "Dashboard: every decision count and the days-taken histogram",
                Decision.objects.filter(period.within("signed_at"))
                .values("disclosing_agency_id", "days_to_decision")
                .annotate(n=django.db.models.Count("*"))
                .order_by(),
            )
        )
        return 0

    results: dict[str, Any] = {
        "data_set": {
            "requests": InformationRequest.objects.count(),
            "decisions": Decision.objects.count(),
            "audit_events": AuditEvent.objects.count(),
            "officers": User.objects.count(),
            "busiest_agency": picked["busiest"],
            "busiest_open_inbox": agency_inbox(spoc).count(),
        },
        "runs": args.runs,
        "pages": {},
    }
    spoc_client, lead_client = _client(spoc.username), _client(csp_lead.username)
    pages: list[tuple[str, Client, str, int | None]] = [
        ("bare view (SELECT 1)", spoc_client, "/bench/bare/", None),
        ("inbox, busiest agency", spoc_client, reverse("requests:inbox"), PAGE_TARGET_MS),
        ("request page", spoc_client, reverse("requests:detail", args=[req.pk]), PAGE_TARGET_MS),
        ("register, first page", lead_client, reverse("audit:register"), PAGE_TARGET_MS),
        (
            "register, filtered",
            lead_client,
            reverse("audit:register")
            + f"?disclosing_agency={picked['busiest']}&outcome=declined"
            + "&consent_basis=public_interest",
            PAGE_TARGET_MS,
        ),
        ("CSP dashboard, 12 months", lead_client, reverse("audit:dashboard"), DASHBOARD_TARGET_MS),
        (
            "access log, one request (CSP lead)",
            lead_client,
            reverse("audit:access_log") + f"?reference={reference}",
            PAGE_TARGET_MS,
        ),
        (
            "access log, one request (SPOC)",
            spoc_client,
            reverse("audit:access_log") + f"?reference={reference}",
            PAGE_TARGET_MS,
        ),
    ]
    # The search box: a person on the measured request, found as an officer would type them;
    # and words every request's description holds, the most a search can match.
    person = req.people.order_by("position").first()
    searches = {
        "search, misspelt name": misspelt(person.full_name),
        "search, date of birth": f"{person.date_of_birth:%d/%m/%Y}",
        "search, postcode": person.address.rsplit("London ", 1)[-1],
        "search, reference": reference,
        "search, words in every description": "community protection notice",
    }
    for name, text in searches.items():
        pages.append((name, spoc_client, search_url(spoc_client, text), SEARCH_TARGET_MS))
    with override_settings(ROOT_URLCONF="bench.urls"):
        plain = measure_plain(spoc_client, args.runs)
        results["plain_django"] = plain
        print(f"  measured plain Django view: {plain['median_ms']} ms", flush=True)
        for name, client, url, target in pages:
            result = measure_page(client, url, args.runs)
            result["target_ms"] = target
            results["pages"][name] = result
            print(f"  measured {name}: {result['median_ms']} ms", flush=True)
        bare = results["pages"]["bare view (SELECT 1)"]["median_ms"]
        # What the portal's middleware costs a signed-in page before its view runs.
        results["queries_before_view"] = results["pages"]["bare view (SELECT 1)"]["queries"] - 1
        bare_cpu = results["pages"]["bare view (SELECT 1)"]["cpu_ms"]
        for result in results["pages"].values():
            result["ratio_to_bare"] = round(result["median_ms"] / bare, 1)
            result["ratio_to_plain"] = round(result["median_ms"] / plain["median_ms"], 1)
            result["cpu_ratio_to_bare"] = round(result["cpu_ms"] / bare_cpu, 1)
            target = result["target_ms"]
            result["ok"] = None if target is None else result["median_ms"] < target

        pdf = measure_page(
            spoc_client, reverse("requests:pdf", args=[req.pk]), max(args.runs // 3, 3)
        )
        results["pdf"] = pdf | {
            "ratio_to_bare": round(pdf["median_ms"] / bare, 1),
            "ratio_to_plain": round(pdf["median_ms"] / plain["median_ms"], 1),
        }
        print(f"  measured PDF: {pdf['median_ms']} ms", flush=True)
        csv = measure_csv(
            lead_client, csp_lead.username, reverse("audit:register_csv"), args.csv_runs
        )
        results["csv"] = csv
        print(f"  measured CSV: {csv['rows_per_s']} rows/s", flush=True)
    results["load_average"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    if not args.skip_chain:
        chain = measure_chain()
        chain["ok"] = chain["events_per_s"] >= CHAIN_TARGET_PER_S
        results["verify_audit_chain"] = chain
    report(results)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def report(results: dict[str, Any]) -> None:
    data = results["data_set"]
    print(
        f"\nData set: {data['requests']:,} requests, {data['decisions']:,} decisions, "
        f"{data['audit_events']:,} audit events, {data['officers']:,} officers; "
        f"busiest inbox {data['busiest_agency']} ({data['busiest_open_inbox']:,} open). "
        f"Median of {results['runs']} runs, server time in-process, PostgreSQL "
        f"{getattr(connection, 'pg_version', 0) // 10000}, "
        f"{settings.DATABASES['default']['HOST']}. "
        f"Load average during the run: {results['load_average']} on {os.cpu_count()} cores "
        "(above the core count, the milliseconds include waiting for a core: compare the "
        "× columns and CPU ms).\n"
    )
    plain = results["plain_django"]
    before = results["queries_before_view"]
    print(
        f"Plain Django view (session and authentication middleware only, SELECT 1): "
        f"{plain['median_ms']:.1f} ms, {plain['queries']} queries. A signed-in page runs "
        f"{before} queries before its view (target ≤ {QUERIES_BEFORE_VIEW_TARGET}) "
        f"{_mark(before <= QUERIES_BEFORE_VIEW_TARGET)}.\n"
    )
    header = ("", "median ms", "p95 ms", "× bare", "× plain", "CPU ms", "CPU × bare")
    rows: list[tuple[str, ...]] = [(*header, "queries", "target", "")]
    for name, r in results["pages"].items():
        target = f"< {r['target_ms']} ms" if r["target_ms"] else ""
        rows.append(
            (
                name,
                f"{r['median_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['ratio_to_bare']:.1f}",
                f"{r['ratio_to_plain']:.1f}",
                f"{r['cpu_ms']:.1f}",
                f"{r['cpu_ratio_to_bare']:.1f}",
                str(r["queries"]),
                target,
                _mark(r["ok"]),
            )
        )
    pdf = results["pdf"]
    rows.append(
        (
            "PDF, 2-page request form",
            f"{pdf['median_ms']:.0f}",
            f"{pdf['p95_ms']:.0f}",
            f"{pdf['ratio_to_bare']:.0f}",
            f"{pdf['ratio_to_plain']:.0f}",
            f"{pdf['cpu_ms']:.0f}",
            "",
            str(pdf["queries"]),
            "",
            "",
        )
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    csv = results["csv"]
    print(
        f"\nCSV export of {csv['rows']:,} register rows: {csv['median_s']} s, "
        f"{csv['rows_per_s']:,} rows/s (target ≥ {CSV_TARGET_ROWS_PER_S:,}) "
        f"{_mark(csv['speed_ok'])}; peak memory of a fresh process doing only the export "
        f"{csv['worker_max_rss_mb']} MB max RSS, {csv['worker_rss_before_export_mb']} MB "
        f"resident before the export began (target < {CSV_TARGET_PEAK_MB} MB) "
        f"{_mark(csv['memory_ok'])}; "
        f"Python objects at peak {csv['peak_python_mb']} MB"
    )
    chain = results.get("verify_audit_chain")
    if chain:
        print(
            f"verify_audit_chain: {chain['events']:,} events in {chain['seconds']} s, "
            f"{chain['events_per_s']:,} events/s (target ≥ {CHAIN_TARGET_PER_S:,}) "
            f"{_mark(chain['ok'])}"
        )


if __name__ == "__main__":
    sys.exit(main())
