"""When the database cannot be reached the person sees a 503 page and nothing is written.

The connection really fails: it is pointed at a database that cannot be opened (SQLite) or
a closed port (PostgreSQL), then put back.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import TermsAcceptance
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable() -> Iterator[None]:
    saved_settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        # The test database lives in memory and is lost if really closed: set the live
        # connection aside instead, so the next query has to open a new one, and fails.
        live = connection.connection
        connection.connection = None
        connection.settings_dict["NAME"] = "/nonexistent/isp-portal/unreachable.sqlite3"
    else:
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        if connection.vendor == "sqlite":
            connection.connection = live
        else:
            connection.close()


def _counts() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), Session.objects.count(), TermsAcceptance.objects.count()


def test_sign_in_while_the_database_is_down_gets_a_503_and_writes_nothing() -> None:
    build_world()
    before = _counts()
    client = Client(raise_request_exception=False)

    with database_unreachable():
        response = client.post(
            reverse("account_login"), {"login": "requester", "password": TEST_PASSWORD}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert b"cannot reach its database" in response.content
    assert _counts() == before


def test_signed_in_officer_gets_a_503_and_nothing_is_written() -> None:
    world: World = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.requester)
    before = _counts()

    with database_unreachable():
        response = client.post(reverse("accounts:terms"), {"accept": "on"})

    assert response.status_code == 503
    assert b"cannot reach its database" in response.content
    assert _counts() == before
