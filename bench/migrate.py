"""Migrate the bench database.

Audit migration 0002 installs its PostgreSQL triggers with ``schema_editor.execute(sql)``;
with psycopg2 the ``%`` in the trigger's RAISE message is read as a parameter placeholder
and the migration fails. Until that migration passes ``params=None``, this runs the same
SQL (taken from the migration itself) and records the migration as applied.
"""

import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

TRIGGERS = ("audit", "0002_append_only_triggers")

if TRIGGERS not in MigrationRecorder(connection).applied_migrations():
    call_command("migrate", "audit", "0001", verbosity=0, interactive=False)
    try:
        call_command("migrate", "audit", "0002", verbosity=0, interactive=False)
    except IndexError:
        migration = importlib.import_module("audit.migrations.0002_append_only_triggers")
        with connection.cursor() as cursor:
            cursor.execute(migration.POSTGRES_INSTALL)
        call_command("migrate", "audit", "0002", fake=True, verbosity=0, interactive=False)
        print("Audit triggers installed by bench/migrate.py (see its docstring).")
call_command("migrate", verbosity=0, interactive=False)
call_command("createcachetable", verbosity=0)
