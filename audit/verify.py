"""Checking the whole audit chain against the database, fast enough for tens of millions of
events.

Each event's HMAC covers its own content and the previous event's hash, which it stores, so
the events can be checked in id ranges independently: every range checks its own hashes
and links, and the ranges are then joined by checking that each range's first event points
at the last hash of the range before. On PostgreSQL the ranges are checked by as many
processes as there are cores, each reading with a server-side cursor and taking the
timestamp already in its canonical text form; elsewhere (and inside a transaction, where
other connections could not see the rows) they are checked one after another in this
process. Either way the answer is the one a single walk in id order would give.
"""

import json
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Max, Min

from audit.chain import GENESIS, HASHED_FIELDS, LINK_PROBLEM, ChainResult, key_ring, verify_rows
from audit.models import AuditEvent

# Ids per range: big enough that a range's setup is noise, small enough to spread the work.
RANGE_IDS = 250_000
_FETCH = 10_000
_JSON_FIELDS = {"actor_roles", "details"}
# What verify_rows takes, in its order.
_COLUMNS = (*HASHED_FIELDS, "key_id", "prev_hash", "hash")


def _postgres_select() -> str:
    """HASHED_FIELDS, prev_hash and hash, with the timestamp as ``isoformat`` writes it in
    UTC and the JSON columns as text (decoded here, so they are re-encoded canonically)."""
    columns = []
    for name in _COLUMNS:
        column = connection.ops.quote_name(AuditEvent._meta.get_field(name).column)
        if name == "occurred_at":
            column = (
                f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
            )
        elif name in _JSON_FIELDS:
            column = f"{column}::text"
        columns.append(column)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    return f"SELECT {', '.join(columns)} FROM {table} WHERE id >= %s AND id < %s ORDER BY id"


def _rows(start: int, stop: int) -> Iterator[Sequence[object]]:
    """Events with start <= id < stop, in id order, as verify_rows takes them."""
    if connection.vendor != "postgresql":
        yield from (
            AuditEvent.objects.filter(id__gte=start, id__lt=stop)
            .order_by("id")
            .values_list(*_COLUMNS)
            .iterator(chunk_size=_FETCH)
        )
        return
    roles = HASHED_FIELDS.index("actor_roles")
    details = HASHED_FIELDS.index("details")
    loads = _JsonTexts().loads
    with connection.chunked_cursor() as cursor:
        cursor.execute(_postgres_select(), [start, stop])
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
    """One id range checked on its own: its first event's link, and how it went."""

    first_id: int | None
    first_prev: str
    result: ChainResult


def _check_range(bounds: tuple[int, int, Mapping[str, bytes]]) -> _Range:
    start, stop, keys = bounds
    rows = _rows(start, stop)
    first = next(rows, None)
    if first is None:
        return _Range(None, "", ChainResult(0))
    first_prev = str(first[-2])

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
) -> ChainResult:
    """Check every audit event's hash and link, as a walk in id order would, with ``keys``
    by id (by default every configured key)."""
    if keys is None:
        keys = key_ring()
    bounds = AuditEvent.objects.aggregate(low=Min("id"), high=Max("id"))
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
