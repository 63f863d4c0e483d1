import importlib
import os

import pytest
from django.db import connection
from django.test import TransactionTestCase

from tests.audit_triggers import audit_triggers_off
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_can_be_flushed() -> None:
    """Transactional tests empty every table afterwards; the audit table's triggers would
    refuse, so the flush runs with them switched off."""
    original = TransactionTestCase._fixture_teardown

    def teardown(self: TransactionTestCase) -> None:
        with audit_triggers_off(connection):
            original(self)

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _idle_clock_written_rarely(settings: object) -> None:
    """A signed-in request writes the idle clock only when the last write is older than
    SESSION_TOUCH_SECONDS. Tests that count a page's queries twice must not see a write
    in one count and not the other because the machine was slow between them (growing a
    table to 500 requests can take minutes on a shared machine), so here it is written
    once the last write is a minute short of the idle limit. The session tests set the
    production value and move time explicitly."""
    settings.SESSION_TOUCH_SECONDS = settings.SESSION_IDLE_SECONDS - 60  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "tests.tasks.OnCommitImmediateBackend"}}  # type: ignore[attr-defined]


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


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


@pytest.fixture
def world(db: None) -> World:
    return build_world()
