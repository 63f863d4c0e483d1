"""The chain moves out of the event rows into links that a sequencer writes after commit.

Until now every event took a global lock, read the newest event's hash and chained onto it,
so every audited request waited for every other open one. From here an event is written
with a seal of its own (its HMAC with an empty ``prev_hash``) and no lock, and the sequencer
(``audit.sequencer``) links committed events into the chain in ``audit_chainlink``.

The events written so far keep their hashes: each gets a link that repeats its own
``prev_hash`` and ``hash``, in id order, so the chain they formed is checked as it was, with
the keys that signed it, and nothing is re-signed here. The link table is append-only like
the event table: its triggers refuse every UPDATE, DELETE and TRUNCATE, and the portal's
database role may only read and insert (``audit.db``, after every ``migrate``).
"""

import django.db.models.deletion
from django.db import migrations, models

COPY_CHAIN = """
INSERT INTO audit_chainlink (seq, event_id, key_id, prev_hash, hash)
SELECT ROW_NUMBER() OVER (ORDER BY id), id, key_id, prev_hash, hash
FROM audit_auditevent ORDER BY id
"""
# The event table's function (migration 0006) refuses whatever it is attached to.
POSTGRES_INSTALL = """
CREATE TRIGGER audit_chainlink_no_update BEFORE UPDATE ON audit_chainlink
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
CREATE TRIGGER audit_chainlink_no_delete BEFORE DELETE ON audit_chainlink
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
CREATE TRIGGER audit_chainlink_no_truncate BEFORE TRUNCATE ON audit_chainlink
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
"""
POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS audit_chainlink_no_update ON audit_chainlink;
DROP TRIGGER IF EXISTS audit_chainlink_no_delete ON audit_chainlink;
DROP TRIGGER IF EXISTS audit_chainlink_no_truncate ON audit_chainlink;
"""
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER audit_chainlink_no_update BEFORE UPDATE ON audit_chainlink
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_chainlink_no_delete BEFORE DELETE ON audit_chainlink
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_chainlink_no_update",
    "DROP TRIGGER IF EXISTS audit_chainlink_no_delete",
]


def install(apps, schema_editor):
    schema_editor.execute(COPY_CHAIN)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    """Only links that repeat their event's own chain can be given up: events recorded since
    the sequencer have theirs only in the link table."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM audit_auditevent WHERE prev_hash = '' "
            "OR id NOT IN (SELECT event_id FROM audit_chainlink)"
        )
        if cursor.fetchone()[0]:
            raise RuntimeError(
                "Events recorded since the sequencer are chained only by their links: "
                "this migration cannot be reversed."
            )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REMOVE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0011_breach_moved_to_oversight")]

    operations = [
        migrations.CreateModel(
            name="ChainLink",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("key_id", models.CharField(max_length=20)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="link",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={"ordering": ["seq"]},
        ),
        migrations.RunPython(install, remove),
    ]
