import copy
import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from pytest_django import DjangoDbBlocker, Settings

from tests.audit_triggers import audit_triggers_off
from tests.database import create_test_database
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_can_be_flushed() -> None:
    """Transactional tests empty every table afterwards; the audit table's triggers would
    refuse, so the flush runs with them switched off."""
    # Django's flush hook (a private method): wrapped, as nothing public runs around it.
    test_case: Any = TransactionTestCase
    original = test_case._fixture_teardown

    def teardown(self: TransactionTestCase) -> None:
        with audit_triggers_off(connection):
            original(self)

    test_case._fixture_teardown = teardown


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
    django_db_keepdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's test database, copied from a migrated template rather than migrated
    (tests/database.py). Kept afterwards with --reuse-db (even with --create-db), as
    pytest-django does: the next run replaces it, and a connection some test left open (a
    worker thread, a live server) cannot make the drop fail the run."""
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_name = create_test_database(connection, verbosity=verbosity)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            connection.creation.destroy_test_db(old_name, verbosity)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _idle_clock_written_rarely(settings: Settings) -> None:
    """A signed-in request writes the idle clock only when the last write is older than
    SESSION_TOUCH_SECONDS. Tests that count a page's queries twice must not see a write
    in one count and not the other because the machine was slow between them (growing a
    table to 500 requests can take minutes on a shared machine), so here it is written
    once the last write is a minute short of the idle limit. The session tests set the
    production value and move time explicitly."""
    settings.SESSION_TOUCH_SECONDS = settings.SESSION_IDLE_SECONDS - 60


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "tests.tasks.OnCommitImmediateBackend"}}


_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _item_is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    return _item_is_transactional(request.node)


@pytest.fixture(autouse=True)
def _data_loaded_by_migrations(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table when they finish, including the rows data
    migrations loaded. Put those back (with the loaders the migrations run) before each."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps as django_apps

    for module, loader in (
        ("agreements.migrations.0002_legislation_vocabulary", "load"),
        ("accounts.migrations.0003_terms_version_1", "publish_version_1"),
    ):
        getattr(importlib.import_module(module), loader)(django_apps, None)


# The shared world -----------------------------------------------------------------------
#
# Building the 18 officers takes about a hundred queries. In a module where every test that
# touches the database asks for the world, and none of them commits (no transactional
# test), the world is built once, inside a transaction that stays open for the module and
# is rolled back at its end; each test runs in a savepoint inside it, as always, and gets
# its own deep copy of the Python objects (as Django's TestCase.setUpTestData does), so
# nothing a test does to the rows or the objects reaches the next test. Any other module
# builds the world for each test that asks for it, as before.

_SHARED_WORLD_MODULES = pytest.StashKey[frozenset[str]]()


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in set(
        getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor != "postgresql":
        needs_postgres = pytest.mark.skip(reason="needs PostgreSQL")
        for item in items:
            if item.get_closest_marker("postgres") is not None:
                item.add_marker(needs_postgres)
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        module = item.getparent(pytest.Module)
        if module is not None:
            by_module.setdefault(module.nodeid, []).append(item)
    config.stash[_SHARED_WORLD_MODULES] = frozenset(
        module
        for module, module_items in by_module.items()
        if (database_items := [item for item in module_items if _uses_database(item)])
        and all(
            "world" in getattr(item, "fixturenames", ()) and not _item_is_transactional(item)
            for item in database_items
        )
    )


@pytest.fixture(scope="module", autouse=True)
def _module_world(request: pytest.FixtureRequest) -> Iterator[World | None]:
    if request.node.nodeid not in request.config.stash.get(_SHARED_WORLD_MODULES, frozenset()):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker: DjangoDbBlocker = request.getfixturevalue("django_db_blocker")
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world
    with blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(_module_world: World | None, db: None) -> World:
    if _module_world is not None:
        return copy.deepcopy(_module_world)
    return build_world()
