"""At the end of retention a request's messages go with the rest of its content: every body
and file is destroyed, the fact that a message was sent stays, and the disposal record says
what went."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_app import services
from requests_app.models import Attachment, AttachmentKind, InformationRequest, Message, Status
from requests_app.thread import services as thread_services
from retention.models import DisposalRecord
from retention.services import apply_retention, retention_ends_on
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.consent.conftest import private_storage  # noqa: F401
from tests.requests_app.conftest import (  # noqa: F401  (fixtures)
    agreement,
    decision_fields,
    make_request,
)
from tests.security.catalogue import client_for
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_thread(world: World, req: InformationRequest) -> Attachment:
    thread_services.message_send(actor=world.requester, request=req, body="Any news?")
    message = thread_services.message_send(
        actor=world.discloser,
        request=req,
        body="Here is the plan of the estate",
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    return Attachment.objects.get(message=message)


def test_past_retention_message_bodies_and_files_go_and_the_disposal_says_so(
    world: World, make_request, django_capture_on_commit_callbacks
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    attachment = _with_thread(world, req)
    storage, name = attachment.file.storage, attachment.file.name or ""
    services.request_decide(
        actor=world.discloser,
        request=req,
        fields=decision_fields(world.discloser),
    )
    req = InformationRequest.objects.select_related("agreement", "decision").get(pk=req.pk)
    ends = retention_ends_on(req)
    assert ends is not None
    today = ends + datetime.timedelta(days=1)

    assert apply_retention(today=ends).requests == []  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(today=today)

    assert [r.pk for r in run.requests] == [req.pk]
    messages = list(Message.objects.filter(request=req))
    assert len(messages) == 2
    assert all(m.body == "" and m.destroyed_at is not None for m in messages)
    assert not Attachment.objects.filter(request=req, kind=AttachmentKind.MESSAGE).exists()
    assert not storage.exists(name)
    record = DisposalRecord.objects.get(request=req)
    assert "message_bodies:2" in record.destroyed
    assert "message_files:1" in record.destroyed
    page = client_for(world.requester).get(reverse("requests:detail", args=[req.pk]))
    assert "Destroyed at the end of retention" in page.content.decode()
    assert "plan of the estate" not in page.content.decode()
    # A second run finds nothing more to do.
    assert apply_retention(today=today).requests == []


def test_a_withdrawn_requests_messages_go_at_the_end_of_its_retention(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    _with_thread(world, req)
    services.request_withdraw(actor=world.requester, request=req, reason="")
    req = InformationRequest.objects.select_related("agreement").get(pk=req.pk)
    ends = retention_ends_on(req)
    assert ends is not None and req.agreement is not None
    assert ends == timezone.localdate(req.withdrawn_at) + datetime.timedelta(
        days=req.agreement.retention_period_days
    )
    run = apply_retention(today=ends + datetime.timedelta(days=1))
    assert [r.pk for r in run.requests] == [req.pk]
    assert not Message.objects.filter(request=req).exclude(body="").exists()
    destroyed = DisposalRecord.objects.get(request=req).destroyed
    # The thread, then what identifies people (retention.identifying), which goes too.
    assert destroyed[:2] == ["message_bodies:2", "message_files:1"]
    assert {"part_a_description:1", "named_people:1"} <= set(destroyed)


def test_a_dlo_confirming_destruction_leaves_the_thread_to_the_retention_schedule(
    world: World, make_request
) -> None:
    req = make_request(Status.RETURNED)
    thread_services.message_send(actor=world.police_dlo, request=req, body="Destroying today")
    services.request_confirm_destruction(actor=world.police_dlo, request=req)
    assert Message.objects.get(request=req).body == "Destroying today"
