"""Checking the whole audit chain against the database, fast enough for tens of millions of
events.

Each link's HMAC covers its event's content and the previous link's hash, which it stores,
so the links can be checked in ``seq`` ranges independently: every range checks its own
hashes and links (and each event's own seal), and the ranges are then joined by checking
that each range's first link points at the last hash of the range before. On PostgreSQL the
ranges are checked by as many processes as there are cores, each reading with a
server-side cursor and taking the timestamp already in its canonical text form; elsewhere
(and inside a transaction, where other connections could not see the rows) they are checked
one after another in this process. Either way the answer is the one a single walk in chain
order would give. Events not linked yet are then checked by their seals, and counted.
"""

import datetime
import json
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, connections, models
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from audit.chain import GENESIS, HASHED_FIELDS, LINK_PROBLEM, ChainResult, key_ring, verify_rows
from audit.models import AuditEvent, ChainLink

# Links per range: big enough that a range's setup is noise, small enough to spread the work.
RANGE_IDS = 250_000
_FETCH = 10_000
_JSON_FIELDS = {"actor_roles", "details"}
# What verify_rows takes, in its order: the event's columns, then its link's.
_COLUMNS = (*HASHED_FIELDS, "key_id", "prev_hash", "hash")
_LINK_COLUMNS = ("key_id", "prev_hash", "hash")
# An event committed this long ago and still not linked means the sequencer is not running
# (or cannot link it): verify_audit_chain flags it.
PENDING_LIMIT = datetime.timedelta(minutes=15)


def _column(name: str) -> str:
    """The database column of the event's field ``name``."""
    field = AuditEvent._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise LookupError(f"{name} is not a column of the audit event")
    return field.column


def _postgres_select() -> str:
    """HASHED_FIELDS and the event's seal, then its link's, in chain order: the timestamp
    as ``isoformat`` writes it in UTC and the JSON columns as text (decoded here, so they
    are re-encoded canonically)."""
    columns = []
    for name in _COLUMNS:
        column = "e." + connection.ops.quote_name(_column(name))
        if name == "occurred_at":
            column = (
                f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
            )
        elif name in _JSON_FIELDS:
            column = f"{column}::text"
        columns.append(column)
    columns += ["l." + connection.ops.quote_name(name) for name in _LINK_COLUMNS]
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    links = connection.ops.quote_name(ChainLink._meta.db_table)
    # The events' id bounds keep the planner from reading the whole event table per range.
    return (
        f"SELECT {', '.join(columns)} FROM {links} AS l JOIN {events} AS e ON e.id = l.event_id "
        "WHERE l.seq >= %s AND l.seq < %s AND e.id >= %s AND e.id <= %s ORDER BY l.seq"
    )


def _rows(start: int, stop: int) -> Iterator[Sequence[object]]:
    """Linked events with start <= seq < stop, in chain order, as verify_rows takes them."""
    if connection.vendor != "postgresql":
        yield from (
            ChainLink.objects.filter(seq__gte=start, seq__lt=stop)
            .order_by("seq")
            .values_list(*(f"event__{name}" for name in _COLUMNS), *_LINK_COLUMNS)
            .iterator(chunk_size=_FETCH)
        )
        return
    roles = HASHED_FIELDS.index("actor_roles")
    details = HASHED_FIELDS.index("details")
    loads = _JsonTexts().loads
    # Links are made in about id order (exactly, for events chained before the sequencer).
    events = ChainLink.objects.filter(seq__gte=start, seq__lt=stop).aggregate(
        low=Min("event_id"), high=Max("event_id")
    )
    if events["low"] is None:
        return
    with connection.chunked_cursor() as cursor:
        cursor.execute(_postgres_select(), [start, stop, events["low"], events["high"]])
        while batch := cursor.fetchmany(_FETCH):
            for row in batch:
                row = list(row)
                row[roles] = loads(row[roles])
                row[details] = loads(row[details])
                yield row


class _JsonTexts:
    """json.loads for texts that repeat (roles, most events' details): each decoded once.

    The values are shared between rows, which is safe: they are only encoded again."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._seen: dict[str, object] = {}

    def loads(self, text: str) -> object:
        value = self._seen.get(text)
        if value is None:
            if len(self._seen) >= self.LIMIT:
                self._seen.clear()
            value = self._seen[text] = json.loads(text)
        return value


@dataclass(frozen=True)
class _Range:
    """One range of links checked on its own: its first event's link, and how it went."""

    first_id: int | None
    first_prev: str
    result: ChainResult


def _check_range(bounds: tuple[int, int, Mapping[str, bytes]]) -> _Range:
    start, stop, keys = bounds
    rows = _rows(start, stop)
    first = next(rows, None)
    if first is None:
        return _Range(None, "", ChainResult(0))
    first_prev = str(first[-2])  # the first link's prev_hash

    def all_rows() -> Iterator[Sequence[object]]:
        yield first
        yield from rows

    result = verify_rows(all_rows(), keys=keys, expected_prev=first_prev)
    return _Range(int(first[0]), first_prev, result)  # type: ignore[call-overload]


def _join(ranges: Iterator[_Range]) -> ChainResult:
    """The single-walk answer from the ranges' answers, taken in id order."""
    expected, checked, last_id = GENESIS, 0, None
    for part in ranges:
        if part.first_id is None:
            continue
        if part.first_prev != expected:
            return ChainResult(checked, part.first_id, LINK_PROBLEM)
        if not part.result.ok:
            return ChainResult(
                checked + part.result.checked, part.result.broken_id, part.result.problem
            )
        checked += part.result.checked
        expected, last_id = part.result.last_hash, part.result.last_id
    return ChainResult(checked, last_hash=expected, last_id=last_id)


def verify_chain(
    keys: Mapping[str, bytes] | None = None,
    workers: int | None = None,
    range_ids: int = RANGE_IDS,
    pending_limit: datetime.timedelta = PENDING_LIMIT,
) -> ChainResult:
    """Check every link's hash and its link to the one before, as a walk in chain order
    would, then every event not linked yet by its seal, with ``keys`` by id (by default
    every configured key). Unlinked events older than ``pending_limit`` count as overdue."""
    if keys is None:
        keys = key_ring()
    chained = _verify_links(keys, workers, range_ids)
    if not chained.ok:
        return chained
    pending_rows = (
        (*row, None, None, None)
        for row in AuditEvent.objects.filter(link__isnull=True)
        .order_by("id")
        .values_list(*_COLUMNS)
        .iterator(chunk_size=_FETCH)
    )
    pending = verify_rows(pending_rows, keys=keys)
    checked = chained.checked + pending.checked
    if not pending.ok:
        return ChainResult(checked, pending.broken_id, pending.problem)
    waiting = AuditEvent.objects.filter(link__isnull=True).aggregate(
        overdue=Count("id", filter=Q(occurred_at__lt=timezone.now() - pending_limit)),
        oldest=Min("occurred_at"),
    )
    return ChainResult(
        checked,
        last_hash=chained.last_hash,
        last_id=chained.last_id,
        pending=pending.checked,
        overdue=waiting["overdue"],
        oldest_pending_at=waiting["oldest"],
    )


def _verify_links(keys: Mapping[str, bytes], workers: int | None, range_ids: int) -> ChainResult:
    bounds = ChainLink.objects.aggregate(low=Min("seq"), high=Max("seq"))
    if bounds["low"] is None:
        return ChainResult(0)
    ranges = [
        (start, min(start + range_ids, bounds["high"] + 1), keys)
        for start in range(bounds["low"], bounds["high"] + 1, range_ids)
    ]
    if workers is None:
        workers = os.cpu_count() or 1
    workers = min(workers, len(ranges))
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return _join(_check_range(part) for part in ranges)
    # Each process opens its own connection: none may inherit this one.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return _join(pool.imap(_check_range, ranges))


def id_gaps(limit: int = 100) -> list[tuple[int, int]]:
    """Runs of missing ids (first, last), oldest first, at most ``limit`` of them.

    Ids come from a sequence that never hands out a value twice, so a gap is either a
    transaction that recorded an event and then rolled back, or removed events. A gap
    before the newest anchored event, or one the chain does not explain, needs looking at;
    removed events before a kept one also break that one's link.
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id + 1, next_id - 1 FROM (SELECT id, LEAD(id) OVER (ORDER BY id) AS next_id "
            f"FROM {table}) AS ids WHERE next_id > id + 1 ORDER BY id LIMIT %s",
            [limit],
        )
        return [(int(first), int(last)) for first, last in cursor.fetchall()]
