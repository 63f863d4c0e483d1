"""Across every URL of the portal's apps: pages and files with personal data send
``Cache-Control: no-store``, and every POST without a CSRF token is refused and changes
nothing."""

import pytest

from tests.security.catalogue import (  # noqa: F401  (fixtures)
    CATALOGUE,
    PERSONAL_URLS,
    POST_URLS,
    URLCONF,
    agreement,
    client_for,
    make_agreement,
    make_request,
    private_storage,
    project_url_names,
    row_counts,
    scene,
    url_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


def test_every_url_is_catalogued() -> None:
    missing = project_url_names() - set(CATALOGUE)
    assert missing == set(), "Add these URLs to tests/security/catalogue.py"


@pytest.mark.parametrize("name", PERSONAL_URLS)
def test_personal_data_is_never_cached(scene, name: str) -> None:
    url = url_for(name, scene)
    response = client_for(scene.world.users[CATALOGUE[name].user]).get(url)
    assert response.status_code == 200, f"{name} must be reachable to prove no-store"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", POST_URLS)
def test_a_post_without_a_csrf_token_is_refused(scene, name: str) -> None:
    url = url_for(name, scene)
    client = client_for(scene.world.users[CATALOGUE[name].user], enforce_csrf_checks=True)
    before = row_counts()
    response = client.post(url, {"note": "x", "reason": "x", "description": "x"})
    assert response.status_code == 403
    assert row_counts() == before
