"""The dashboard on the demo data: every figure is the one the rows give (the demo
back-dates with QuerySet.update, which the tallies do not see, and then rebuilds them)."""

from typing import Any

import pytest
from django.core.management import call_command

from requests_app import demo as requests_demo
from tests.audit.test_dashboard_tallies import assert_board_is_the_oracle, periods

pytestmark = pytest.mark.django_db


def test_the_demo_board_is_the_oracle(settings: Any, monkeypatch: Any) -> None:
    settings.ALLOW_DEMO_DATA = True
    monkeypatch.setattr(requests_demo, "YEAR_OF_REQUESTS", 24)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for period in periods():
        assert_board_is_the_oracle(period)
