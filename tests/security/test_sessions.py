"""Session limits, rotation, server-side sign-out and ending sessions (ASVS 5.0 V7)."""

import time

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.sessions import LAST_ACTIVE_AT, SIGNED_IN_AT
from audit.models import AuditEvent, EventType
from tests.security.conftest import sign_in
from tests.world import World

pytestmark = pytest.mark.django_db


def _backdate(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def _session_cookie(client: Client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def test_session_ends_after_the_idle_limit(world: World, client: Client) -> None:
    sign_in(client, "requester")
    assert client.get(reverse("home")).status_code == 200
    old_key = _session_cookie(client)
    _backdate(client, LAST_ACTIVE_AT, django_settings.SESSION_IDLE_SECONDS + 1)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Session.objects.filter(session_key=old_key).exists()
    event = AuditEvent.objects.filter(event_type=EventType.SIGN_OUT).get()
    assert event.details == {"reason": "idle"}
    assert client.get(reverse("home")).status_code == 302


def test_activity_just_inside_the_idle_limit_keeps_the_session(
    world: World, client: Client
) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, LAST_ACTIVE_AT, django_settings.SESSION_IDLE_SECONDS - 5)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_idle_limit_is_configurable(world: World, client: Client, settings: Settings) -> None:
    settings.SESSION_IDLE_SECONDS = 60
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, LAST_ACTIVE_AT, 61)
    assert client.get(reverse("home")).status_code == 302


def test_session_ends_after_the_absolute_limit_even_when_active(
    world: World, client: Client
) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, SIGNED_IN_AT, django_settings.SESSION_MAX_SECONDS + 1)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    event = AuditEvent.objects.filter(event_type=EventType.SIGN_OUT).get()
    assert event.details == {"reason": "limit"}


def test_defaults_are_fifteen_minutes_idle_and_ten_hours_in_all() -> None:
    assert django_settings.SESSION_IDLE_SECONDS == 15 * 60
    assert django_settings.SESSION_MAX_SECONDS == 10 * 60 * 60


def test_session_status_reports_time_left_without_counting_as_activity(
    world: World, client: Client
) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, LAST_ACTIVE_AT, 100)

    status = client.get(reverse("accounts:session"), HTTP_ACCEPT="application/json").json()

    idle = django_settings.SESSION_IDLE_SECONDS
    assert idle - 102 <= status["expires_in"] <= idle - 100
    assert status["can_extend"] is True
    again = client.get(reverse("accounts:session"), HTTP_ACCEPT="application/json").json()
    assert again["expires_in"] <= status["expires_in"]


def test_stay_signed_in_restarts_the_idle_clock(world: World, client: Client) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, LAST_ACTIVE_AT, django_settings.SESSION_IDLE_SECONDS - 30)

    response = client.post(reverse("accounts:session"), HTTP_ACCEPT="application/json")

    assert response.json()["expires_in"] >= django_settings.SESSION_IDLE_SECONDS - 2


def test_stay_signed_in_without_javascript_returns_to_the_page(
    world: World, client: Client
) -> None:
    sign_in(client, "requester")
    response = client.post(reverse("accounts:session"), {"next": "/officers/terms/"})
    assert response.status_code == 302
    assert response["Location"] == "/officers/terms/"
    response = client.post(reverse("accounts:session"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_stay_signed_in_cannot_pass_the_absolute_limit(world: World, client: Client) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    _backdate(client, SIGNED_IN_AT, django_settings.SESSION_MAX_SECONDS - 60)

    status = client.post(reverse("accounts:session"), HTTP_ACCEPT="application/json").json()

    assert status["expires_in"] <= 60
    assert status["can_extend"] is False


def test_stay_signed_in_needs_a_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.requester)
    assert client.post(reverse("accounts:session")).status_code == 403


def test_sign_in_rotates_the_session_key(world: World, client: Client) -> None:
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted_key = session.session_key
    assert planted_key
    client.cookies[django_settings.SESSION_COOKIE_NAME] = planted_key

    sign_in(client, "requester")

    assert _session_cookie(client) != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()
    assert client.get(reverse("home")).status_code == 200


def test_sign_out_ends_the_session_on_the_server(world: World, client: Client) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    key = _session_cookie(client)

    client.post(reverse("account_logout"))

    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies[django_settings.SESSION_COOKIE_NAME] = key
    assert stolen.get(reverse("home")).status_code == 302


def test_deactivation_ends_the_officers_sessions(world: World, client: Client) -> None:
    sign_in(client, "requester")
    client.get(reverse("home"))
    admin = Client()
    admin.force_login(world.council_spoc)

    admin.post(reverse("accounts:officer_deactivate", args=[world.requester.pk]))

    assert client.get(reverse("home")).status_code == 302


def test_officers_see_their_sessions_and_can_end_the_others(world: World) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, "requester")
    sign_in(phone, "requester")
    laptop.get(reverse("home"))
    phone.get(reverse("home"))

    page = laptop.get(reverse("usersessions_list"))

    assert page.status_code == 200
    assert b"govuk-table" in page.content
    assert b"Sign out other sessions" in page.content
    assert UserSession.objects.filter(user=world.requester).count() == 2
    laptop.post(reverse("usersessions_list"))
    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302


def test_spoc_can_sign_an_officer_out_everywhere(world: World) -> None:
    officer = Client()
    sign_in(officer, "requester")
    officer.get(reverse("home"))
    spoc = Client()
    spoc.force_login(world.council_spoc)

    response = spoc.post(reverse("accounts:officer_end_sessions", args=[world.requester.pk]))

    assert response.status_code == 302
    assert officer.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.SESSIONS_ENDED)
    assert event.actor == world.council_spoc
    assert event.details == {"officer": "requester", "sessions": 1}


def test_administrator_can_sign_out_an_officer_of_another_agency(world: World) -> None:
    officer = Client()
    sign_in(officer, "discloser")
    officer.get(reverse("home"))
    admin = Client()
    admin.force_login(world.administrator)

    admin.post(reverse("accounts:officer_end_sessions", args=[world.discloser.pk]))

    assert officer.get(reverse("home")).status_code == 302


def test_other_agencys_spoc_cannot_end_sessions(world: World) -> None:
    officer = Client()
    sign_in(officer, "requester")
    officer.get(reverse("home"))
    spoc = Client()
    spoc.force_login(world.police_spoc)

    response = spoc.post(reverse("accounts:officer_end_sessions", args=[world.requester.pk]))

    assert response.status_code == 404
    assert officer.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(event_type=EventType.SESSIONS_ENDED).exists()


def test_ending_sessions_is_post_only(world: World) -> None:
    spoc = Client()
    spoc.force_login(world.council_spoc)
    url = reverse("accounts:officer_end_sessions", args=[world.requester.pk])
    assert spoc.get(url).status_code == 405


def test_timeout_warning_is_rendered_for_signed_in_officers(world: World, client: Client) -> None:
    from django.template import Context, Template

    sign_in(client, "requester")
    request = client.get(reverse("home")).wsgi_request
    html = Template("{% load session_timeout %}{% session_timeout %}").render(
        Context({"request": request, "csrf_token": "t"})
    )
    assert 'data-module="app-session-timeout"' in html
    assert "Stay signed in" in html
    assert f'data-warning-seconds="{django_settings.SESSION_WARNING_SECONDS}"' in html
    assert "<script" not in html
