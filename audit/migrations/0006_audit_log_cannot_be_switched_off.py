"""The append-only triggers lose their off switch.

Migration 0002's triggers let through any change made by a session that had set
``isp.audit_maintenance`` (any session could), and on SQLite any client that registered a
function named ``isp_audit_maintenance``. From here they refuse every UPDATE, DELETE and
TRUNCATE; only the table's owner (or a superuser) can switch them off, and the portal's
database role is neither (docs/security.md, the audit log).

Events were given ids by the application (last id + 1), so the table's id sequence never
moved; it now hands out the ids, starting after the newest event. What the portal's role
may do with the table is set after every ``migrate`` (audit.db).
"""

from django.db import migrations

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
SELECT setval(
    pg_get_serial_sequence('audit_auditevent', 'id'),
    COALESCE((SELECT MAX(id) FROM audit_auditevent), 0) + 1,
    false
);
"""
# 0002's function, with its switch.
POSTGRES_REMOVE = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF current_setting('isp.audit_maintenance', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
# 0002's triggers, with their switch (migration 0005 may have dropped them with the table).
SQLITE_REMOVE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT isp_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT isp_audit_maintenance()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END
    """,
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in [*SQLITE_DROP, *SQLITE_TRIGGERS]:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REMOVE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in [*SQLITE_DROP, *SQLITE_REMOVE]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_auditevent_key_id")]

    operations = [migrations.RunPython(install, remove)]
