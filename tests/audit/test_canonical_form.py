"""The canonical form of audit events never changes: these hashes were computed by the chain
code before it stopped using CPython's private C encoder (json.encoder.c_make_encoder), and
every existing event verifies only while the same rows give the same hashes."""

import datetime

import pytest

from audit.chain import compute_hash

ROWS = [
    {
        "id": 1,
        "occurred_at": datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC),
        "actor_id": None,
        "actor_username": "",
        "actor_agency": "",
        "actor_roles": [],
        "event_type": "sign_in",
        "object_type": "",
        "object_id": "",
        "request_reference": "",
        "outcome": "allowed",
        "ip_address": None,
        "user_agent": "",
        "details": {},
    },
    {
        "id": 42,
        "occurred_at": datetime.datetime(2026, 11, 30, 23, 59, 59, 1, tzinfo=datetime.UTC),
        "actor_id": 7,
        "actor_username": "dlo.lbh",
        "actor_agency": "LBH",
        "actor_roles": ["dlo", "spoc"],
        "event_type": "decision_made",
        "object_type": "informationrequest",
        "object_id": "1234",
        "request_reference": "ISR-2026-00042",
        "outcome": "denied",
        "ip_address": "2001:db8::1",
        "user_agent": 'Mozilla/5.0 (X11; Linux x86_64) "quoted" \\ back\\slash',
        "details": {
            "z": [1, 2.5, True, None, {"b": "é ü ñ — “smart” 😀", "a": "\u2028\t\n"}],
            "a": {"nested": {"y": 1, "x": -0.0}},
            "part": "decision",
            "when": "2026-11-30",
            "big": 12345678901234567890,
        },
    },
]
PREV = ["0" * 64, "f" * 64]
KEY = b"a fixed key for the canonical-form test"

# compute_hash(ROWS[i], PREV[i], KEY) with the chain code as it was on main (8cd5d9f).
HASHES_BEFORE = [
    "d485687b61769403efcee555eca3c3158347f53310ff751caffaee97a55e94f2",
    "4061425570c491d3576a08b5f4bfddb927b64b1408d20f953c8294d05186b0e9",
]


@pytest.mark.parametrize("index", range(len(ROWS)))
def test_existing_events_hash_as_they_always_did(index: int) -> None:
    assert compute_hash(ROWS[index], PREV[index], KEY) == HASHES_BEFORE[index]
