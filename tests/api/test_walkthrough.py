"""A case-management system walks a request from draft to decision and reads it back,
with tokens from the real token endpoint and every step through the portal's services."""

import datetime

import pytest
from django.utils import timezone

from agreements.forms import CHECKLIST
from audit.models import AuditEvent, EventType
from requests_app.models import AttachmentKind, InformationRequest, Status
from tests.requests_app.conftest import stored_attachment
from tests.world import World

pytestmark = pytest.mark.django_db


def _draft(agreement) -> dict:
    return {
        "target_agency": "MPS",
        "agreement": agreement.pk,
        "description": "Previous ASB incidents at the address, to support an injunction.",
        "required_by": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "is_urgent": False,
        "creation_token": "5d2c7c56-1a4e-4a53-9d35-6b8c3c1d9a10",
    }


def _decision(name: str) -> dict:
    return {
        "outcome": "disclosed",
        "summary": "Recorded criminal damage at an address, for an ASB case",
        "reasons": "Necessary and proportionate to prevent further ASB.",
        "information_disclosed": "Three recorded incidents of criminal damage in 2026.",
        "information_types": ["offending_history"],
        "delivery_method": "portal",
        "marking": "OFFICIAL-SENSITIVE",
        "consent_basis": "public_interest",
        "subject_informed": "no",
        "not_informed_reason": "Informing would prejudice the investigation.",
        "authorised_by": "DS Carter under the protocol",
        "evidence": "CRIS reports 1234 and 5678",
        "checklist": [key for key, _question in CHECKLIST],
        "signature_name": name,
    }


def test_create_submit_decide_and_read(world: World, agreement, caller) -> None:
    council = caller("requester")
    police = caller("discloser")

    made = council.post("/api/v1/requests/", _draft(agreement))
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    url = f"/api/v1/requests/{pk}/"
    assert made.json() == {"id": pk, "reference": None, "status": "draft", "url": url}
    again = council.post("/api/v1/requests/", _draft(agreement))
    assert again.json()["id"] == pk, "a retry with the same creation token makes no second draft"

    # Not yet ready: submitting says what is missing, field by field.
    early = council.post(f"{url}submit/", {"declaration_name": world.requester.get_full_name()})
    assert early.status_code == 400
    assert early.json()["code"] == "invalid"
    assert "people" in early.json()["fields"]

    changed = council.patch(
        url,
        {
            "people": [
                {
                    "full_name": "Jordan Example",
                    "role": "suspect",
                    "date_of_birth": "1990-05-17",
                    "address": "1 Example Road, London N17",
                }
            ],
            "consent_obtained": "not_applicable",
            "public_interest": True,
            "public_interest_reason": "Serious ongoing harm to neighbours.",
            "legislation": ["cda-s1"],
        },
    )
    assert changed.status_code == 200, changed.json()

    # The police cannot see a draft: 404, as on the page.
    assert police.get(url).status_code == 404

    sent = council.post(f"{url}submit/", {"declaration_name": world.requester.get_full_name()})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "submitted"
    reference = sent.json()["reference"]
    assert reference.startswith("ISP-")

    assert police.post(f"{url}start-review/").json()["status"] == "under_review"
    decided = police.post(f"{url}decision/", _decision(world.discloser.get_full_name()))
    assert decided.status_code == 201, decided.json()
    assert decided.json()["status"] == "disclosed"

    req = InformationRequest.objects.get(pk=pk)
    stored_attachment(
        req,
        kind=AttachmentKind.DISCLOSURE,
        name="record.txt",
        uploaded_by=world.discloser,
        content=b"notes",
    )

    read = council.get(url)
    assert read.status_code == 200
    body = read.json()
    assert body["status"] == Status.DISCLOSED
    assert body["people"][0]["full_name"] == "Jordan Example"
    assert body["part_a"]["legislation"] == ["cda-s1"]
    decision = council.get(f"{url}decision/").json()
    assert decision["information_disclosed"].startswith("Three recorded incidents")
    assert decision["outcome"] == "disclosed"
    timeline = council.get(f"{url}timeline/").json()
    assert [e["event"] for e in timeline][:2] == ["Draft", "Submitted"]
    assert council.get(f"{url}messages/").json() == []
    [file] = body["files"]
    download = council.get(file["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"notes"

    events = AuditEvent.objects.filter(request_reference=reference)
    kinds = set(events.values_list("event_type", flat=True))
    assert {EventType.REQUEST_TRANSITION, EventType.REQUEST_DECIDED} <= kinds
    assert {EventType.REQUEST_VIEWED, EventType.ATTACHMENT_DOWNLOADED} <= kinds
    # Every event the API caused names the client that acted.
    assert all(
        e.user_agent.startswith("API client ")
        for e in events.filter(actor=world.requester, event_type=EventType.ATTACHMENT_DOWNLOADED)
    )
    assert AuditEvent.objects.filter(event_type=EventType.API_TOKEN_ISSUED).count() == 2


def test_changes_by_cursor(world: World, make_request, caller) -> None:
    police = caller("discloser", ("requests:read",))
    first = police.get("/api/v1/changes/")
    assert first.status_code == 200
    assert first.json()["changes"] == []
    req = make_request(Status.SUBMITTED)
    make_request(Status.DRAFT)  # the police never see a draft
    seen = police.get("/api/v1/changes/", since=first.json()["cursor"]).json()
    assert [c["id"] for c in seen["changes"]] == [req.pk]
    quiet = police.get("/api/v1/changes/", since=seen["cursor"]).json()
    assert quiet["changes"] == []
    bad = police.get("/api/v1/changes/", since="not-a-cursor")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {
        "since": ["This cursor is not one the API gave: start again without it"]
    }


def test_a_decision_with_problems_is_told_all_at_once_and_a_second_one_conflicts(
    world: World, make_request, caller
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    police = caller("discloser")
    url = f"/api/v1/requests/{req.pk}/decision/"
    wrong = {
        **_decision("Somebody Else"),
        "summary": "Criminal damage by Jordan Example",
        "checklist": [],
        "subject_informed": "no",
        "not_informed_reason": "",
    }
    refused = police.post(url, wrong)
    assert refused.status_code == 400
    fields = refused.json()["fields"]
    assert fields["not_informed_reason"] == ["Enter why the person or family were not informed"]
    assert {"summary", "signature_name"} <= set(fields)
    assert {f"checklist.{key}" for key, _question in CHECKLIST} <= set(fields)
    assert police.get(url).status_code == 404, "nothing was decided"

    assert police.post(url, _decision(world.discloser.get_full_name())).status_code == 201
    again = caller("discloser2").post(url, _decision(world.discloser2.get_full_name()))
    assert again.status_code == 409
    assert "already decided" in again.json()["message"]
    # Someone who sees the request but does not decide it is refused, and it is audited.
    assert caller("police_spoc").post(url, _decision("x")).status_code == 403
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, actor=world.police_spoc, details__action="decide"
    ).exists()
