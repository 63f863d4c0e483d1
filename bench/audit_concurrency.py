"""Audited transactions side by side: does recording an event make others wait?

    bash bench/run                                  (after the page measurements)
    .venv/bin/python bench/audit_concurrency.py [--sessions 8] [--hold-ms 100] [--runs 5]

Each of ``--sessions`` threads opens its own PostgreSQL connection, and all start together
(a barrier): each runs one transaction that records an audit event and then holds the
transaction open for ``--hold-ms`` (``pg_sleep``, as a slow page would), then commits. The
figure is the wall time from the start until the last commits, median of ``--runs``. With
one lock over the whole chain it is about sessions × hold; with events recorded without a
lock it is about one hold. Afterwards the sequencer chains the events and the whole chain
is verified.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from audit.models import EventType  # noqa: E402
from audit.sequencer import chain_extend  # noqa: E402
from audit.services import audit_record  # noqa: E402
from audit.verify import verify_chain  # noqa: E402


def _session(start: threading.Barrier, hold_s: float, failures: list[BaseException]) -> None:
    try:
        connection.ensure_connection()  # connecting is not what is measured
        start.wait()
        with transaction.atomic():
            audit_record(event_type=EventType.SIGN_IN, details={"bench": "audit_concurrency"})
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [hold_s])
    except BaseException as error:  # reported by the main thread
        failures.append(error)
    finally:
        connection.close()


def run_once(sessions: int, hold_s: float) -> float:
    """Seconds from the common start until every session has committed."""
    start = threading.Barrier(sessions + 1)
    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=_session, args=(start, hold_s, failures)) for _ in range(sessions)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise failures[0]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--hold-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("audit concurrency: PostgreSQL only (SQLite serialises every write)")
        return 0
    hold_s = args.hold_ms / 1000
    run_once(args.sessions, hold_s)  # warm: imports, plans
    times = sorted(run_once(args.sessions, hold_s) for _ in range(args.runs))
    median_ms = statistics.median(times) * 1000
    chained = chain_extend()
    result = verify_chain()
    print(
        f"\nAudit concurrency: {args.sessions} sessions, each recording an event and then "
        f"holding its transaction {args.hold_ms} ms: {median_ms:.0f} ms in all (median of "
        f"{args.runs}; fastest {times[0] * 1000:.0f}, slowest {times[-1] * 1000:.0f}; "
        f"{args.sessions} × {args.hold_ms} ms would be {args.sessions * args.hold_ms} ms). "
        f"Sequencer chained {chained} events; chain of {result.checked:,} events "
        f"{'verifies' if result.ok else f'BROKEN at event {result.broken_id}'}."
    )
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
