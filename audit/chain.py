"""The HMAC chain over audit events: how a row's hash is computed, and how to check them all."""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

GENESIS = "0" * 64
# The ``prev_hash`` an event is sealed with when it is recorded: its place in the chain is
# given after it commits, by its link (``audit.sequencer``).
UNCHAINED = ""

# The columns covered by the hash, in a fixed order. Changing this list breaks every
# existing chain, so it is versioned by being here and nowhere else.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_agency",
    "actor_roles",
    "event_type",
    "object_type",
    "object_id",
    "request_reference",
    "outcome",
    "ip_address",
    "user_agent",
    "details",
)


# One encoder for every row: json.dumps would build a new one per call. The canonical form
# is compact, key-sorted JSON of HASHED_FIELDS and the previous hash, as a list
# (tests/audit/test_canonical_form.py holds hashes of fixed rows that must never change).
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str, check_circular=False
)


def canonical_json(values: list[object]) -> str:
    return _ENCODER.encode(values)


LINK_PROBLEM = (
    "its link to the previous event does not match "
    "(an event before it was removed, inserted or changed)"
)
CONTENT_PROBLEM = "its content does not match its hash (it was changed, or the key is wrong)"
UNKNOWN_KEY_PROBLEM = (
    "it was signed with key id {key_id!r}, which is not configured "
    "(set it in AUDIT_HMAC_OLD_KEYS, or the event is forged)"
)


def _canonical(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def signing_key() -> tuple[str, bytes]:
    """The id and value of the key that signs new events."""
    return settings.AUDIT_HMAC_KEY_ID, settings.AUDIT_HMAC_KEY.encode()


def key_ring() -> dict[str, bytes]:
    """Every configured key by id: the current one and those that signed older events."""
    ring = {key_id: key.encode() for key_id, key in settings.AUDIT_HMAC_OLD_KEYS.items()}
    key_id, key = signing_key()
    ring[key_id] = key
    return ring


def _digest(base: "hmac.HMAC", values: list[object]) -> str:
    """The HMAC of HASHED_FIELDS' values followed by the previous hash."""
    mac = base.copy()
    mac.update(canonical_json(values).encode())
    return mac.hexdigest()


def _digest_after(base: "hmac.HMAC", content: str, prev_hash: str) -> str:
    """``_digest`` of the values whose canonical text, without the previous hash, is
    ``content``: the list's text is its items' texts joined by commas, so the content is
    encoded once for an event's seal and for its link."""
    # A hash (hex digits, or empty) needs no escaping; anything else is encoded as JSON does.
    prev = (
        f'"{prev_hash}"'
        if prev_hash.isalnum() or not prev_hash
        else canonical_json([prev_hash])[1:-1]
    )
    mac = base.copy()
    mac.update(f"{content[:-1]},{prev}]".encode())
    return mac.hexdigest()


def compute_hash(row: dict[str, object], prev_hash: str, key: bytes | None = None) -> str:
    """The HMAC of a row and the previous hash, with ``key`` or else the signing key.

    An event's seal is its hash with its own ``prev_hash`` (empty since the sequencer); its
    link's hash is the one with the previous link's hash."""
    values = [_canonical(row[name]) for name in HASHED_FIELDS]
    values.append(prev_hash)
    secret = key if key is not None else signing_key()[1]
    return _digest(hmac.new(secret, digestmod=hashlib.sha256), values)


@dataclass(frozen=True)
class ChainResult:
    """What a walk found: ``checked`` events whose seal (and link, if they have one) holds,
    up to the first that does not (``broken_id``)."""

    checked: int
    broken_id: int | None = None
    problem: str = ""
    # The newest verified link, by its event, and its hash: recorded outside the database
    # (an anchor), they show a removed tail.
    last_hash: str = GENESIS
    last_id: int | None = None
    # Events committed but not linked yet: their seals hold; the sequencer links them soon.
    pending: int = 0
    # Of those, how many have waited longer than they should (the sequencer is not running).
    overdue: int = 0
    oldest_pending_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


_OCCURRED_AT = HASHED_FIELDS.index("occurred_at")
_CONTENT = len(HASHED_FIELDS)


def verify_rows(
    rows: Iterable[Sequence[object]],
    keys: Mapping[str, bytes] | None = None,
    expected_prev: str = GENESIS,
) -> ChainResult:
    """Walk rows in chain order; stop at the first whose seal, link or hash does not hold.

    Each row holds the values of HASHED_FIELDS, then the event's ``key_id``, ``prev_hash``
    and ``hash`` (its seal), then its link's ``key_id``, ``prev_hash`` and ``hash``, which
    are None for an event not linked yet (such rows are checked by their seal alone, and
    leave the chain where it was). ``occurred_at`` may already be in its canonical text
    form. ``keys`` are the keys by id (by default every configured key).
    """
    ring = key_ring() if keys is None else keys
    bases: dict[object, hmac.HMAC] = {}
    compare = hmac.compare_digest
    checked = 0
    last_id = None
    for row in rows:
        event_id = int(row[0])  # type: ignore[call-overload]
        seal = tuple(row[_CONTENT : _CONTENT + 3])
        link = tuple(row[_CONTENT + 3 : _CONTENT + 6])
        if link[2] is not None and link[1] != expected_prev:
            return ChainResult(checked, event_id, LINK_PROBLEM)
        values = list(row[:_CONTENT])
        occurred = values[_OCCURRED_AT]
        if not isinstance(occurred, str):
            values[_OCCURRED_AT] = _canonical(occurred)
        content = canonical_json(values)
        # An event chained before the sequencer has a link that repeats its seal.
        for key_id, prev_hash, stored in (link, seal) if link != seal else [seal]:
            if stored is None:
                continue
            base = bases.get(key_id)
            if base is None:
                if key_id not in ring:
                    problem = UNKNOWN_KEY_PROBLEM.format(key_id=key_id)
                    return ChainResult(checked, event_id, problem)
                base = bases[key_id] = hmac.new(ring[str(key_id)], digestmod=hashlib.sha256)
            if not compare(_digest_after(base, content, str(prev_hash)), str(stored)):
                return ChainResult(checked, event_id, CONTENT_PROBLEM)
        if link[2] is not None:
            expected_prev = str(link[2])
            last_id = event_id
        checked += 1
    return ChainResult(checked, last_hash=expected_prev, last_id=last_id)
