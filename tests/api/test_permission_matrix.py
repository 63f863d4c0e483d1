"""Need to know through the API: the permission matrix's roles × states
(tests/requests_app/test_permission_matrix.py, its ``may_see`` and ``STATES``), asserted
on every operation that takes a request, and against the request page itself: the API
answers 404 exactly where the page does."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from requests_app import permissions
from requests_app.models import AttachmentKind
from tests.requests_app.conftest import stored_attachment
from tests.requests_app.test_permission_matrix import STATES, may_see
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

# Every API operation on one request, and the reads among them.
READS = ("request", "timeline", "messages", "decision", "file")
WRITES = {
    "request": "patch",
    "submit": "post",
    "start_review": "post",
    "decision": "post",
}
# Operations that take no request.
OTHERS = {"requests", "search", "changes", "token", "revoke", "schema", "docs", "not_found"}


def _api_url_names() -> set[str]:
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            return {p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name}
    return set()


def test_every_api_operation_is_in_the_matrix() -> None:
    assert _api_url_names() <= set(READS) | set(WRITES) | OTHERS


def _url(name: str, pk: int, attachment: int) -> str:
    args = [pk, attachment] if name == "file" else [pk]
    return reverse(f"api:{name}", args=args)


@pytest.mark.parametrize("state", STATES)
def test_api_need_to_know_matrix(world: World, make_request, caller, state: str) -> None:
    req = make_request(state)
    attachment = stored_attachment(
        req,
        kind=AttachmentKind.REQUEST,
        name="note.txt",
        uploaded_by=world.requester,
        content=b"hi",
    )
    failures = []
    for username in OFFICERS:
        api = caller(username)
        page = Client()
        page.force_login(world.users[username])
        page_404 = page.get(reverse("requests:detail", args=[req.pk])).status_code == 404
        visible = may_see(username, state)
        assert page_404 is not visible, f"the page and the matrix disagree for {username}"
        parts = permissions.visible_parts(world.users[username], req) if visible else set()
        for name in READS:
            got = api.get(_url(name, req.pk, attachment.pk)).status_code
            expected_seen = visible and (
                name in {"request", "timeline", "file"}
                or (name == "messages" and permissions.Part.MESSAGES in parts)
                or (name == "decision" and permissions.Part.DECISION in parts)
            )
            if expected_seen != (got != 404):
                failures.append(f"{username} got {got} on GET {name} in {state}")
        if not visible:
            for name, method in WRITES.items():
                got = getattr(api, method)(_url(name, req.pk, attachment.pk), {}).status_code
                if got != 404:
                    failures.append(f"{username} got {got} on {method} {name} in {state}")
        listed = {r["id"] for r in api.get("/api/v1/requests/").json()["results"]}
        changed = {c["id"] for c in api.get("/api/v1/changes/").json()["changes"]}
        if (req.pk in listed) is not visible or (req.pk in changed) is not visible:
            failures.append(f"{username} lists or polls the {state} request: {visible=}")
    assert failures == []
    req.refresh_from_db()
    assert req.status == state, "no call in the matrix may change the request"
