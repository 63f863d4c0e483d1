"""Schemathesis against the live schema: every operation, with generated inputs, through
the WSGI application as a client sees it. No answer may be a server error, and every
answer must be what the schema says (status, content type, body).

Input the schema allows can still be refused with a 400 naming the field: a cursor the
API did not sign, an agency code nobody has, a date before 1900 (the forms' own rules), so
Schemathesis's check that schema-valid input is accepted is left out.

Kept to a few examples an operation so the suite stays quick; ``API_FUZZ_EXAMPLES`` asks
for more (for example before a release)."""

import contextlib
import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from requests_app.models import Status
from tests.world import World

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def _connection_kept_across_calls() -> Iterator[None]:
    """The WSGI handler closes the database connection after each call, as between real
    requests; the test's transaction lives on it, so it is kept open (as Django's test
    client does for each of its own calls)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))


@pytest.mark.parametrize("officer", ["requester", "discloser"])
def test_every_operation_answers_as_its_schema_says(
    world: World, make_request, caller, officer: str
) -> None:
    # Something to find: a draft, a request to review and a decided one.
    make_request(Status.DRAFT)
    make_request(Status.UNDER_REVIEW)
    make_request(Status.DISCLOSED)
    headers = {"Authorization": f"Bearer {caller(officer).token}"}
    with _connection_kept_across_calls():
        _fuzz(headers)


def _fuzz(headers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        answers_as_documented()
