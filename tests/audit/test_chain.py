"""Tamper evidence: every event's seal and the chain of links the sequencer writes after
commit notice every kind of tampering, before and after an event is chained, and the
database refuses UPDATE and DELETE on the audit tables, with no switch an ordinary session
could turn."""

import contextlib
import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from agreements.models import Agreement, AgreementTier
from audit import services
from audit.chain import GENESIS, HASHED_FIELDS, ChainResult, canonical_json, compute_hash
from audit.models import AuditEvent, ChainLink, EventType
from audit.sequencer import chain_extend
from audit.services import _row
from audit.verify import verify_chain
from oversight.models import Breach
from oversight.services import breach_report
from tests.audit_triggers import audit_triggers_off
from tests.world import World

pytestmark = pytest.mark.django_db


def _record(world: World, n: int) -> AuditEvent:
    return services.audit_record(
        event_type=EventType.REQUEST_VIEWED,
        actor=world.discloser,
        request_reference=f"ISP-2026-0000{n}",
        details={"n": n},
    )


@pytest.fixture
def pending(world: World) -> list[AuditEvent]:
    """Five events recorded and committed, not chained yet."""
    return [_record(world, n) for n in range(5)]


@pytest.fixture
def events(pending: list[AuditEvent]) -> list[AuditEvent]:
    """Five events, chained by the sequencer."""
    assert chain_extend() == len(pending)
    return pending


def link_of(event: AuditEvent) -> ChainLink:
    return ChainLink.objects.get(event=event)


@contextlib.contextmanager
def tampering() -> Iterator[CursorWrapper]:
    """Raw SQL as someone with power over the database (a superuser) would run it, on rows
    committed before (the foreign keys the test has written so far are checked first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE" if connection.vendor == "postgresql" else "SELECT 1"
        )
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
    assert f"Newest event: {events[-1].pk} hash: {link_of(events[-1]).hash}" in output
    assert "Missing ids" not in output
    assert "Pending" not in output


def test_recording_takes_no_place_in_the_chain_until_the_sequencer_runs(
    pending: list[AuditEvent],
) -> None:
    assert all(event.prev_hash == "" for event in pending)
    assert not ChainLink.objects.exists()
    chain_extend()
    links = list(ChainLink.objects.order_by("seq"))
    assert [link.event_id for link in links] == [event.pk for event in pending]
    assert [link.seq for link in links] == [1, 2, 3, 4, 5]
    assert [link.prev_hash for link in links] == [GENESIS] + [link.hash for link in links[:-1]]
    assert chain_extend() == 0  # each event is chained once


def test_events_not_chained_yet_are_pending_not_tampered(pending: list[AuditEvent]) -> None:
    output = verify()
    assert f"All {len(pending)} audit events verify." in output
    assert f"Pending: {len(pending)} events not chained yet" in output
    assert "Newest event: None " in output


def test_later_events_are_chained_after_the_earlier_ones(
    world: World, events: list[AuditEvent]
) -> None:
    later = [_record(world, n) for n in range(5, 8)]
    assert chain_extend(batch_size=2) == 3
    assert link_of(later[0]).prev_hash == link_of(events[-1]).hash
    result = verify_chain()
    assert result.ok and result.checked == 8 and result.pending == 0
    assert result.last_id == later[-1].pk


def test_events_pending_too_long_are_flagged_until_chained(pending: list[AuditEvent]) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        assert "Pending: 5 events" in verify()
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)),
        pytest.raises(CommandError, match="5 audit events have waited more than 15 minutes"),
    ):
        verify()
    out = StringIO()
    call_command("sequence_audit_events", stdout=out)
    assert out.getvalue() == "Chained 5 audit events.\n"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert f"Newest event: {pending[-1].pk} " in verify()


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


@pytest.mark.parametrize("with_its_link", [False, True])
def test_row_deleted_behind_the_triggers_breaks_the_next_link(
    events: list[AuditEvent], with_its_link: bool
) -> None:
    with tampering() as cursor:
        if with_its_link:
            cursor.execute("DELETE FROM audit_chainlink WHERE event_id = %s", [events[2].pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert broken_at() == events[3].pk
    with tampering() as cursor:  # the dangling link would fail the test's own teardown
        cursor.execute("DELETE FROM audit_chainlink WHERE event_id = %s", [events[2].pk])


def test_link_deleted_in_the_middle_breaks_the_next_link_even_once_relinked(
    events: list[AuditEvent],
) -> None:
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_chainlink WHERE event_id = %s", [events[2].pk])
    assert broken_at() == events[3].pk
    chain_extend()  # the event, pending again, is chained at the end
    assert link_of(events[2]).seq == 6
    assert broken_at() == events[3].pk


def test_forged_row_inserted_is_named_even_with_genuine_events_after_it(
    events: list[AuditEvent],
) -> None:
    forged = AuditEvent(
        occurred_at=timezone.now(),
        event_type=EventType.SIGN_IN,
        actor_username="intruder",
        key_id="1",
        prev_hash="",
        hash="f" * 64,
    )
    forged.save(force_insert=True)
    genuine = services.audit_record(event_type=EventType.SIGN_OUT)
    assert broken_at() == forged.pk
    # The sequencer never chains it; the events after it are chained.
    assert chain_extend() == 1
    assert not ChainLink.objects.filter(event=forged).exists()
    assert link_of(genuine).prev_hash == link_of(events[-1]).hash
    assert broken_at() == forged.pk


def test_forged_link_is_named(events: list[AuditEvent]) -> None:
    forged = AuditEvent(
        occurred_at=timezone.now(),
        event_type=EventType.SIGN_IN,
        actor_username="intruder",
        key_id="1",
        prev_hash="",
        hash="f" * 64,
    )
    forged.save(force_insert=True)
    ChainLink.objects.create(
        seq=6, event=forged, key_id="1", prev_hash=link_of(events[-1]).hash, hash="e" * 64
    )
    assert broken_at() == forged.pk


def test_event_edited_before_it_is_chained_is_named_and_never_chained(
    pending: list[AuditEvent],
) -> None:
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
            ["someone_else", pending[2].pk],
        )
    assert broken_at() == pending[2].pk
    assert chain_extend() == 4
    assert not ChainLink.objects.filter(event=pending[2]).exists()
    assert broken_at() == pending[2].pk


def test_seal_edited_after_the_event_was_chained_is_named(events: list[AuditEvent]) -> None:
    """The link covers the content; the seal is checked too, so no column changes unseen."""
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["a" * 64, events[1].pk]
        )
    assert broken_at() == events[1].pk


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
        "UPDATE audit_chainlink SET hash = 'x' WHERE event_id = %s",
        "DELETE FROM audit_chainlink WHERE event_id = %s",
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
    assert verify_chain().checked == len(events)


def test_database_refuses_orm_update_and_delete(events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(actor_username="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainLink.objects.filter(event=events[0]).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    assert AuditEvent.objects.count() == ChainLink.objects.count() == len(events)


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_chainlink"])
def test_postgresql_refuses_truncate(events: list[AuditEvent], table: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the links' checks, as on commit
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert ChainLink.objects.count() == len(events)


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


def _remove_newest(events: list[AuditEvent], first: int) -> None:
    """Remove the newest events and their links, leaving a chain that holds together."""
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_chainlink WHERE event_id >= %s", [events[first].pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= %s", [events[first].pk])


def test_newest_events_removed_leave_a_gap_no_new_event_fills(events: list[AuditEvent]) -> None:
    _remove_newest(events, 3)
    newer = services.audit_record(event_type=EventType.SIGN_OUT)
    assert newer.pk > events[4].pk
    chain_extend()
    output = verify()
    assert f"Missing ids: {events[3].pk}-{events[4].pk} " in output


def test_anchor_shows_the_newest_events_were_removed(events: list[AuditEvent], tmp_path) -> None:
    anchor = tmp_path / "audit-anchor"
    assert f"Newest event: {events[-1].pk} " in verify("--anchor-file", str(anchor))
    assert f"event={events[-1].pk} hash={link_of(events[-1]).hash}" in anchor.read_text()
    _remove_newest(events, 3)
    services.audit_record(event_type=EventType.SIGN_OUT)
    chain_extend()
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
    resealed = compute_hash(_row(rewritten), rewritten.prev_hash)
    link = link_of(rewritten)
    relinked = compute_hash(_row(rewritten), link.prev_hash)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s, hash = %s WHERE id = %s",
            ["someone_else", resealed, rewritten.pk],
        )
        cursor.execute("UPDATE audit_chainlink SET hash = %s WHERE seq = %s", [relinked, link.seq])
    verify()  # whoever holds the key can rewrite the chain's end consistently
    with pytest.raises(CommandError, match=f"event {rewritten.pk}, anchored .* has changed"):
        verify("--anchor-file", str(anchor))


def test_anchor_written_before_the_sequencer_still_checks(
    events: list[AuditEvent], tmp_path
) -> None:
    """Anchors name an event and a hash: for events chained before the sequencer, the hash
    of the event row, which its link repeats."""
    anchor = tmp_path / "audit-anchor"
    anchor.write_text(f"2026-01-01T00:00:00+00:00 event={events[-1].pk} hash={'b' * 64}\n")
    with pytest.raises(CommandError, match="has changed"):
        verify("--anchor-file", str(anchor))
    anchor.write_text(
        f"2026-01-01T00:00:00+00:00 event={events[-1].pk} hash={link_of(events[-1]).hash}\n"
    )
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
            cursor.execute("DELETE FROM audit_chainlink WHERE event_id = %s", [event.pk])
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
    assert result.last_hash == link_of(events[-1]).hash


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
        assert result.ok and result.last_hash == link_of(events[-2]).hash


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


def _hmac_of_text(event: AuditEvent, prev_hash: str, key: bytes) -> str:
    row = _row(event)
    text = json.dumps(
        [
            row[name].isoformat(timespec="microseconds") if name == "occurred_at" else row[name]
            for name in HASHED_FIELDS
        ]
        + [prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def test_seal_and_link_are_the_hmac_of_that_text(events: list[AuditEvent], settings) -> None:
    event, link = events[2], link_of(events[2])
    key = settings.AUDIT_HMAC_KEY.encode()
    assert event.hash == _hmac_of_text(event, "", key)
    assert link.hash == _hmac_of_text(event, link.prev_hash, key)
    assert link.prev_hash == link_of(events[1]).hash
    assert compute_hash(_row(event), event.prev_hash) == event.hash
