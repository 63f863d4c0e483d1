"""Database-level protection of the audit table: triggers that refuse UPDATE and DELETE.

The triggers are created by migration 0002 (its SQL is frozen there). A maintenance window
(used by the test suite's database flush, and by any future retention purge) lets a trusted
process delete rows; ordinary connections, and any tool that is not this application,
cannot. Even inside the window, the HMAC chain still shows what was removed.
"""

import contextlib
import threading
from collections.abc import Iterator

from django.db import connection
from django.db.backends.signals import connection_created

_state = threading.local()


def _maintenance_open() -> int:
    return 1 if getattr(_state, "maintenance", False) else 0


def _register(sender: object, connection: object, **kwargs: object) -> None:
    if getattr(connection, "vendor", "") == "sqlite":
        connection.connection.create_function(  # type: ignore[attr-defined]
            "isp_audit_maintenance", 0, _maintenance_open, deterministic=False
        )


def register_sqlite_functions() -> None:
    connection_created.connect(_register, dispatch_uid="audit_sqlite_functions")


@contextlib.contextmanager
def audit_maintenance() -> Iterator[None]:
    """Let this thread's connection delete audit rows (test flushes, audited purges)."""
    _state.maintenance = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('isp.audit_maintenance', 'on', false)")
    try:
        yield
    finally:
        _state.maintenance = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('isp.audit_maintenance', 'off', false)")
