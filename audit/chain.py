"""The HMAC chain over audit events: how a row's hash is computed, and how to check them all."""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

GENESIS = "0" * 64

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


def _canonical(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def compute_hash(row: dict[str, object], prev_hash: str, key: bytes | None = None) -> str:
    payload = json.dumps(
        [_canonical(row[name]) for name in HASHED_FIELDS] + [prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode()
    secret = key if key is not None else settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainResult:
    checked: int
    broken_id: int | None = None
    problem: str = ""
    # The newest verified hash: recorded outside the database, it shows a removed tail.
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_rows(rows: Iterable[dict[str, object]], key: bytes | None = None) -> ChainResult:
    """Walk rows in id order; stop at the first whose link or hash does not hold."""
    secret = key if key is not None else settings.AUDIT_HMAC_KEY.encode()
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        if row["prev_hash"] != expected_prev:
            return ChainResult(
                checked,
                int(row["id"]),  # type: ignore[arg-type]
                "its link to the previous event does not match "
                "(an event before it was removed, inserted or changed)",
            )
        if not hmac.compare_digest(compute_hash(row, expected_prev, secret), str(row["hash"])):
            return ChainResult(
                checked,
                int(row["id"]),  # type: ignore[arg-type]
                "its content does not match its hash (it was changed, or the key is wrong)",
            )
        expected_prev = str(row["hash"])
        checked += 1
    return ChainResult(checked, last_hash=expected_prev)
