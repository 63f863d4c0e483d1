"""Test databases copied from a migrated template instead of migrated one by one.

Migrating an empty database takes half a minute; copying a migrated one takes a fraction of
a second. The template is built once, under a lock (so two xdist workers never build it
twice), and is named after a digest of every migration file of every installed app: any
change to a migration, a new migration, or another Django version gives a new digest and
so a new template, built on first use. Nothing else decides the schema or the rows that
data migrations load, so a template can never be stale.

- SQLite: the template is a file in ``var/test-templates/``; each test run (each xdist
  worker) copies it into its own in-memory database with SQLite's backup API.
- PostgreSQL: the template is a database ``<test name>_tpl_<digest>``; each worker's test
  database is created with ``CREATE DATABASE ... TEMPLATE``, under an advisory lock.
- Any other backend is created as Django does it, by migrating.

Delete ``var/test-templates/`` (SQLite) or drop the ``*_tpl_*`` database (PostgreSQL) to
force a rebuild; older templates of the same test database are dropped when a new one is
built.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
import psycopg2
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

TEMPLATE_DIR = Path(settings.BASE_DIR) / "var" / "test-templates"


def schema_digest() -> str:
    """A digest of what decides a freshly migrated database: the Django version, the cache
    table, and the text of every migration file (or, for an app without migrations, its
    models module, which ``migrate --run-syncdb`` creates tables from)."""
    digest = hashlib.sha256()
    digest.update(django.get_version().encode())
    digest.update(repr(sorted(settings.CACHES.items())).encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        folder = Path(app.path) / "migrations"
        files = sorted(folder.rglob("*.py")) if folder.is_dir() else []
        if not files and app.models_module is not None and app.models_module.__file__:
            files = [Path(app.models_module.__file__)]
        for file in files:
            digest.update(f"{app.label}/{file.relative_to(app.path)}".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def create_test_database(connection: BaseDatabaseWrapper, *, verbosity: int) -> str:
    """Point ``connection`` at a fresh test database with every migration applied, copied
    from the template. Returns the database's original name, for ``destroy_test_db``."""
    old_name: str = connection.settings_dict["NAME"]
    test_name = _test_name(connection)
    if connection.vendor == "sqlite":
        template = _sqlite_template(connection, verbosity=verbosity)
        _use_database(connection, test_name)
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        _postgres_clone(connection, old_name, test_name, verbosity=verbosity)
        _use_database(connection, test_name)
    else:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True)
    return old_name


def _test_name(connection: BaseDatabaseWrapper) -> str:
    """The test database's name, as Django names it: the configured test name (pytest-django
    gives each xdist worker its own), else the name with Django's prefix; on SQLite, a
    shared in-memory database."""
    configured: str | None = connection.settings_dict["TEST"].get("NAME")
    if configured:
        return configured
    if connection.vendor == "sqlite":
        return f"file:memorydb_{connection.alias}?mode=memory&cache=shared"
    return TEST_DATABASE_PREFIX + connection.settings_dict["NAME"]


@contextlib.contextmanager
def _server_cursor(connection: BaseDatabaseWrapper) -> Iterator[Any]:
    """A cursor on the server's maintenance database ``postgres``, outside any transaction
    (CREATE DATABASE cannot run inside one), with the connection's own credentials."""
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    server = psycopg2.connect(**params)
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            yield cursor
    finally:
        server.close()


def _use_database(connection: BaseDatabaseWrapper, name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def _migrate(connection: BaseDatabaseWrapper, *, verbosity: int) -> None:
    """What ``create_test_db`` does to a new database, on the one ``connection`` points at."""
    call_command(
        "migrate",
        verbosity=max(verbosity - 1, 0),
        interactive=False,
        database=connection.alias,
        run_syncdb=True,
    )
    call_command("createcachetable", database=connection.alias)


def _log(connection: BaseDatabaseWrapper, verbosity: int, message: str) -> None:
    if verbosity >= 1:
        connection.creation.log(message)


# SQLite ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_template(connection: BaseDatabaseWrapper, *, verbosity: int) -> Path:
    template = TEMPLATE_DIR / f"sqlite-{schema_digest()}.sqlite3"
    with _file_lock(TEMPLATE_DIR / "sqlite.lock"):
        if template.exists():
            return template
        _log(connection, verbosity, f"Building the test database template {template}...")
        partial = template.with_suffix(".partial")
        for leftover in TEMPLATE_DIR.glob("sqlite-*"):
            leftover.unlink()
        original = connection.settings_dict["NAME"]
        _use_database(connection, str(partial))
        try:
            _migrate(connection, verbosity=verbosity)
            with connection.cursor() as cursor:
                # One self-contained file: no write-ahead log beside it.
                cursor.execute("PRAGMA journal_mode=DELETE")
        finally:
            connection.close()
            settings.DATABASES[connection.alias]["NAME"] = original
            connection.settings_dict["NAME"] = original
        os.replace(partial, template)
    return template


# PostgreSQL ------------------------------------------------------------------------------


def _postgres_clone(
    connection: BaseDatabaseWrapper, old_name: str, test_name: str, *, verbosity: int
) -> None:
    # One template for all the xdist workers: named after the test database without the
    # worker's suffix (pytest-django adds "_gw0", "_gw1", …).
    base = connection.settings_dict["TEST"].get("NAME") or f"test_{old_name}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = base.removesuffix(f"_{worker}")
    base = base[:40]
    template = f"{base}_tpl_{schema_digest()}"
    quote = connection.ops.quote_name
    lock_key = zlib.crc32(base.encode())
    with _server_cursor(connection) as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key])
        try:
            cursor.execute("SELECT datistemplate FROM pg_database WHERE datname = %s", [template])
            row = cursor.fetchone()
            if row is None or not row[0]:  # absent, or a build that never finished
                _log(connection, verbosity, f"Building the test database template {template}...")
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    [base.replace("_", r"\_") + r"\_tpl\_%"],
                )
                for (stale,) in cursor.fetchall():
                    cursor.execute(f"ALTER DATABASE {quote(stale)} IS_TEMPLATE false")
                    cursor.execute(f"DROP DATABASE {quote(stale)}")
                cursor.execute(f"CREATE DATABASE {quote(template)}")
                _use_database(connection, template)
                try:
                    _migrate(connection, verbosity=verbosity)
                finally:
                    connection.close()
                    settings.DATABASES[connection.alias]["NAME"] = old_name
                    connection.settings_dict["NAME"] = old_name
                # Marks the template complete (and refuses a plain DROP by mistake).
                cursor.execute(f"ALTER DATABASE {quote(template)} IS_TEMPLATE true")
            _log(connection, verbosity, f"Creating test database {test_name} from {template}...")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key])
