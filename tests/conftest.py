import os

import pytest
from django.test import TransactionTestCase

from audit.db import audit_maintenance
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_can_be_flushed() -> None:
    """Transactional tests empty every table afterwards; the audit table's triggers would
    refuse, so the flush runs inside the audit maintenance window."""
    original = TransactionTestCase._fixture_teardown

    def teardown(self: TransactionTestCase) -> None:
        with audit_maintenance():
            original(self)

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()
