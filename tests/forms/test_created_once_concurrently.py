"""Two posts of the same form at the same instant (a double click) make one record: the
second waits on the first's token and then finds what it made. Real threads, real
connections: PostgreSQL only."""

import datetime
import uuid

import pytest
from django.db import connection

from rights import services as rights
from rights.models import RightsCase, RightsKind
from tests.racing import race
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("waiting on another connection's insert needs PostgreSQL")


def test_the_same_form_posted_four_times_at_once_records_one_case() -> None:
    world = build_world()
    token = uuid.uuid4()

    def post() -> object:
        return rights.rights_case_create(
            actor=world.police_spoc,
            kind=RightsKind.ERASE,
            person_name="Jordan Example",
            person_date_of_birth=datetime.date(1990, 5, 17),
            instructions="Erase: shared in error.",
            submission_token=token,
        )

    results = race([post] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert RightsCase.objects.count() == 1
    assert {getattr(r, "pk", None) for r in results} == {RightsCase.objects.get().pk}
