"""Tamper evidence: the HMAC chain notices every kind of tampering, and the database refuses
UPDATE and DELETE on the audit table, with no switch an ordinary session could turn."""

import contextlib
import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from agreements.models import Agreement, AgreementTier
from audit import services
from audit.chain import HASHED_FIELDS, ChainResult, canonical_json, compute_hash
from audit.models import AuditEvent, EventType
from audit.services import _row
from audit.verify import verify_chain
from oversight.models import Breach
from oversight.services import breach_report
from tests.audit_triggers import audit_triggers_off
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world: World) -> list[AuditEvent]:
    return [
        services.audit_record(
            event_type=EventType.REQUEST_VIEWED,
            actor=world.discloser,
            request_reference=f"ISP-2026-0000{n}",
            details={"n": n},
        )
        for n in range(5)
    ]


@contextlib.contextmanager
def tampering() -> Iterator[CursorWrapper]:
    """Raw SQL as someone with power over the database (a superuser) would run it."""
    with audit_triggers_off(connection), connection.cursor() as cursor:
        yield cursor


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


def broken_at() -> int:
    with pytest.raises(CommandError) as caught:
        verify()
    message = str(caught.value)
    assert message.startswith("Audit chain broken at event ")
    return int(message.removeprefix("Audit chain broken at event ").split(":")[0])


def test_untouched_chain_verifies(events: list[AuditEvent]) -> None:
    output = verify()
    assert f"All {len(events)} audit events verify." in output
    assert f"Newest event: {events[-1].pk} hash: {events[-1].hash}" in output
    assert "Missing ids" not in output


def test_row_edited_behind_the_triggers_is_named(events: list[AuditEvent]) -> None:
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
            ["someone_else", events[2].pk],
        )
    assert broken_at() == events[2].pk


def test_details_edited_behind_the_triggers_are_named(events: list[AuditEvent]) -> None:
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"n": 99}', events[1].pk]
        )
    assert broken_at() == events[1].pk


def test_row_deleted_behind_the_triggers_breaks_the_next_link(
    events: list[AuditEvent],
) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert broken_at() == events[3].pk


def test_forged_row_inserted_is_named_even_with_genuine_events_after_it(
    events: list[AuditEvent],
) -> None:
    forged = AuditEvent(
        occurred_at=timezone.now(),
        event_type=EventType.SIGN_IN,
        actor_username="intruder",
        key_id="1",
        prev_hash=events[-1].hash,
        hash="f" * 64,
    )
    forged.save(force_insert=True)
    services.audit_record(event_type=EventType.SIGN_OUT)
    assert broken_at() == forged.pk


def test_row_rehashed_without_the_key_is_named(events: list[AuditEvent]) -> None:
    tampered = AuditEvent.objects.get(pk=events[3].pk)
    tampered.actor_username = "someone_else"
    guessed = compute_hash(_row(tampered), tampered.prev_hash, key=b"a guessed key")
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s, hash = %s WHERE id = %s",
            ["someone_else", guessed, tampered.pk],
        )
    assert broken_at() == events[3].pk


def test_changed_key_fails_at_the_first_event(events: list[AuditEvent], settings) -> None:
    settings.AUDIT_HMAC_KEY = "not-the-key-the-chain-was-written-with"
    assert broken_at() == events[0].pk


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET actor_username = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete(events: list[AuditEvent], sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [events[0].pk])
    assert AuditEvent.objects.get(pk=events[0].pk).actor_username == "discloser"


def test_database_refuses_orm_update_and_delete(events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(actor_username="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    assert AuditEvent.objects.count() == len(events)


def test_postgresql_refuses_truncate(events: list[AuditEvent]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")


def test_old_maintenance_setting_no_longer_opens_the_table(events: list[AuditEvent]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL session setting")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL isp.audit_maintenance = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert AuditEvent.objects.filter(pk=events[-1].pk).exists()


def test_a_client_function_no_longer_opens_the_table_on_sqlite(events: list[AuditEvent]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers called a function any client could define")
    connection.connection.create_function("isp_audit_maintenance", 0, lambda: 1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert AuditEvent.objects.filter(pk=events[-1].pk).exists()


def test_newest_events_removed_leave_a_gap_no_new_event_fills(events: list[AuditEvent]) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    newer = services.audit_record(event_type=EventType.SIGN_OUT)
    assert newer.pk > events[4].pk
    output = verify()
    assert f"Missing ids: {events[3].pk}-{events[4].pk} " in output


def test_anchor_shows_the_newest_events_were_removed(events: list[AuditEvent], tmp_path) -> None:
    anchor = tmp_path / "audit-anchor"
    assert f"Newest event: {events[-1].pk} " in verify("--anchor-file", str(anchor))
    assert f"event={events[-1].pk} hash={events[-1].hash}" in anchor.read_text()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    services.audit_record(event_type=EventType.SIGN_OUT)
    verify()  # the chain alone cannot tell: it was rebuilt on what was left
    with pytest.raises(CommandError, match=f"event {events[-1].pk}, anchored .* is gone"):
        verify("--anchor-file", str(anchor))


def test_anchor_shows_the_newest_event_was_rewritten_even_with_the_key(
    events: list[AuditEvent], tmp_path
) -> None:
    anchor = tmp_path / "audit-anchor"
    verify("--anchor-file", str(anchor))
    rewritten = AuditEvent.objects.get(pk=events[-1].pk)
    rewritten.actor_username = "someone_else"
    rehashed = compute_hash(_row(rewritten), rewritten.prev_hash)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s, hash = %s WHERE id = %s",
            ["someone_else", rehashed, rewritten.pk],
        )
    verify()  # whoever holds the key can rewrite the chain's end consistently
    with pytest.raises(CommandError, match=f"event {rewritten.pk}, anchored .* has changed"):
        verify("--anchor-file", str(anchor))


def _report(world: World) -> Breach:
    return breach_report(
        reporter=world.requester,
        owning_agency=world.council,
        what_happened="A printed list was left on a train",
        discovered_at=timezone.now() - datetime.timedelta(hours=1),
        data_affected="Addresses of about ten people",
        agreement=_agreement(),
    )


def _agreement() -> Agreement:
    return Agreement.objects.get_or_create(
        reference="DSA-1", defaults={"title": "ASB", "tier": AgreementTier.AGREEMENT}
    )[0]


def test_change_and_its_event_roll_back_together(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _report(world)
        raise RuntimeError("something after the change failed")
    assert not Breach.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.BREACH_REPORTED).exists()


@pytest.fixture
def audit_inserts_fail() -> None:
    """A real database failure on writing the audit event (no mocks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'audit write failed'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_insert BEFORE INSERT ON audit_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_insert BEFORE INSERT ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit write failed'); END"
            )
    # The test's transaction is rolled back afterwards, and the trigger with it.


def test_change_is_not_saved_when_its_event_cannot_be(world: World, audit_inserts_fail) -> None:
    with pytest.raises(DatabaseError, match="audit write failed"), transaction.atomic():
        _report(world)
    assert not Breach.objects.exists()


# Checking in id ranges: the answer must be the one a single walk in id order gives.


def _single_walk() -> ChainResult:
    return verify_chain(workers=1, range_ids=10**9)


def _tamper(kind: str, event: AuditEvent) -> None:
    with tampering() as cursor:
        if kind == "delete":
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        else:
            cursor.execute(
                "UPDATE audit_auditevent SET actor_username = 'x' WHERE id = %s", [event.pk]
            )


@pytest.mark.parametrize("range_ids", [1, 2, 3])
def test_ranges_agree_with_a_single_walk_on_an_untouched_chain(
    events: list[AuditEvent], range_ids: int
) -> None:
    result = verify_chain(workers=1, range_ids=range_ids)
    assert result == _single_walk()
    assert result.ok and result.checked == len(events)
    assert result.last_hash == events[-1].hash


@pytest.mark.parametrize("range_ids", [1, 2, 3])
@pytest.mark.parametrize("position", range(5))
@pytest.mark.parametrize("kind", ["delete", "edit"])
def test_ranges_agree_with_a_single_walk_wherever_the_chain_is_broken(
    events: list[AuditEvent], range_ids: int, position: int, kind: str
) -> None:
    _tamper(kind, events[position])
    result = verify_chain(workers=1, range_ids=range_ids)
    assert result == _single_walk()
    if kind == "edit":
        assert (result.broken_id, result.checked) == (events[position].pk, position)
    elif position < len(events) - 1:
        # A removed event shows at the next one; the first event then points at a hash
        # that is not the start of the chain.
        assert result.broken_id == events[position + 1].pk
        assert result.checked == position
    else:
        # Removing the newest event leaves a chain that verifies: the newest hash, kept
        # outside the database, is what shows it.
        assert result.ok and result.last_hash == events[-2].hash


@pytest.mark.postgres
# The test runner has threads of its own; the command forks from a single-threaded process.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.parametrize("tampered", [None, 2, 3])
def test_worker_processes_agree_with_a_single_walk(
    transactional_db: None, world: World, tampered: int | None
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("ranges are checked by several processes on PostgreSQL only")
    events = [
        services.audit_record(event_type=EventType.SIGN_IN, actor=world.discloser) for _ in range(7)
    ]
    if tampered is not None:
        _tamper("edit", events[tampered])
    parallel = verify_chain(workers=2, range_ids=2)
    assert parallel == _single_walk()
    assert parallel.ok == (tampered is None)
    if tampered is not None:
        assert parallel.broken_id == events[tampered].pk


@pytest.mark.parametrize(
    "values",
    [
        [1, "2026-01-02T03:04:05.000006+00:00", None, "", ["spoc", "discloser"], {}],
        [{"b": 1, "a": {"d": [1, 2], "c": None}}, True, False, 1.5, -0.0, 10**20],
        ['Zoë “quoted” \\ "x" \n\t\u0007 ☒ 日本', {"é": "ü", "E": "u"}],
        [float("inf"), float("nan"), datetime.date(2026, 1, 2)],
    ],
)
def test_canonical_json_is_what_json_dumps_writes(values: list[object]) -> None:
    """The chain's text must never change: the prebuilt encoder writes exactly what
    json.dumps does with the chain's settings."""
    expected = json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    assert canonical_json(values) == expected


def test_hash_is_the_hmac_of_that_text(events: list[AuditEvent], settings) -> None:
    event = events[2]
    row = _row(event)
    text = json.dumps(
        [
            row[name].isoformat(timespec="microseconds") if name == "occurred_at" else row[name]
            for name in HASHED_FIELDS
        ]
        + [event.prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    key = settings.AUDIT_HMAC_KEY.encode()
    assert event.hash == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    assert compute_hash(row, event.prev_hash) == event.hash
