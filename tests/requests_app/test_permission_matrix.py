"""Need to know: roles × request states × every URL of the requests app.

The URLs come from walking the URL resolver, so a new URL that is missing from
``URL_KWARGS`` fails ``test_every_request_url_is_in_the_matrix``.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from requests_app.models import (
    Attachment,
    AttachmentKind,
    InformationRequest,
    OnwardSharing,
    Status,
)
from tests.requests_app.conftest import stored_attachment
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.AWAITING_CLARIFICATION,
    Status.REFERRED,
    Status.DISCLOSED,
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.RETURNED,
    Status.CLOSED,
]
DECIDED = {Status.DISCLOSED, Status.DECLINED, Status.RETURNED, Status.CLOSED}


def may_see(user: str, state: str) -> bool:
    """The rule of ISP 4.4 as the issue states it, written out independently of the code."""
    if user in {"requester", "council_spoc", "council_deputy"}:
        return True
    if user in {"discloser", "discloser2", "police_spoc", "police_deputy"}:
        return state != Status.DRAFT
    if user == "police_manager":
        return state == Status.REFERRED
    if user == "police_dlo":
        return state in DECIDED
    return False


# Per-request URL names and how to fill their other arguments.
URL_KWARGS = {
    "detail": {},
    "edit": {},
    "edit_task": {"task": "about"},
    "check": {},
    "sent": {},
    "clarify": {},
    "answer": {},
    "message_send": {},
    "refer": {},
    "advise": {},
    "withdraw": {},
    "copy": {},
    "decide": {},
    "decide_section": {"section": "part-b"},
    "decide_files": {},
    "decide_check": {},
    "decided": {},
    "assign": {},
    "action": {"name": "start_review"},
    "upload": {"kind": "request"},
    "download": {"attachment_id": "attachment"},
    "remove_file": {"attachment_id": "attachment"},
    "onward_ask": {},
    "onward_answer": {"onward_id": "onward"},
    "pdf": {},
}
LIST_URLS = {
    "mine",
    "inbox",
    "referred",
    "search",
    "search_results",
    "changes",
    "create",
    "blank_forms",
    "blank_request",
    "blank_consent",
    # Disclosures recorded without a request take their own ids: their matrix, with every
    # role, is tests/requests_app/test_recorded_disclosures.py (test_need_to_know_for_every_role).
    "recorded",
    "recorded_new",
    "recorded_detail",
    "recorded_done",
    "recorded_pdf",
}


def _request_url_names() -> set[str]:
    """Every URL of the app that takes a request. Rights cases and tasks take their own ids
    and have their own matrix (tests/security/test_url_matrix.py)."""
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "requests":
            for inner in pattern.url_patterns:
                if (
                    isinstance(inner, URLPattern)
                    and inner.name
                    and not inner.name.startswith("rights_")
                ):
                    names.add(inner.name)
    return names


def test_every_request_url_is_in_the_matrix() -> None:
    assert _request_url_names() <= set(URL_KWARGS) | LIST_URLS, (
        "A URL was added to requests_app without a row in the permission matrix"
    )


def _urls_for(req: InformationRequest, attachment: Attachment, onward: OnwardSharing) -> list[str]:
    objects = {"attachment": attachment.pk, "onward": onward.pk}
    urls = []
    for name in sorted(_request_url_names() - LIST_URLS):
        kwargs: dict[str, Any] = {"pk": req.pk}
        for key, value in URL_KWARGS[name].items():
            kwargs[key] = objects.get(value, value)
        urls.append(reverse(f"requests:{name}", kwargs=kwargs))
    return urls


@pytest.mark.parametrize("state", STATES)
def test_need_to_know_matrix(world: World, make_request, state: str) -> None:
    req = make_request(state)
    attachment = stored_attachment(
        req,
        kind=AttachmentKind.REQUEST,
        name="note.txt",
        uploaded_by=world.requester,
        content=b"hi",
    )
    onward = OnwardSharing.objects.create(
        request=req,
        third_party="YOS",
        purpose="Plan",
        asked_by=world.requester,
        asked_at=timezone.now(),
    )
    urls = _urls_for(req, attachment, onward)
    failures = []
    for username in OFFICERS:
        client = Client()
        client.force_login(world.users[username])
        visible = may_see(username, state)
        for url in urls:
            get = client.get(url)
            if visible:
                # Seeing a request is not the same as acting on it: 200, 302, 403 or 405.
                if get.status_code == 404:
                    failures.append(f"{username} got 404 on GET {url} in {state}")
                continue
            post = client.post(url)
            for method, response in (("GET", get), ("POST", post)):
                if response.status_code != 404:
                    failures.append(
                        f"{username} got {response.status_code} on {method} {url} in {state}"
                    )
        in_lists = any(
            req in response.context["rows"]
            for response in (
                client.get(reverse("requests:mine")),
                client.get(reverse("requests:inbox")),
                client.get(reverse("requests:referred")),
            )
            if response.context
        )
        if in_lists and not visible:
            failures.append(f"{username} sees the {state} request in a list")
    assert failures == []
    req.refresh_from_db()
    assert req.status == state, "no POST in the matrix may change the request"


@pytest.mark.parametrize("state", STATES)
def test_inbox_by_relation_matches_need_to_know_for_every_role(
    world: World, make_request, state: str
) -> None:
    """The inbox filters by target agency and role for speed; it must show exactly the
    requests the permission rows would."""
    from requests_app.selectors import agency_decided, agency_inbox, requests_visible_to

    make_request(state)
    for user in world.users.values():
        listed = set(agency_inbox(user)) | set(agency_decided(user))
        allowed = set(requests_visible_to(user).filter(target_agency_id=user.agency_id))
        assert listed == allowed - {r for r in allowed if r.status == Status.DRAFT}, user
