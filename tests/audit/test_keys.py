"""The audit chain's key: its own secret, required in production, and rotatable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit import services
from audit.models import AuditEvent, ChainLink, EventType
from audit.sequencer import chain_extend
from audit.verify import verify_chain
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!production-grade-secret-key-with-enough-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "isp.example.gov.uk",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "SECRET_KEY"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_to_start_without_an_audit_key() -> None:
    result = _check(PRODUCTION_ENV)
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY is not set" in result.stderr


def test_audit_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "audit_key"
    key_file.write_text("a-long-random-audit-key")
    result = _check({**PRODUCTION_ENV, "AUDIT_HMAC_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr


def test_a_new_key_needs_a_new_id() -> None:
    env = {**PRODUCTION_ENV, "AUDIT_HMAC_KEY": "new", "AUDIT_HMAC_OLD_KEYS": "1:old"}
    result = _check(env)
    assert result.returncode != 0
    assert "a new key needs a new id" in result.stderr


def _record(n: int) -> list[AuditEvent]:
    return [services.audit_record(event_type=EventType.SIGN_IN) for _ in range(n)]


@pytest.mark.django_db
def test_events_signed_before_a_rotation_still_verify(world: World, settings) -> None:
    old = _record(3)
    settings.AUDIT_HMAC_OLD_KEYS = {"1": settings.AUDIT_HMAC_KEY}
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = "the-rotated-key", "2"
    new = _record(2)
    assert [e.key_id for e in old + new] == ["1", "1", "1", "2", "2"]
    result = verify_chain()
    assert result.ok and result.checked == 5


@pytest.mark.django_db
def test_dropping_the_old_key_names_the_first_event_it_signed(world: World, settings) -> None:
    old = _record(2)
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = "the-rotated-key", "2"
    _record(1)
    result = verify_chain()
    assert result.broken_id == old[0].pk
    assert "key id '1', which is not configured" in result.problem


@pytest.mark.django_db
def test_an_old_key_cannot_pass_for_the_current_one(world: World, settings) -> None:
    """Rotating without keeping the old key under its own id fails at the first event."""
    old = _record(2)
    settings.AUDIT_HMAC_KEY = "the-rotated-key"
    assert verify_chain().broken_id == old[0].pk


@pytest.mark.django_db
def test_events_sealed_before_a_rotation_and_linked_after_it_verify(world: World, settings) -> None:
    old = _record(2)
    settings.AUDIT_HMAC_OLD_KEYS = {"1": settings.AUDIT_HMAC_KEY}
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = "the-rotated-key", "2"
    assert chain_extend() == 2
    links = ChainLink.objects.filter(event__in=old).order_by("seq")
    assert [(link.event.key_id, link.key_id) for link in links] == [("1", "2"), ("1", "2")]
    assert verify_chain().ok
    settings.AUDIT_HMAC_OLD_KEYS = {}
    result = verify_chain()
    assert result.broken_id == old[0].pk
    assert "key id '1', which is not configured" in result.problem


@pytest.mark.django_db
def test_the_sequencer_leaves_events_sealed_with_a_key_it_lacks_pending(
    world: World, settings
) -> None:
    workers_key = settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = "a-web-server-s-newer-key", "2"
    newer = _record(1)
    # The worker has not been given the new key yet.
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = workers_key
    assert chain_extend() == 0
    assert not ChainLink.objects.filter(event__in=newer).exists()
    # Once it has it, the event is chained.
    settings.AUDIT_HMAC_OLD_KEYS = {"2": "a-web-server-s-newer-key"}
    assert chain_extend() == 1
    assert verify_chain().ok
