"""Running jobs at the same instant on their own database connections."""

import threading
from collections.abc import Callable

from django.db import connections


def race(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
