"""Bad input never hurts: random and hostile values posted to every form of the portal get
a page with field errors, a redirect or a refusal; never a server error, never a partial
write."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.catalogue import (  # noqa: F401  (fixtures)
    CATALOGUE,
    POST_URLS,
    URLCONF,
    agreement,
    client_for,
    make_agreement,
    make_request,
    private_storage,
    row_counts,
    scene,
    url_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

HOSTILE = [
    "",
    " ",
    "A" * 10_000,
    "x" * 300,
    "\x00",
    "nul\x00byte",
    "\x01\x1b[31m\x7f",
    "line\r\nInjected-Header: 1",
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "аdministrator",  # Cyrillic a
    "ＡＤＭＩＮ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "'; DROP TABLE requests_app_informationrequest; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "31/02/2024",
    "2024-02-31",
    "31",
    "2",
    "0",
    "-1",
    "9" * 40,
    "1e308",
    "NaN",
    "-Infinity",
    "on",
    "yes",
    "true",
    "../../etc/passwd",
    "%00",
    "𝕏" * 60,
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=120),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
NAME = re.compile(rb'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
# For action URLs with no form page of their own.
FALLBACK_FIELDS = ["note", "reason", "agree", "people", "file", "method", "notes", "decision"]
# Known bugs, each pinned by a strict xfail in test_known_input_bugs.py; drop a field from
# here when its bug is fixed.
KNOWN_BAD_FIELDS: set[str] = set()


def _field_names(client, url: str) -> list[str]:
    page = client.get(url)
    names = {n.decode() for n in NAME.findall(page.content)} if page.status_code == 200 else set()
    names -= {"csrfmiddlewaretoken", *KNOWN_BAD_FIELDS}
    return sorted(names) or FALLBACK_FIELDS


@pytest.mark.parametrize("name", POST_URLS)
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_hurts(scene, name: str, data: st.DataObject) -> None:
    if not hasattr(scene, "_url"):
        # Hypothesis runs the body once per example; the objects are built once per test.
        scene._url = url_for(name, scene)
        scene._client = client_for(scene.world.users[CATALOGUE[name].user])
        scene._fields = _field_names(scene._client, scene._url)
    fields = [*scene._fields, "unexpected_field"]
    payload = data.draw(
        st.dictionaries(
            keys=st.sampled_from(fields),
            values=st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)),
            max_size=len(fields),
        ),
        label="payload",
    )
    before = row_counts()
    response = scene._client.post(scene._url, payload)
    assert response.status_code in {200, 302, 403, 404, 405}
    if response.status_code != 302:
        assert row_counts() == before, "a refused submission wrote rows"
