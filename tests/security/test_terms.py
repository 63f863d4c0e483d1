"""Terms of use: accepted on first sign-in and again whenever the text changes (ISP 8.8)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from accounts.models import TermsAcceptance, TermsVersion
from accounts.selectors import terms_current
from accounts.services import terms_accept_for_demo
from audit.models import AuditEvent, EventType
from tests.security.conftest import sign_in
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terms_required")]


def test_version_one_is_published_by_the_migration() -> None:
    version = terms_current()
    assert version is not None
    assert version.version == 1
    assert "need to know" in version.text


def test_first_sign_in_leads_to_the_terms(world: World, client: Client) -> None:
    sign_in(client, "requester")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:terms"))


def test_accepting_records_version_and_time_and_is_audited(world: World, client: Client) -> None:
    sign_in(client, "requester")
    before = timezone.now()

    response = client.post(
        reverse("accounts:terms"), {"accept": "on", "next": reverse("usersessions_list")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("usersessions_list")
    acceptance = TermsAcceptance.objects.get(user=world.requester)
    assert acceptance.version.version == 1
    assert acceptance.accepted_at >= before
    event = AuditEvent.objects.get(event_type=EventType.TERMS_ACCEPTED)
    assert event.actor == world.requester
    assert event.details == {"version": 1}
    assert client.get(reverse("home")).status_code == 200


def test_the_box_must_be_ticked(world: World, client: Client) -> None:
    sign_in(client, "requester")
    response = client.post(reverse("accounts:terms"), {})
    assert response.status_code == 200
    assert b"Confirm that you agree to the terms of use" in response.content
    assert not TermsAcceptance.objects.exists()


def test_next_cannot_send_the_officer_elsewhere(world: World, client: Client) -> None:
    sign_in(client, "requester")
    response = client.post(
        reverse("accounts:terms"), {"accept": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_a_new_version_must_be_accepted_again(world: World, client: Client) -> None:
    terms_accept_for_demo([world.requester])
    sign_in(client, "requester")
    assert client.get(reverse("home")).status_code == 200
    TermsVersion.objects.create(
        version=2, text="New wording.", published_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:terms"))
    page = client.get(response["Location"])
    assert b"New wording." in page.content
    assert b"Version 2" in page.content


def test_a_version_published_in_the_future_is_not_yet_in_force(world: World) -> None:
    TermsVersion.objects.create(
        version=2, text="Later.", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert terms_current().version == 1  # type: ignore[union-attr]


def test_sign_out_and_account_pages_need_no_acceptance(world: World, client: Client) -> None:
    sign_in(client, "requester")
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert client.get(reverse("accounts:terms")).status_code == 200
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_accepting_twice_is_harmless(world: World) -> None:
    terms_accept_for_demo([world.requester])
    terms_accept_for_demo([world.requester])
    assert TermsAcceptance.objects.filter(user=world.requester).count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.TERMS_ACCEPTED).count() == 1


def test_terms_are_not_required_when_switched_off(
    world: World, client: Client, settings: Settings
) -> None:
    settings.TERMS_REQUIRED = False
    sign_in(client, "requester")
    assert client.get(reverse("home")).status_code == 200
