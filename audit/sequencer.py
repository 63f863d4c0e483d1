"""The sequencer: links committed audit events into the chain, one after another.

Events are recorded without a lock (``audit_record``), each sealed with its own HMAC, so no
officer's request waits for another's transaction. Shortly after an event commits, the
sequencer gives it the next place in the chain: a ``ChainLink`` whose hash covers the
event's content and the previous link's hash, as transparency logs append leaves. Only
sequencers wait for one another (one PostgreSQL advisory lock, held for a batch), and they
run in the task worker: ``chain_after_commit`` enqueues one when a transaction that
recorded events commits, and ``manage.py sequence_audit_events`` catches up by hand or from
cron. Events are linked in the order they are seen committed, by id within a batch.

An event whose seal does not hold (changed since it was written, or sealed with a key this
process does not have) is never linked: it stays pending, logged here by id, and
``verify_audit_chain`` names it.
"""

import logging
from typing import Any

from django.db import connection, transaction
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from audit.chain import GENESIS, HASHED_FIELDS, compute_hash, key_ring, signing_key, verify_rows
from audit.models import AuditEvent, ChainLink

logger = logging.getLogger(__name__)

# Any constant: the PostgreSQL advisory lock that lets one sequencer at a time extend the
# chain. Recording an event never takes it.
_SEQUENCER_LOCK_ID = 7_245_002
BATCH = 1_000
_COLUMNS = (*HASHED_FIELDS, "key_id", "prev_hash", "hash")


def chain_extend(*, batch_size: int = BATCH) -> int:
    """Link every committed event that has no link yet; returns how many were linked.

    Each batch is its own transaction, so links become visible as they are made and the
    lock is never held long."""
    linked = 0
    after = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEQUENCER_LOCK_ID])
            pending = list(
                AuditEvent.objects.filter(link__isnull=True, id__gt=after)
                .order_by("id")
                .values_list(*_COLUMNS)[:batch_size]
            )
            if not pending:
                return linked
            after = int(pending[-1][0])
            links = _links_for(pending)
            ChainLink.objects.bulk_create(links)
        linked += len(links)
        if len(pending) < batch_size:
            return linked


def _links_for(pending: list[tuple[Any, ...]]) -> list[ChainLink]:
    last = ChainLink.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = last if last is not None else (0, GENESIS)
    keys = key_ring()
    key_id, key = signing_key()
    links = []
    for row in pending:
        seal = verify_rows([(*row, None, None, None)], keys=keys)
        if not seal.ok:
            logger.error("Audit event %s not chained: %s", row[0], seal.problem)
            continue
        seq += 1
        content = dict(zip(HASHED_FIELDS, row, strict=False))
        link_hash = compute_hash(content, prev_hash, key)
        links.append(
            ChainLink(seq=seq, event_id=row[0], key_id=key_id, prev_hash=prev_hash, hash=link_hash)
        )
        prev_hash = link_hash
    return links


@task
def chain_pending_events() -> int:
    """The worker's sequencer run, enqueued when events commit."""
    return chain_extend()


def _enqueue() -> None:
    """Enqueue a sequencer run, unless one is already waiting: it has not started, so it
    will see every event committed before now."""
    waiting = DBTaskResult.objects.filter(
        task_path=chain_pending_events.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        chain_pending_events.enqueue()


def chain_after_commit() -> None:
    """Have the events this transaction records linked once it commits (once per
    transaction). A failure to enqueue never fails the committed request: the next
    transaction's run, or ``sequence_audit_events``, links them."""
    if any(entry[1] is _enqueue for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue, robust=True)
