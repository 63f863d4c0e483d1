"""Security headers on real pages (ASVS 5.0 V3)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(world: World, client: Client) -> Client:
    client.force_login(world.requester)
    return client


def _pages(client: Client) -> list:
    return [
        client.get(reverse("home")),
        client.get(reverse("usersessions_list")),
        client.get(reverse("accounts:terms")),
        client.get(reverse("account_change_password")),
    ]


def test_csp_is_strict_on_a_real_page(signed_in: Client) -> None:
    response = signed_in.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce is not None
    assert f'nonce="{nonce.group(1)}"'.encode() in response.content


def test_pages_have_no_inline_script_or_event_handlers(signed_in: Client) -> None:
    for response in [*_pages(signed_in), Client().get(reverse("account_login"))]:
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert " src=" in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", html), response.request["PATH_INFO"]
        assert "javascript:" not in html


def test_every_page_says_no_store_and_sends_the_other_headers(signed_in: Client) -> None:
    for response in [*_pages(signed_in), Client().get(reverse("account_login"))]:
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_error_pages_say_no_store(signed_in: Client) -> None:
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_hsts_is_sent_over_https_in_production(world: World, settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    client.force_login(world.requester)
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=63072000; includeSubDomains; preload")


def test_production_settings_turn_on_hsts_and_host_prefixed_cookies() -> None:
    from tests.accounts.test_settings import PRODUCTION_ENV, _run

    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT)"
    )
    result = _run(["shell", "-v", "0", "-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["63072000", "__Host-csrftoken", "True", "True"]


def test_session_cookie_is_http_only_and_same_site_lax(world: World, client: Client) -> None:
    from tests.security.conftest import sign_in

    sign_in(client, "requester")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
