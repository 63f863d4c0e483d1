"""What a signed-in page costs before its view runs, and that the session limits and the
list of sessions still hold when the idle clock is written only now and then.

Time moves with time-machine, never by sleeping.
"""

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from accounts.models import User
from accounts.sessions import LAST_ACTIVE_AT, SIGNED_IN_AT
from audit.models import AuditEvent, EventType
from tests.security.conftest import sign_in
from tests.world import World

pytestmark = pytest.mark.django_db

BARE = "/bench/bare/"  # SELECT 1 behind the whole middleware stack (bench/urls.py)
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _bench_urls_and_production_touch(settings: Settings) -> None:
    settings.ROOT_URLCONF = "bench.urls"
    settings.SESSION_TOUCH_SECONDS = 60


def _around_view(client: Client) -> list[str]:
    """The statements a signed-in request runs besides its view's own SELECT 1: before it
    (middleware) and after it (the session saved with the response)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(BARE).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements.count("SELECT 1") == 1
    return [s for s in statements if s != "SELECT 1"]


def _tables(statements: list[str]) -> list[str]:
    return [s.split()[0] + " " + s.split('"')[1] for s in statements]


def test_a_signed_in_page_reads_the_session_and_the_officer_and_nothing_else(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client, "discloser")
    client.get(BARE)
    time_machine.shift(django_settings.SESSION_TOUCH_SECONDS - 1)

    statements = _around_view(client)

    # Once 11: the session, the officer twice, allauth's session row read and rewritten
    # in a savepoint, the roles, and the session written back in another.
    assert _tables(statements) == ["SELECT django_session", "SELECT accounts_user"]
    assert "accounts_officerrole" in statements[1] and "accounts_agency" in statements[1]


def test_the_idle_clock_is_written_once_it_is_older_than_the_touch_interval(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client, "discloser")
    client.get(BARE)
    time_machine.shift(django_settings.SESSION_TOUCH_SECONDS + 1)

    statements = _around_view(client)

    assert len(statements) <= 4
    assert _tables(statements) == [
        "SELECT django_session",
        "SELECT accounts_user",
        "UPDATE usersessions_usersession",  # the session list: last seen, address, browser
        "UPDATE django_session",  # with the response, one statement, no savepoint
    ]
    assert client.session[LAST_ACTIVE_AT] == pytest.approx(
        START.timestamp() + django_settings.SESSION_TOUCH_SECONDS + 1
    )
    seen = UserSession.objects.get(user=world.discloser).last_seen_at
    assert seen == timezone.now()


def test_the_officer_loaded_for_a_page_carries_agency_and_roles(world: World) -> None:
    client = Client()
    sign_in(client, "police_spoc")
    user = client.get(BARE).wsgi_request.user
    assert isinstance(user, User)
    with CaptureQueriesContext(connection) as captured:
        roles, agency = user.role_set, user.agency
    assert len(captured) == 0
    assert roles == frozenset(world.police_spoc.roles.values_list("role", flat=True))
    assert agency == world.police


def test_idle_timeout_ends_the_session_with_lazy_touches(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    """Pages opened within the touch interval are not written, so the clock runs from the
    last written activity: signed out no later than the idle limit after the last page."""
    time_machine.move_to(START, tick=False)
    idle, touch = django_settings.SESSION_IDLE_SECONDS, django_settings.SESSION_TOUCH_SECONDS
    client = Client()
    sign_in(client, "requester")
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(touch - 1)
    assert client.get(reverse("home")).status_code == 200  # not written
    assert client.session[LAST_ACTIVE_AT] == START.timestamp()
    time_machine.shift(idle - touch)  # idle - 1 after the written activity
    status = client.get(reverse("accounts:session"), HTTP_ACCEPT="application/json").json()
    assert status["expires_in"] == 1  # counted from the written activity, not the page
    time_machine.shift(2)  # idle + 1 after the written activity, idle - touch + 2 after the page

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not response.wsgi_request.user.is_authenticated


def test_steady_activity_keeps_the_session_past_the_idle_limit(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    idle = django_settings.SESSION_IDLE_SECONDS
    client = Client()
    sign_in(client, "requester")
    step = idle // 3
    for _ in range(7):  # more than twice the idle limit in all
        assert client.get(reverse("home")).status_code == 200
        time_machine.shift(step)
    assert client.get(reverse("home")).status_code == 200


def test_absolute_limit_ends_an_active_session(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    idle, cap = django_settings.SESSION_IDLE_SECONDS, django_settings.SESSION_MAX_SECONDS
    client = Client()
    sign_in(client, "requester")
    client.get(reverse("home"))
    signed_in_at = client.session[SIGNED_IN_AT]
    elapsed = 0
    while elapsed + idle // 2 <= cap:
        time_machine.shift(idle // 2)
        elapsed += idle // 2
        assert client.get(reverse("home")).status_code == 200
    assert client.session[SIGNED_IN_AT] == signed_in_at
    time_machine.shift(cap - elapsed + 1)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert AuditEvent.objects.get(event_type=EventType.SIGN_OUT).details == {"reason": "limit"}


def test_stay_signed_in_always_restarts_the_idle_clock(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client, "requester")
    client.get(reverse("home"))
    time_machine.shift(1)  # well inside the touch interval

    status = client.post(reverse("accounts:session"), HTTP_ACCEPT="application/json").json()

    assert client.session[LAST_ACTIVE_AT] == pytest.approx(START.timestamp() + 1)
    assert status["expires_in"] == django_settings.SESSION_IDLE_SECONDS


def test_asking_for_time_left_is_not_activity(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client, "requester")
    client.get(reverse("home"))
    written = client.session[LAST_ACTIVE_AT]
    time_machine.shift(django_settings.SESSION_TOUCH_SECONDS * 2)

    client.get(reverse("accounts:session"), HTTP_ACCEPT="application/json")

    assert client.session[LAST_ACTIVE_AT] == written


def test_sign_out_other_sessions_ends_them_with_lazy_touches(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    laptop, phone = Client(), Client()
    sign_in(laptop, "requester")
    sign_in(phone, "requester")
    phone.get(reverse("home"), HTTP_USER_AGENT="Phone browser")
    time_machine.shift(django_settings.SESSION_TOUCH_SECONDS + 1)
    phone.get(reverse("home"), HTTP_USER_AGENT="Phone browser")
    listed = UserSession.objects.filter(user=world.requester)
    assert listed.count() == 2
    assert listed.filter(user_agent="Phone browser", last_seen_at=timezone.now()).exists()

    laptop.post(reverse("usersessions_list"))

    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302
    assert UserSession.objects.filter(user=world.requester).count() == 1


def test_a_session_made_without_the_sign_in_form_is_listed_and_can_be_ended(
    world: World, time_machine: time_machine.TimeMachineFixture
) -> None:
    time_machine.move_to(START, tick=False)
    elsewhere, here = Client(), Client()
    elsewhere.force_login(world.requester)
    elsewhere.get(reverse("home"))
    sign_in(here, "requester")

    here.post(reverse("usersessions_list"))

    assert elsewhere.get(reverse("home")).status_code == 302
