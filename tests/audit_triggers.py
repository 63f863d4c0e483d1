"""Switching the audit table's triggers off, as only its owner or a superuser can."""

import contextlib
import importlib
from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper

_MIGRATION = importlib.import_module("audit.migrations.0006_audit_log_cannot_be_switched_off")
_LINKS = importlib.import_module("audit.migrations.0012_chain_links")


@contextlib.contextmanager
def audit_triggers_off(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Switch the audit tables' append-only triggers off for this connection, with the
    powers the test database's user has and the portal's role never does: a superuser's
    ``session_replication_role`` on PostgreSQL; dropping and recreating them on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            for statement in [*_MIGRATION.SQLITE_DROP, *_LINKS.SQLITE_DROP]:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("RESET session_replication_role")
            else:
                for statement in [*_MIGRATION.SQLITE_TRIGGERS, *_LINKS.SQLITE_TRIGGERS]:
                    cursor.execute(statement)
