"""Recording an event never waits for another transaction; the sequencer chains committed
events shortly after, run by the task worker."""

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent, ChainLink, EventType
from audit.sequencer import chain_pending_events
from audit.services import audit_record
from audit.verify import verify_chain
from tests.requests_app.test_email_outbox import DATABASE_BACKEND, run_worker
from tests.world import World

pytestmark = pytest.mark.django_db(transaction=True)

# How long a thread waits for the other before the test gives up: a bound on a hang, never
# a measure of speed (both transactions finish in milliseconds when nothing waits).
GIVE_UP_SECONDS = 30


def _in_own_connection(target: Any) -> Any:
    """Run target in a thread of its own, so with a connection of its own."""

    def run() -> None:
        try:
            target()
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.postgres
def test_two_transactions_recording_events_do_not_wait_for_each_other(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; concurrency is PostgreSQL's")
    first_recorded, second_committed = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def first() -> None:
        with transaction.atomic():
            seen["first"] = audit_record(event_type=EventType.SIGN_IN, actor=world.discloser)
            first_recorded.set()
            # Held open until the second transaction has recorded and committed: with one
            # lock over the whole chain the second would be waiting for this one to commit.
            seen["second_committed_meanwhile"] = second_committed.wait(GIVE_UP_SECONDS)

    def second() -> None:
        assert first_recorded.wait(GIVE_UP_SECONDS)
        with transaction.atomic():
            seen["second"] = audit_record(event_type=EventType.SIGN_IN, actor=world.requester)
        second_committed.set()

    threads = [_in_own_connection(first), _in_own_connection(second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["second_committed_meanwhile"] is True
    # Chained in the order they committed: the second first, though its id is higher.
    assert seen["first"].pk < seen["second"].pk
    links = list(ChainLink.objects.order_by("seq").values_list("event_id", flat=True))
    assert links[-2:] == [seen["second"].pk, seen["first"].pk]
    result = verify_chain(workers=1)
    assert result.ok and result.pending == 0 and result.last_id == seen["first"].pk


def _queued() -> int:
    return DBTaskResult.objects.filter(task_path=chain_pending_events.module_path).count()


def test_one_sequencer_run_is_queued_after_commit_and_the_worker_chains(
    world: World, settings
) -> None:
    settings.TASKS = DATABASE_BACKEND
    with transaction.atomic():
        for _ in range(3):
            audit_record(event_type=EventType.REQUEST_VIEWED, actor=world.discloser)
        assert _queued() == 0  # nothing until the events are there to chain
    assert _queued() == 1
    # Committed alone, while a run is still waiting: that run will chain it too.
    audit_record(event_type=EventType.SIGN_OUT, actor=world.discloser)
    assert _queued() == 1
    assert not ChainLink.objects.exists()
    run_worker()
    assert ChainLink.objects.count() == AuditEvent.objects.count() == 4
    result = verify_chain(workers=1)
    assert result.ok and result.pending == 0
    # The run has finished, so the next commit queues another.
    audit_record(event_type=EventType.SIGN_IN, actor=world.discloser)
    assert _queued() == 2


def test_a_rolled_back_event_queues_nothing(world: World, settings) -> None:
    settings.TASKS = DATABASE_BACKEND
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(event_type=EventType.REQUEST_VIEWED, actor=world.discloser)
        raise RuntimeError("the change failed")
    assert _queued() == 0
    assert not AuditEvent.objects.exists()
