"""The administrator's pages for API clients: only an administrator reaches them (404 for
everyone else, recorded as refused), the secret is shown once, and making and revoking are
audited."""

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiClient
from audit.models import AuditEvent, EventType
from tests.api.conftest import request_token
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db


def _signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def test_only_an_administrator_reaches_the_pages(world: World, caller) -> None:
    made = caller("requester")
    urls = [
        reverse("api_clients:list"),
        reverse("api_clients:add"),
        reverse("api_clients:revoke", args=[made.client.pk]),
    ]
    failures = []
    for username in OFFICERS:
        client = _signed_in(world, username)
        for url in urls:
            if username == "administrator":
                if client.get(url).status_code != 200:
                    failures.append(f"{username}: GET {url}")
                continue
            get, post = client.get(url), client.post(url)
            if (get.status_code, post.status_code) != (404, 404):
                failures.append(f"{username}: {url} {get.status_code}/{post.status_code}")
    assert failures == []
    made.client.refresh_from_db()
    assert made.client.revoked_at is None, "only the administrator's own POST may revoke"
    refused = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, object_type="apiclient")
    assert refused.exists()


def test_an_administrator_adds_a_client_and_sees_the_secret_once(world: World) -> None:
    admin = _signed_in(world, "administrator")
    empty = admin.post(reverse("api_clients:add"), {})
    assert empty.status_code == 200
    body = empty.content.decode()
    assert "There is a problem" in body
    assert "Enter the name of the case-management system" in body
    assert "Select the officer the client acts for" in body
    assert "Select at least one thing the client may do" in body

    made = admin.post(
        reverse("api_clients:add"),
        {"name": "Met CRIS connector", "officer": world.discloser.pk, "scopes": ["requests:read"]},
    )
    assert made.status_code == 200
    client = ApiClient.objects.get()
    secret = made.context["secret"]
    assert secret in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    assert client.agency == world.police
    assert client.officer == world.discloser
    assert secret not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert request_token(Client(), client.application.client_id, secret).status_code == 200
    listed = admin.get(reverse("api_clients:list"))
    assert "Met CRIS connector" in listed.content.decode()
    assert secret not in listed.content.decode()

    asked = admin.get(reverse("api_clients:revoke", args=[client.pk]))
    assert "Are you sure you want to revoke Met CRIS connector?" in asked.content.decode()
    revoked = admin.post(reverse("api_clients:revoke", args=[client.pk]))
    assert revoked.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None
    steps = AuditEvent.objects.filter(event_type=EventType.API_CLIENT_CHANGED).order_by("id")
    assert [(e.details["step"], e.actor) for e in steps] == [
        ("created", world.administrator),
        ("revoked", world.administrator),
    ]
    assert request_token(Client(), client.application.client_id, secret).status_code in {400, 401}


def test_a_deactivated_officer_is_not_offered(world: World) -> None:
    world.discloser.is_active = False
    world.discloser.save()
    admin = _signed_in(world, "administrator")
    page = admin.post(
        reverse("api_clients:add"),
        {"name": "RMS", "officer": world.discloser.pk, "scopes": ["requests:read"]},
    )
    assert "Select a valid choice" in page.content.decode()
    assert not ApiClient.objects.exists()


def test_the_menu_offers_the_pages_to_administrators_only(world: World) -> None:
    link = f'href="{reverse("api_clients:list")}"'
    assert link in _signed_in(world, "administrator").get("/").content.decode()
    assert link not in _signed_in(world, "police_spoc").get("/").content.decode()
