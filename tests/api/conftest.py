"""API clients for the shared world's officers, with tokens from the real token endpoint."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from api.models import ApiClient
from api.services import api_client_create
from tests.agreements.conftest import make_agreement  # noqa: F401  (shared fixture)
from tests.requests_app.conftest import agreement, make_request  # noqa: F401
from tests.world import World

TOKEN_URL = "/api/v1/oauth/token/"
ALL_SCOPES = tuple(settings.API_SCOPES)


@dataclass
class Caller:
    """A case-management system: its client, and a test client that sends its token."""

    client: ApiClient
    client_id: str
    secret: str
    http: Client
    token: str = ""

    def get(self, url: str, **query: Any) -> Any:
        return self.http.get(url, query, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def post(self, url: str, data: object = None) -> Any:
        return self.http.post(
            url,
            data or {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )

    def patch(self, url: str, data: object) -> Any:
        return self.http.patch(
            url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )


def request_token(http: Client, client_id: str, secret: str, scope: str = "") -> Any:
    """The client credentials grant, over HTTP Basic as RFC 6749 2.3.1 prefers."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
    return http.post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {basic}")


@pytest.fixture(autouse=True)
def _tokens_not_throttled(settings) -> None:
    """Tests make many clients from one address; the throttle's own test sets it low."""
    settings.API_TOKEN_RATE_LIMIT = "1000/minute"


@pytest.fixture
def caller(world: World) -> Callable[..., Caller]:
    """``caller("requester")``: a client of the officer's agency acting for them, holding
    a token issued by django-oauth-toolkit's token endpoint."""

    def make(username: str, scopes: tuple[str, ...] = ALL_SCOPES) -> Caller:
        client, secret = api_client_create(
            actor=world.administrator,
            name=f"Case system of {username}",
            officer=world.users[username],
            scopes=list(scopes),
        )
        http = Client()
        made = Caller(client, client.application.client_id, secret, http)
        response = request_token(http, made.client_id, secret)
        assert response.status_code == 200, response.content
        made.token = response.json()["access_token"]
        return made

    return make
