"""Bad files posted through the real pages: a clear refusal, and nothing stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from requests_app.models import Attachment, Status
from tests.consent.conftest import private_storage  # noqa: F401  (fixture)
from tests.security.catalogue import (  # noqa: F401  (fixtures)
    agreement,
    client_for,
    make_agreement,
    make_request,
)
from tests.world import World

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (120 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES = {
    "renamed executable": ("report.pdf", EXE),
    "zip bomb": ("letter.docx", None),
    "oversize": ("big.pdf", None),
    "empty": ("empty.pdf", b""),
}


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return _zip_bomb()


def _bad_file(kind: str, zip_bomb: bytes, settings) -> SimpleUploadedFile:
    name, data = BAD_FILES[kind]
    if kind == "zip bomb":
        data = zip_bomb
    if kind == "oversize":
        settings.MAX_UPLOAD_BYTES = 1024
        data = b"%PDF-1.4\n" + b"0" * 2048
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _stored(root) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_attachment_is_refused_and_nothing_stored(
    world: World, make_request, private_storage, zip_bomb, settings, kind: str
) -> None:
    req = make_request(Status.DRAFT)
    client = client_for(world.requester)
    response = client.post(
        reverse("requests:upload", args=[req.pk, "request"]),
        {"file": _bad_file(kind, zip_bomb, settings)},
        follow=True,
    )
    assert response.status_code == 200
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert errors, f"no refusal shown for {kind}"
    assert not Attachment.objects.exists()
    assert _stored(private_storage) == []


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_consent_scan_is_refused_and_nothing_stored(
    world: World, agreement, private_storage, zip_bomb, settings, kind: str
) -> None:
    today = timezone.localdate()
    response = client_for(world.requester).post(
        reverse("consent:create"),
        {
            "status": "given",
            "subject_name": "Alex Example",
            "subject_date_of_birth_day": "17",
            "subject_date_of_birth_month": "5",
            "subject_date_of_birth_year": "1980",
            "about_signer": "yes",
            "reasons_explained": "yes",
            "given_to_agency": world.police.pk,
            "disclose_to_agency": world.council.pk,
            "agreements": [agreement.pk],
            "purposes": "Incident reports",
            "obtained_by": "paper_form",
            "witness_name": "Requester Tester",
            "witness_position": "Community safety officer",
            "witnessed_on_day": str(today.day),
            "witnessed_on_month": str(today.month),
            "witnessed_on_year": str(today.year),
            "signed_on_day": str(today.day),
            "signed_on_month": str(today.month),
            "signed_on_year": str(today.year),
            "scan": _bad_file(kind, zip_bomb, settings),
        },
    )
    assert response.status_code == 200
    assert "scan" in response.context["form"].errors, f"no refusal shown for {kind}"
    assert not ConsentRecord.objects.exists()
    assert _stored(private_storage) == []


def test_a_path_in_a_file_name_never_reaches_the_filesystem(
    world: World, make_request, private_storage
) -> None:
    """Django's upload parser keeps only the last part of a name, before our code sees it; the
    file is then stored under a generated name inside the private storage folder."""
    req = make_request(Status.DRAFT)
    boundary = "BoUnDaRyTeSt"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="../../../etc/passwd.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.4\n%%EOF\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    client_for(world.requester).post(
        reverse("requests:upload", args=[req.pk, "request"]),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    stored = _stored(private_storage)
    assert len(stored) == 1 and "/attachments/" in stored[0] and "passwd" not in stored[0]
