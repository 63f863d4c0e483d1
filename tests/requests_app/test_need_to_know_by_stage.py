"""Need to know by stage: what each person sees of a request follows its stage as well as
their role (issue 14). ``STAGE_TABLE`` is written here independently of the code and
matches the table in docs/security.md, "Need to know by stage"; every cell of it is checked
against the code's table and, where the part exists at that stage, on the request page,
the Appendix B form and the file downloads.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.models import Legislation
from audit.models import AuditEvent, EventType
from requests_app import permissions, services
from requests_app.models import (
    Attachment,
    AttachmentKind,
    InformationRequest,
    Message,
    MessageKind,
    Outcome,
    Status,
)
from requests_app.pdf_views import request_form_context
from retention.models import DisposalRecord, DisposalRule
from tests.requests_app.conftest import SUSPECT, decision_fields, request_fields
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Roles on a request, as the docs table names them.
R, RS, D, DS, M, DLO = (
    "requester",
    "requesting SPOC",
    "discloser",
    "disclosing SPOC",
    "manager",
    "DLO",
)

# Who plays each role on the requests built here (the manager only once referred).
PLAYS = {
    "requester": R,
    "council_spoc": RS,
    "council_deputy": RS,
    "discloser": D,
    "discloser2": D,
    "police_spoc": DS,
    "police_deputy": DS,
    "police_manager": M,
    "police_dlo": DLO,
}

STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.AWAITING_CLARIFICATION,
    Status.REFERRED,
    Status.DISCLOSED,
    Status.PARTIALLY_DISCLOSED,
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.RETURNED,
    Status.CLOSED,
]
ALL = frozenset(STATES)
SUBMITTED = ALL - {Status.DRAFT}
OPEN = frozenset(
    {Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_CLARIFICATION, Status.REFERRED}
)
DECIDED = frozenset(
    {Status.DISCLOSED, Status.PARTIALLY_DISCLOSED, Status.DECLINED, Status.RETURNED, Status.CLOSED}
)
GIVEN = frozenset({Status.DISCLOSED, Status.PARTIALLY_DISCLOSED})
HELD = GIVEN | {Status.RETURNED}
NOBODY: frozenset[str] = frozenset()

# part: role: the states in which that role sees that part.
STAGE_TABLE: dict[str, dict[str, frozenset[str]]] = {
    "part_a": {R: ALL, RS: ALL, D: SUBMITTED, DS: SUBMITTED, M: SUBMITTED, DLO: DECIDED},
    "people": {R: ALL, RS: ALL, D: SUBMITTED, DS: SUBMITTED, M: SUBMITTED, DLO: DECIDED},
    "consent": {R: ALL, RS: ALL, D: SUBMITTED, DS: SUBMITTED, M: SUBMITTED, DLO: DECIDED},
    "draft_decision": {R: NOBODY, RS: NOBODY, D: OPEN, DS: OPEN, M: OPEN, DLO: NOBODY},
    "decision": {R: DECIDED, RS: DECIDED, D: DECIDED, DS: DECIDED, M: DECIDED, DLO: DECIDED},
    "decision_files": {R: GIVEN, RS: GIVEN, D: HELD, DS: HELD, M: NOBODY, DLO: HELD},
    "disclosed_content": {R: GIVEN, RS: GIVEN, D: HELD, DS: HELD, M: NOBODY, DLO: HELD},
    "messages": {R: ALL, RS: ALL, D: SUBMITTED, DS: SUBMITTED, M: SUBMITTED, DLO: DECIDED},
}  # fmt: skip

DESCRIPTION = "Previous ASB incidents at the address, to support an injunction."
DISCLOSED_TEXT = "Three recorded incidents of criminal damage in 2026."
QUESTION = "Which address do you mean?"
REFERRAL = "Medical records held in confidence by the trust"


def expected_parts(username: str, state: str) -> set[str]:
    role = PLAYS.get(username)
    if role == M and state in {Status.DRAFT, Status.SUBMITTED}:
        role = None  # not referred yet
    if role is None:
        return set()
    return {part for part, by_role in STAGE_TABLE.items() if state in by_role[role]}


def test_the_tables_cover_every_part_and_stage() -> None:
    assert set(STAGE_TABLE) == set(permissions.Part.values)
    assert {str(s) for s in STATES} == set(Status.values)


def _upload(world: World, req: InformationRequest, name: str, kind: str, actor) -> Attachment:
    return services.attachment_add(
        actor=actor, request=req, upload=SimpleUploadedFile(name, PDF), kind=AttachmentKind(kind)
    )


def build(world: World, agreement, state: str) -> dict[str, Any]:
    """A request driven through the services to ``state``: a supporting file in the draft,
    a clarification, a referral and a file prepared to disclose on the way."""
    req = services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement),
        people=[SUSPECT],
        legislation=Legislation.objects.filter(code="cda-s1"),
    )
    made: dict[str, Any] = {
        "request_file": _upload(
            world, req, "supporting.pdf", AttachmentKind.REQUEST, world.requester
        )
    }
    if state == Status.DRAFT:
        return {"req": req, **made}
    services.request_submit(
        actor=world.requester, request=req, declaration_name=world.requester.get_full_name()
    )
    if state == Status.SUBMITTED:
        return {"req": InformationRequest.objects.get(pk=req.pk), **made}
    services.request_start_review(actor=world.discloser, request=req)
    made["prepared_file"] = _upload(
        world, req, "prepared.pdf", AttachmentKind.DISCLOSURE, world.discloser
    )
    services.request_refer(
        actor=world.discloser, request=req, manager=world.police_manager, reason=REFERRAL
    )
    if state != Status.REFERRED:
        services.request_give_advice(actor=world.police_manager, request=req, advice="Proceed")
        services.request_ask_clarification(actor=world.discloser, request=req, question=QUESTION)
    if state not in {Status.REFERRED, Status.AWAITING_CLARIFICATION}:
        services.request_answer_clarification(actor=world.requester, request=req, answer="No 1")
    if state == Status.WITHDRAWN:
        services.request_withdraw(actor=world.requester, request=req, reason="")
    elif state in DECIDED:
        outcomes: dict[str, str] = {
            Status.DECLINED: Outcome.DECLINED,
            Status.PARTIALLY_DISCLOSED: Outcome.PARTIALLY_DISCLOSED,
        }
        outcome = outcomes.get(state, Outcome.DISCLOSED)
        extra = {"decline_reason": "Not proportionate"} if outcome == Outcome.DECLINED else {}
        services.request_decide(
            actor=world.discloser,
            request=req,
            fields=decision_fields(world.discloser, outcome=outcome, **extra),
        )
        if state in {Status.RETURNED, Status.CLOSED}:
            services.request_return_information(actor=world.requester, request=req)
        if state == Status.CLOSED:
            services.request_confirm_destruction(actor=world.police_dlo, request=req)
    return {"req": InformationRequest.objects.get(pk=req.pk), **made}


def _observed(client: Client, built: dict[str, Any]) -> set[str]:
    """The parts this person can be seen to see: on the request page and through the file
    downloads, each part where it exists at this stage."""
    req = built["req"]
    response = client.get(reverse("requests:detail", args=[req.pk]))
    page = response.content.decode() if response.status_code == 200 else ""

    def downloads(attachment: Attachment | None) -> bool:
        if attachment is None or not Attachment.objects.filter(pk=attachment.pk).exists():
            return False
        url = reverse("requests:download", args=[req.pk, attachment.pk])
        got = client.get(url).status_code
        assert got in {200, 404}
        listed = url in page
        assert listed == (got == 200), f"listed {listed} but download {got}"
        return got == 200

    seen = set()
    if DESCRIPTION in page and downloads(built["request_file"]):
        seen.add("part_a")
    if SUSPECT.full_name in page:
        seen.add("people")
    if 'id="consent-position"' in page:
        seen.add("consent")
    if downloads(built.get("prepared_file")):
        seen.add("draft_decision" if req.status in OPEN else "decision_files")
    if "Reasons for the decision" in page:
        seen.add("decision")
    if DISCLOSED_TEXT in page:
        seen.add("disclosed_content")
    if QUESTION in page or REFERRAL in page:
        seen.add("messages")
    return seen


def _exists(part: str, built: dict[str, Any]) -> bool:
    """Whether the part exists at this stage, so that seeing it can be observed."""
    req = built["req"]
    if part == "draft_decision":
        return req.status in OPEN - {Status.SUBMITTED}
    if part in {"decision_files", "disclosed_content"}:
        return req.status in HELD
    if part == "decision":
        return req.status in DECIDED
    if part == "messages":
        return req.status not in {Status.DRAFT, Status.SUBMITTED}
    return True


@pytest.mark.parametrize("state", STATES)
def test_every_cell_of_the_stage_table(world: World, agreement, state: str) -> None:
    built = build(world, agreement, state)
    req = built["req"]
    assert req.status == state
    failures = []
    for username in OFFICERS:
        user = world.users[username]
        expected = expected_parts(username, state)
        # The code's table, every cell.
        table = {str(p) for p in permissions.visible_parts(user, req)}
        if table != expected:
            failures.append(f"{username} in {state}: table {sorted(table)} != {sorted(expected)}")
        # What the person is shown, for every part that exists at this stage.
        client = Client()
        client.force_login(user)
        observed = _observed(client, built)
        observable = {part for part in expected if _exists(part, built)}
        if observed != observable:
            failures.append(
                f"{username} in {state}: shown {sorted(observed)} != {sorted(observable)}"
            )
        # The Appendix B form printed by them shows the disclosed text under the same rule.
        if expected:
            form = request_form_context(req, viewer=user)
            shown = form["information_disclosed"] == DISCLOSED_TEXT
            if shown != ("disclosed_content" in observable):
                failures.append(f"{username} in {state}: PDF shows the content: {shown}")
    assert failures == []


# One test per finding of issue 14 ----------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_requester_cannot_download_files_prepared_before_the_decision(
    world: World, agreement
) -> None:
    built = build(world, agreement, Status.UNDER_REVIEW)
    url = reverse("requests:download", args=[built["req"].pk, built["prepared_file"].pk])
    assert _client(world.requester).get(url).status_code == 404
    assert _client(world.council_spoc).get(url).status_code == 404
    assert _client(world.discloser).get(url).status_code == 200


def test_decline_discards_prepared_files_with_a_disposal_record(world: World, agreement) -> None:
    built = build(world, agreement, Status.DECLINED)
    req = built["req"]
    assert not Attachment.objects.filter(pk=built["prepared_file"].pk).exists()
    record = DisposalRecord.objects.get(request=req)
    assert record.rule == DisposalRule.DRAFT_DISCARDED
    assert record.destroyed == ["draft_decision_files:1"]
    assert record.actor == world.discloser
    page = _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    text = page.content.decode()
    assert "See attached files" not in text
    assert "None: disclosure declined" in text
    assert "prepared.pdf" not in text


def test_withdrawal_discards_prepared_files(world: World, agreement) -> None:
    built = build(world, agreement, Status.WITHDRAWN)
    assert not Attachment.objects.filter(pk=built["prepared_file"].pk).exists()
    assert DisposalRecord.objects.get(request=built["req"]).rule == DisposalRule.DRAFT_DISCARDED


def test_disclosing_side_removes_a_prepared_file_and_the_removal_is_audited(
    world: World, agreement
) -> None:
    built = build(world, agreement, Status.UNDER_REVIEW)
    req, prepared = built["req"], built["prepared_file"]
    url = reverse("requests:remove_file", args=[req.pk, prepared.pk])
    assert _client(world.requester).post(url).status_code == 404
    assert _client(world.police_manager).post(url).status_code == 403
    assert Attachment.objects.filter(pk=prepared.pk).exists()
    response = _client(world.discloser).post(url)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=prepared.pk).exists()
    event = AuditEvent.objects.filter(event_type=EventType.REQUEST_UPDATED).latest("id")
    assert event.details["attachment_removed"] == prepared.pk
    assert event.actor == world.discloser


def test_files_cannot_be_removed_once_the_decision_is_signed(world: World, agreement) -> None:
    built = build(world, agreement, Status.DISCLOSED)
    req = built["req"]
    for attachment in (built["prepared_file"], built["request_file"]):
        url = reverse("requests:remove_file", args=[req.pk, attachment.pk])
        assert _client(world.discloser).post(url).status_code == 403
        assert _client(world.requester).post(url).status_code in {403, 404}
        assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_requester_removes_a_supporting_file_from_the_draft(world: World, agreement) -> None:
    built = build(world, agreement, Status.DRAFT)
    url = reverse("requests:remove_file", args=[built["req"].pk, built["request_file"].pk])
    assert _client(world.requester).post(url).status_code == 302
    assert not Attachment.objects.filter(pk=built["request_file"].pk).exists()


def test_part_b_says_what_is_attached(world: World, agreement) -> None:
    built = build(world, agreement, Status.DISCLOSED)
    req = built["req"]
    req.decision.information_disclosed = ""
    req.decision.save(update_fields=["information_disclosed"])
    text = _client(world.requester).get(reverse("requests:detail", args=[req.pk])).content
    assert "See the attached files" in text.decode()
    assert req.decision.information_attached


def test_returning_the_information_ends_the_requesters_access_at_once(
    world: World, agreement
) -> None:
    built = build(world, agreement, Status.RETURNED)
    req = built["req"]
    url = reverse("requests:download", args=[req.pk, built["prepared_file"].pk])
    for user in (world.requester, world.council_spoc):
        assert _client(user).get(url).status_code == 404
        page = _client(user).get(reverse("requests:detail", args=[req.pk])).content.decode()
        assert DISCLOSED_TEXT not in page
        assert "Returned to the DLO on" in page
        assert request_form_context(req, viewer=user)["information_disclosed"] != DISCLOSED_TEXT
    assert _client(world.police_dlo).get(url).status_code == 200


def test_clarifications_stay_with_those_who_see_messages(world: World, agreement) -> None:
    built = build(world, agreement, Status.DISCLOSED)
    assert Message.objects.filter(request=built["req"], kind=MessageKind.CLARIFICATION_ASKED)
    page = _client(world.police_dlo).get(reverse("requests:detail", args=[built["req"].pk]))
    assert QUESTION in page.content.decode()
