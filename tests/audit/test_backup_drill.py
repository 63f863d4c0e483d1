"""The backup and restore drill (docs/operations.md): a dump restored into a new database
holds the same audit chain, which verifies there with the same newest hash."""

import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import EventType
from audit.services import audit_record
from tests.requests_app.test_email_outbox import DATABASE_BACKEND
from tests.world import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _url(database: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{database}"


@pytest.fixture
def restored_database() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("the drill dumps and restores PostgreSQL")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _newest(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Newest event:"))


def test_restored_backup_verifies_with_the_same_newest_hash(
    world: World, restored_database: str, tmp_path: Path, settings
) -> None:
    for event_type in (EventType.SIGN_IN, EventType.REQUEST_VIEWED, EventType.SIGN_OUT):
        audit_record(event_type=event_type, actor=world.discloser)
    # One more, committed while the worker has not run yet: the backup holds it unchained.
    settings.TASKS = DATABASE_BACKEND
    audit_record(event_type=EventType.SIGN_IN, actor=world.requester)
    before = StringIO()
    call_command("verify_audit_chain", stdout=before)
    assert "Pending: 1 events" in before.getvalue()

    dump = tmp_path / "isp.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", _url(connection.settings_dict["NAME"])],
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_url(restored_database)}",
            dump,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "DATABASE_URL": _url(restored_database)}
    after = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_chain"],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert after.returncode == 0, after.stderr
    assert "All 4 audit events verify." in after.stdout
    assert "Pending: 1 events" in after.stdout
    assert _newest(after.stdout) == _newest(before.getvalue())
    # The restored database's sequencer carries on from where the backup's chain ends.
    chained = subprocess.run(
        [sys.executable, "manage.py", "sequence_audit_events"],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert chained.stdout == "Chained 1 audit events.\n", chained.stderr
