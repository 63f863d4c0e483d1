"""Uploads are judged by content; bad files are refused with a clear message."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.http import HttpRequest
from hypothesis import given
from hypothesis import strategies as st
from pytest_django import Settings

from isp_portal.uploads import (
    DOCX,
    EXTENSIONS,
    JPEG,
    PDF,
    PNG,
    TEXT,
    SizeLimitUploadHandler,
    safe_name,
    upload_refused_message,
    validate_upload,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 20
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$")
)
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document>Case notes</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "file.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF_BYTES, "report.pdf", PDF),
        (PNG_BYTES, "photo.png", PNG),
        (JPEG_BYTES, "photo.jpg", JPEG),
        (_docx(), "letter.docx", DOCX),
        ("Notes from the visit – café.\n".encode(), "notes.txt", TEXT),
    ],
)
def test_allowed_types_are_accepted(data: bytes, name: str, expected: str) -> None:
    result = validate_upload(_upload(data, name))
    assert result.content_type == expected
    assert result.name == name
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_the_file_can_be_read_again_after_checking() -> None:
    upload = _upload(_docx(), "letter.docx")
    validate_upload(upload)
    assert upload.read() == _docx()


@pytest.mark.parametrize("data", [EXE_BYTES, ELF_BYTES], ids=["windows", "linux"])
def test_a_renamed_executable_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError, match="must be a PDF, PNG, JPEG, Word"):
        validate_upload(_upload(data, "report.pdf", "application/pdf"))


def test_a_script_renamed_to_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a"):
        validate_upload(_upload(b"#!/bin/sh\nrm -rf /\n", "notes.txt", "text/plain"))


def test_html_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a"):
        validate_upload(_upload(b"<html><script>alert(1)</script></html>", "notes.txt"))


def test_binary_junk_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a"):
        validate_upload(_upload(bytes(range(256)) * 4, "notes.txt"))


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError, match="must be a"):
        validate_upload(_upload(buffer.getvalue(), "letter.docx"))


def test_a_zip_bomb_disguised_as_a_word_document_is_refused() -> None:
    bomb = _docx({"word/media/padding.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # small on the wire, huge when opened
    with pytest.raises(ValidationError, match="could not be checked safely"):
        validate_upload(_upload(bomb, "letter.docx"))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="The selected file is empty"):
        validate_upload(_upload(b"", "empty.pdf"))


def test_an_oversize_file_is_refused(settings: Settings) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError, match=r"must be smaller than 1\.0"):
        validate_upload(_upload(PDF_BYTES + b"%" * 2048, "big.pdf"))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system.pdf", "/etc/report.pdf", "..", "."],
)
def test_a_name_with_a_path_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="must not contain a folder path"):
        safe_name(name)


def test_a_path_in_an_uploaded_name_never_survives() -> None:
    # Django's upload handling already keeps only the last part of the name; whatever
    # reaches us is checked again.
    result = validate_upload(_upload(PDF_BYTES, "../../etc/passwd.pdf"))
    assert result.name == "passwd.pdf"
    with pytest.raises(ValidationError, match="must not contain a folder path"):
        validate_upload(_upload(PDF_BYTES, "..\\..\\windows\\system.pdf"))


@pytest.mark.parametrize("name", ["report\x00.pdf", "rep\nort.pdf", "fdp.\u202eexe.pdf"])
def test_a_name_with_control_characters_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        validate_upload(_upload(PDF_BYTES, name))


def test_names_are_cleaned_for_display() -> None:
    assert safe_name(".hidden.pdf") == "hidden.pdf"
    assert safe_name("") == "upload"
    long = safe_name("a" * 300 + ".pdf")
    assert len(long) == 150
    assert long.endswith(".pdf")


# Issue #14, finding 11 -------------------------------------------------------------------


def _zip_with_a_program() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", EXE_BYTES)
    return buffer.getvalue()


def test_a_zip_behind_a_utf16_byte_order_mark_is_not_text() -> None:
    """puremagic calls anything starting FF FE text: a zip holding an .exe, named
    evidence.zip, was accepted and served back as such."""
    with pytest.raises(ValidationError, match="must be a"):
        validate_upload(_upload(b"\xff\xfe" + _zip_with_a_program(), "evidence.zip"))


def test_utf16_text_with_its_byte_order_mark_is_text() -> None:
    data = "Notes from the visit – 张伟.\r\n".encode("utf-16")
    result = validate_upload(_upload(data, "notes.txt"))
    assert (result.content_type, result.name) == (TEXT, "notes.txt")


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("run.bat", "run.txt"),
        ("payload.hta", "payload.txt"),
        ("script.ps1", "script.txt"),
        ("invoice.pdf.js", "invoice_pdf.txt"),
        ("notes", "notes.txt"),
    ],
)
def test_text_is_named_as_text_whatever_it_was_called(name: str, stored: str) -> None:
    assert validate_upload(_upload(b"echo hello\r\n", name)).name == stored


@pytest.mark.parametrize(
    ("data", "name", "stored"),
    [
        (PDF_BYTES, "scan.PDF", "scan.pdf"),
        (PDF_BYTES, "scan.exe", "scan.pdf"),
        (JPEG_BYTES, "photo.jpeg", "photo.jpeg"),
        (PNG_BYTES, "photo.jpg", "photo.png"),
        (_docx(), "letter.docx.exe", "letter_docx.docx"),
    ],
)
def test_every_type_is_named_with_its_own_extension(data: bytes, name: str, stored: str) -> None:
    assert validate_upload(_upload(data, name)).name == stored


def test_the_size_limit_stops_reading_at_the_first_chunk_past_it(settings: Settings) -> None:
    """The limit was checked only after the whole body was on disk (60 MB accepted, then
    refused). The handler refuses at the chunk that passes it."""
    settings.MAX_UPLOAD_BYTES = 100
    request = HttpRequest()
    handler = SizeLimitUploadHandler(request)
    handler.new_file("file", "big.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 60, 60)
    assert stopped.value.connection_reset
    assert upload_refused_message(request) == "The selected file must be smaller than 100\xa0bytes"


def test_a_declared_size_past_the_limit_is_refused_before_any_byte(settings: Settings) -> None:
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(StopUpload):
        SizeLimitUploadHandler(HttpRequest()).new_file("file", "big.pdf", "application/pdf", 101)


@given(data=st.binary(min_size=1, max_size=512), name=st.sampled_from(["a.txt", "b.pdf", "c"]))
def test_whatever_the_bytes_an_accepted_file_is_named_for_what_it_is(
    data: bytes, name: str
) -> None:
    try:
        result = validate_upload(_upload(data, name))
    except ValidationError:
        return
    assert result.name.endswith(EXTENSIONS[result.content_type])
    if result.content_type == TEXT:
        assert not any(s in data for s in (b"PK\x03\x04", b"MZ\x90\x00", b"\x7fELF"))
