"""The message thread: who reads and writes it by person and stage, clarification as
messages that pause and restart the clock, files, emails, audit."""

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, EventType
from requests_app import selectors
from requests_app.models import (
    Attachment,
    AttachmentKind,
    InformationRequest,
    Message,
    MessageKind,
    Side,
    Status,
)
from requests_app.thread import services as thread_services
from requests_app.workdays import add_working_days, working_days_between
from tests.consent.conftest import private_storage  # noqa: F401  (fixture)
from tests.requests_app.conftest import SUSPECT
from tests.requests_app.test_permission_matrix import STATES, may_see
from tests.world import OFFICERS, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY = "Can you confirm the flat number at the address, please?"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(user, req: InformationRequest, body: str = BODY, **extra) -> Any:
    return _client(user).post(
        reverse("requests:message_send", args=[req.pk]),
        {"body": body, "post_token": str(uuid.uuid4()), **extra},
    )


def may_write(user: str, state: str) -> bool:
    """Everyone who may see the request, once it is submitted and until destruction is
    confirmed: written out independently of the code."""
    return may_see(user, state) and state not in {Status.DRAFT, Status.CLOSED}


# Need to know by person and stage --------------------------------------------------------


@pytest.mark.parametrize("state", [s for s in STATES if s != Status.DRAFT])
def test_everyone_on_the_need_to_know_list_reads_the_thread_and_nobody_else(
    world: World, make_request, state: str
) -> None:
    req = make_request(state)
    Message.objects.create(
        request=req, author=world.discloser, side=Side.DISCLOSING, body=BODY,
        sent_at=timezone.now(),
    )  # fmt: skip
    for username in OFFICERS:
        response = _client(world.users[username]).get(reverse("requests:detail", args=[req.pk]))
        shown = response.status_code == 200 and BODY in response.content.decode()
        assert shown == may_see(username, state), (username, state)


@pytest.mark.parametrize("state", STATES)
def test_either_side_writes_while_the_request_is_live_and_nobody_else_learns_it_exists(
    world: World, make_request, state: str
) -> None:
    req = make_request(state)
    # The requester last: answering a clarification moves the request on.
    for username in sorted(OFFICERS, key=lambda name: name == "requester"):
        before = Message.objects.filter(request=req).count()
        response = _post(world.users[username], req, body=f"From {username}")
        written = Message.objects.filter(request=req).count() - before
        if may_write(username, state):
            assert response.status_code == 302, (username, state)
            assert written == 1, (username, state)
        else:
            expected = 403 if may_see(username, state) else 404
            assert response.status_code == expected, (username, state)
            assert written == 0, (username, state)


def test_each_message_records_the_side_its_author_writes_for(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    for user in (world.council_spoc, world.police_deputy, world.requester, world.discloser2):
        _post(user, req, body=f"From {user.username}")
    assert list(Message.objects.filter(request=req).values_list("author__username", "side")) == [
        ("council_spoc", Side.REQUESTING),
        ("police_deputy", Side.DISCLOSING),
        ("requester", Side.REQUESTING),
        ("discloser2", Side.DISCLOSING),
    ]


def test_the_thread_shows_oldest_first_with_the_form_at_the_bottom(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _post(world.discloser, req, body="First message")
    _post(world.requester, req, body="Second message")
    page = _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    html = page.content.decode()
    assert html.index("First message") < html.index("Second message") < html.index("Send message")


# Clarification --------------------------------------------------------------------------


def test_asking_for_clarification_on_the_thread_pauses_the_clock_and_the_reply_restarts_it(
    world: World, make_request, time_machine
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    due_before = req.due_on
    asked_at = timezone.now()
    response = _post(world.discloser, req, body="Which flat?", ask_clarification="on")
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.AWAITING_CLARIFICATION
    assert req.clock_paused_at is not None
    asked = Message.objects.get(request=req)
    assert (asked.kind, asked.side, asked.body) == (
        MessageKind.CLARIFICATION_ASKED,
        Side.DISCLOSING,
        "Which flat?",
    )
    page = _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    assert "Your message answers the clarification question" in page.content.decode()

    time_machine.move_to(asked_at + datetime.timedelta(days=7))
    response = _post(world.requester, req, body="Flat 2")
    assert response.status_code == 302
    req.refresh_from_db()
    paused = working_days_between(timezone.localdate(asked_at), timezone.localdate())
    assert paused > 0
    assert req.status == Status.UNDER_REVIEW
    assert req.clock_paused_at is None
    assert req.due_on == add_working_days(due_before, paused)
    answer = Message.objects.filter(request=req).last()
    assert answer is not None
    assert (answer.kind, answer.side, answer.body) == (
        MessageKind.CLARIFICATION_GIVEN,
        Side.REQUESTING,
        "Flat 2",
    )


def test_only_the_disclosing_officer_is_offered_to_ask_for_clarification(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    label = "This asks the requester for clarification"
    assert (
        label
        in _client(world.discloser).get(reverse("requests:detail", args=[req.pk])).content.decode()
    )
    for user in (world.requester, world.police_spoc):
        page = _client(user).get(reverse("requests:detail", args=[req.pk]))
        assert label not in page.content.decode()
    # Posted anyway, the flag is ignored: the form has no such field for them.
    _post(world.police_spoc, req, ask_clarification="on")
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW


def test_a_spoc_message_while_awaiting_clarification_does_not_restart_the_clock(
    world: World, make_request
) -> None:
    req = make_request(Status.AWAITING_CLARIFICATION)
    _post(world.council_spoc, req, body="The requester is on leave until Monday")
    req.refresh_from_db()
    assert req.status == Status.AWAITING_CLARIFICATION
    assert Message.objects.filter(request=req).latest("sent_at", "pk").kind == MessageKind.MESSAGE


# Files ----------------------------------------------------------------------------------


def test_a_message_carries_a_file_that_both_sides_can_download(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    response = _post(
        world.discloser, req, file=SimpleUploadedFile("map.pdf", PDF, "application/pdf")
    )
    assert response.status_code == 302
    message = Message.objects.get(request=req)
    attachment = Attachment.objects.get(message=message)
    assert attachment.kind == AttachmentKind.MESSAGE
    url = reverse("requests:download", args=[req.pk, attachment.pk])
    for user in (world.requester, world.discloser2, world.council_spoc):
        assert _client(user).get(url).status_code == 200
    for user in (world.outsider, world.police_dlo):
        assert _client(user).get(url).status_code == 404
    page = _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    assert page.context["attachments"] == []  # shown with its message, not among the files
    assert "map.pdf" in page.content.decode()


def test_a_file_refused_by_the_checks_sends_nothing(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    response = _post(
        world.discloser,
        req,
        file=SimpleUploadedFile("run.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "govuk-error-summary" in response.content.decode()
    assert not Message.objects.filter(request=req).exists()
    assert not Attachment.objects.filter(request=req, kind=AttachmentKind.MESSAGE).exists()


def test_posting_the_same_form_twice_sends_one_message(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    client = _client(world.discloser)
    data = {"body": BODY, "post_token": str(uuid.uuid4())}
    for _ in range(2):
        response = client.post(
            reverse("requests:message_send", args=[req.pk]),
            {**data, "file": SimpleUploadedFile("map.pdf", PDF, "application/pdf")},
        )
        assert response.status_code == 302
    assert Message.objects.filter(request=req).count() == 1
    assert Attachment.objects.filter(request=req, kind=AttachmentKind.MESSAGE).count() == 1


def test_an_empty_or_overlong_message_is_refused_with_a_message_that_says_how_to_fix_it(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    empty = _post(world.discloser, req, body="")
    assert empty.context["form"].errors["body"] == ["Enter your message"]
    long = _post(world.discloser, req, body="x" * 5001)
    assert long.context["form"].errors["body"] == ["Your message must be 5,000 characters or fewer"]
    assert not Message.objects.filter(request=req).exists()


# Emails and audit -----------------------------------------------------------------------


def test_each_message_tells_the_other_side_with_the_reference_and_a_link_only(
    world: World, make_request, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(world.discloser, req, body="Is Jordan Example still at the address?")
    assert [m.to for m in mailoutbox] == [[world.requester.email]]
    with django_capture_on_commit_callbacks(execute=True):
        _post(world.requester, req, body="Yes, Jordan Example lives there")
    # Not assigned: the agency's disclosing officers and SPOC.
    team = {world.discloser.email, world.discloser2.email, world.police_spoc.email}
    assert {m.to[0] for m in mailoutbox[1:]} == team
    InformationRequest.objects.filter(pk=req.pk).update(assigned_to=world.discloser2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(world.council_spoc, req, body="Any news about Jordan Example?")
    assert [m.to for m in mailoutbox] == [[world.discloser2.email]]

    forbidden = [SUSPECT.full_name, "Jordan", "address", world.requester.last_name,
                 world.discloser.first_name, world.council_spoc.first_name]  # fmt: skip
    for message in mailoutbox:
        text = message.subject + message.body
        assert req.reference in message.subject
        assert reverse("requests:detail", args=[req.pk]) in message.body
        for word in forbidden:
            assert word not in text, f"{word!r} leaked into an email"


def test_writing_and_reading_messages_are_audited_without_what_they_say(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _post(world.discloser, req, body="A question about the address")
    sent = AuditEvent.objects.get(event_type=EventType.MESSAGE_SENT)
    assert sent.actor == world.discloser
    assert sent.request_reference == req.reference
    assert "address" not in str(sent.details)
    assert sent.details["side"] == "disclosing"

    _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    viewed = AuditEvent.objects.get(event_type=EventType.MESSAGES_VIEWED)
    assert viewed.actor == world.requester
    assert viewed.request_reference == req.reference
    assert viewed.details == {"messages": 1, "newest": Message.objects.get(request=req).pk}


def test_an_empty_thread_costs_the_request_page_nothing(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _client(world.requester).get(reverse("requests:detail", args=[req.pk]))
    assert not AuditEvent.objects.filter(event_type=EventType.MESSAGES_VIEWED).exists()


def test_messages_are_on_the_timeline_without_what_they_say(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _post(world.requester, req, body="Secret words")
    page = _client(world.discloser).get(reverse("requests:detail", args=[req.pk]))
    entries = [e["status"] for e in page.context["timeline"]]
    assert "Message from the requesting agency" in entries
    assert all("Secret" not in e for e in entries)


def test_a_plain_message_service_refuses_someone_without_need_to_know(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        thread_services.message_send(actor=world.outsider, request=req, body="Hello")
    assert selectors.requests_visible_to(world.outsider).filter(pk=req.pk).count() == 0


def test_the_request_page_runs_the_same_queries_for_one_message_or_twenty(
    world: World, make_request
) -> None:
    counts = []
    for messages in (1, 20):
        req = make_request(Status.UNDER_REVIEW)
        for i in range(messages):
            author = world.discloser if i % 2 else world.requester
            files = {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")} if i < 3 else {}
            assert _post(author, req, body=f"Message {i}", **files).status_code == 302
        client = _client(world.discloser)
        url = reverse("requests:detail", args=[req.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_files_sent_with_messages_never_use_up_the_requests_own_files(
    world: World, make_request, settings
) -> None:
    settings.MAX_ATTACHMENTS = 1
    req = make_request(Status.UNDER_REVIEW)
    pdf = lambda: SimpleUploadedFile("a.pdf", PDF, "application/pdf")  # noqa: E731
    assert _post(world.requester, req, file=pdf()).status_code == 302
    refused = _post(world.discloser, req, body="Second file", file=pdf())
    assert refused.context["form"].errors["file"] == [
        "A request can have at most 1 files sent with messages"
    ]
    upload = _client(world.discloser).post(
        reverse("requests:upload", args=[req.pk, AttachmentKind.DISCLOSURE]), {"file": pdf()}
    )
    assert upload.status_code == 302
    assert Attachment.objects.filter(request=req, kind=AttachmentKind.DISCLOSURE).count() == 1


def test_a_question_asked_on_its_own_page_is_bounded_like_any_message(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    response = _client(world.discloser).post(
        reverse("requests:clarify", args=[req.pk]), {"question": "x" * 5001}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["question"]
    assert not Message.objects.filter(request=req).exists()
