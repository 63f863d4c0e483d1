"""The OpenAPI schema and its browsable documentation: served from the installed
packages (no CDN), under the portal's Content-Security-Policy, with no inline code."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_with_client_credentials(client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    flow = schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/api/v1/oauth/token/"
    assert set(flow["scopes"]) == {
        "requests:read",
        "requests:write",
        "decisions:write",
        "files:read",
    }
    # No personal data in an address: requests are named by opaque ids, searches by body.
    assert "/api/v1/requests/search/" in schema["paths"]
    parameters = [
        parameter
        for operations in schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    ]
    assert all(p["schema"]["type"] == "integer" for p in parameters if p["in"] == "path")
    assert {p["name"] for p in parameters if p["in"] == "query"} == {"status", "page", "since"}


def test_the_docs_page_keeps_the_csp_and_loads_only_local_files(client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    script = next(s for s in sources if "script" in s)
    init = client.get(script)
    assert init.status_code == 200
    assert "SwaggerUIBundle" in init.content.decode()
