import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from requests_app import services
from requests_app.models import Attachment, AttachmentKind, Status
from tests.http import body_of
from tests.requests_app.conftest import SUSPECT, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client: Client, req_pk: int, name: str, content: bytes, kind: str = "request"):
    return client.post(
        reverse("requests:upload", args=[req_pk, kind]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_requester_attaches_a_pdf_and_gets_it_back_as_a_download(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.DRAFT)
    client.force_login(world.requester)
    _upload(client, req.pk, "../../etc/report.pdf", PDF)
    attachment = Attachment.objects.get(request=req)
    assert attachment.content_type == "application/pdf"
    assert "/" not in attachment.original_name
    stored = attachment.file.name or ""
    assert stored.startswith("attachments/")
    assert "report" not in stored  # generated storage name
    response = client.get(reverse("requests:download", args=[req.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"].startswith("no-store")
    assert body_of(response) == PDF


def _token_on(page: str) -> str:
    found = re.search(r'name="upload_token" value="([0-9a-f-]{36})"', page)
    assert found, "the upload form carries an idempotency token"
    return found.group(1)


def test_posting_the_same_upload_form_twice_attaches_the_file_once(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.DRAFT)
    client.force_login(world.requester)
    page = client.get(reverse("requests:edit", args=[req.pk])).content.decode()
    token = _token_on(page)
    url = reverse("requests:upload", args=[req.pk, "request"])

    for _ in range(2):  # a double click, or the browser posting again
        response = client.post(
            url, {"file": SimpleUploadedFile("report.pdf", PDF), "upload_token": token}
        )
        assert response.status_code == 302

    assert Attachment.objects.filter(request=req).count() == 1
    # The page shown next carries a new token, so the next file is attached too.
    page = client.get(reverse("requests:edit", args=[req.pk])).content.decode()
    assert _token_on(page) != token
    _upload(client, req.pk, "second.pdf", PDF)
    assert Attachment.objects.filter(request=req).count() == 2


def test_an_upload_token_of_another_request_attaches_nothing(
    world: World, make_request, client: Client
) -> None:
    first, second = make_request(Status.DRAFT), make_request(Status.DRAFT)
    token = str(uuid.uuid4())
    client.force_login(world.requester)
    for req in (first, second):
        client.post(
            reverse("requests:upload", args=[req.pk, "request"]),
            {"file": SimpleUploadedFile("report.pdf", PDF), "upload_token": token},
        )
    assert Attachment.objects.filter(request=first).count() == 1
    assert not Attachment.objects.filter(request=second).exists()


def test_renamed_executable_is_refused_and_nothing_is_stored(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.DRAFT)
    client.force_login(world.requester)
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    response = _upload(client, req.pk, "report.pdf", elf)
    assert response.status_code == 302
    assert not Attachment.objects.filter(request=req).exists()


def test_outsider_gets_404_for_attachment(world: World, make_request, client: Client) -> None:
    req = make_request(Status.DRAFT)
    services.attachment_add(
        actor=world.requester,
        request=req,
        upload=SimpleUploadedFile("a.pdf", PDF),
        kind=AttachmentKind.REQUEST,
    )
    attachment = Attachment.objects.get(request=req)
    client.force_login(world.outsider)
    assert client.get(reverse("requests:download", args=[req.pk, attachment.pk])).status_code == 404


def test_attachment_of_another_request_is_not_reachable_through_mine(
    world: World, make_request, client: Client
) -> None:
    mine = make_request(Status.DRAFT)
    other = make_request(Status.DRAFT)
    services.attachment_add(
        actor=world.requester,
        request=other,
        upload=SimpleUploadedFile("a.pdf", PDF),
        kind=AttachmentKind.REQUEST,
    )
    attachment = Attachment.objects.get(request=other)
    client.force_login(world.requester)
    url = reverse("requests:download", args=[mine.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_attachment_count_is_limited(world: World, make_request, settings) -> None:
    settings.MAX_ATTACHMENTS = 2
    req = make_request(Status.DRAFT)
    for _ in range(2):
        services.attachment_add(
            actor=world.requester,
            request=req,
            upload=SimpleUploadedFile("a.pdf", PDF),
            kind=AttachmentKind.REQUEST,
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at most 2"):
        services.attachment_add(
            actor=world.requester,
            request=req,
            upload=SimpleUploadedFile("a.pdf", PDF),
            kind=AttachmentKind.REQUEST,
        )


def test_emails_hold_the_reference_and_a_link_but_no_personal_data(
    world: World, make_request, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(Status.UNDER_REVIEW)
        services.request_decide(
            actor=world.discloser, request=req, fields=decision_fields(world.discloser)
        )
    req.refresh_from_db()
    assert {tuple(m.to) for m in mailoutbox} >= {
        (world.discloser.email,),
        (world.police_spoc.email,),
        (world.requester.email,),
    }
    forbidden = [
        SUSPECT.full_name,
        "Example Road",
        "1990",
        world.requester.last_name,
        world.discloser.last_name,
        "ASB incidents",
        "criminal damage",
    ]
    for message in mailoutbox:
        text = message.subject + message.body
        assert req.reference in text
        assert reverse("requests:detail", args=[req.pk]) in message.body
        for word in forbidden:
            assert word not in text, f"{word!r} leaked into an email"


def test_no_email_when_the_transaction_rolls_back(
    world: World, make_request, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    req = make_request(Status.DRAFT)
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.request_submit(actor=world.requester, request=req, declaration_name="Wrong Name")
    assert mailoutbox == []


def test_file_is_not_left_behind_when_upload_is_refused(
    world: World, make_request, settings, tmp_path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    req = make_request(Status.DRAFT)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.requester,
            request=req,
            upload=SimpleUploadedFile("x.pdf", b""),
            kind=AttachmentKind.REQUEST,
        )
    assert list(tmp_path.rglob("*")) == [] or all(p.is_dir() for p in tmp_path.rglob("*"))


def test_a_file_past_the_size_limit_is_refused_while_streaming_with_a_message(
    world: World, make_request, client: Client, settings
) -> None:
    """Issue #14 finding 11: the whole body was on disk before the size was checked."""
    settings.MAX_UPLOAD_BYTES = 1024
    req = make_request(Status.DRAFT)
    client.force_login(world.requester)
    response = _upload(client, req.pk, "big.pdf", PDF + b"%" * 600_000)
    assert not Attachment.objects.filter(request=req).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The selected file must be smaller than 1.0\xa0KB" in page
