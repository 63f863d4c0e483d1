"""Checks every uploaded file before anything is stored (ASVS 5.0 file handling).

A file is judged by its content, never by its name or the browser's content type: a renamed
executable is refused. Word documents are zip archives, so their table of contents is read
(not extracted) to refuse zip bombs. Plain text must decode as UTF-8 or UTF-16 (with its
byte-order mark) and hold no archive or program. The original name is kept only for display
and download, cleaned to a plain base name whose extension is the one of the type found
("run.bat" that is text is kept as "run.txt"); storage names are generated elsewhere.

``SizeLimitUploadHandler`` stops reading a file as soon as it passes ``MAX_UPLOAD_BYTES``,
before it is on disk.
"""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest
from django.template.defaultfilters import filesizeformat

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

DEFAULT_ALLOWED = frozenset({PDF, PNG, JPEG, DOCX, TEXT})
_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "Word (.docx)", TEXT: "plain text"}
# The extension a file is stored and served under: its type's, whatever it was called.
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", TEXT: ".txt"}
_SAME_TYPE = {".jpeg": JPEG}

# Bytes no plain text holds: archives and programs, wherever they start (a UTF-16 "text"
# file can carry a zip after its byte-order mark).
_BINARY_SIGNATURES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"MZ\x90\x00",
    b"\x7fELF",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b\x08",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"%PDF-",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# A real Word document expands a few times over; a zip bomb by thousands.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 5000

MAX_NAME_LENGTH = 150
_HEAD_BYTES = 8192
_TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class ValidatedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def validate_upload(
    uploaded_file: UploadedFile, *, allowed: frozenset[str] = DEFAULT_ALLOWED
) -> ValidatedUpload:
    """Refuse anything but a non-empty, not too large file of an allowed type, with a
    harmless name. Raises ``ValidationError`` with a message to show beside the field."""
    name = safe_name(uploaded_file.name or "")
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(settings.MAX_UPLOAD_BYTES)}",
            code="too_large",
        )
    content_type = _detect(uploaded_file)
    if content_type not in allowed:
        kinds = ", ".join(_LABELS.get(t, t) for t in sorted(allowed, key=_order))
        raise ValidationError(f"The selected file must be a {kinds} file", code="type")
    name = named_for_type(name, content_type)
    if content_type == DOCX:
        _refuse_zip_bomb(uploaded_file)
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return ValidatedUpload(
        name=name, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def safe_name(name: str) -> str:
    """The name to show for a file. Refuses path traversal and control characters outright:
    browsers send a bare file name, so either means a crafted request."""
    name = unicodedata.normalize("NFC", name)
    if any(_is_control(c) for c in name):
        raise ValidationError(
            "The selected file’s name must not contain control characters", code="name"
        )
    if "/" in name or "\\" in name or name.strip() in {".", ".."}:
        raise ValidationError(
            "The selected file’s name must not contain a folder path", code="name"
        )
    name = name.strip().lstrip(".")
    if not name:
        return "upload"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        suffix = f".{ext[:10]}" if dot else ""
        name = (stem if dot else name)[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def named_for_type(name: str, content_type: str) -> str:
    """The name with its type's extension: "invoice.pdf.js" that is text is "invoice_pdf.txt".

    Any earlier dot goes too, so no program or browser reads an inner extension.
    """
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    wanted = EXTENSIONS[content_type]
    if _SAME_TYPE.get(f".{extension.lower()}") == content_type:
        wanted = f".{extension.lower()}"
    return (stem.replace(".", "_") or "upload") + wanted


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls; Cf: format characters such as right-to-left overrides, which can
    # disguise "txt.exe" as "exe.txt".
    return unicodedata.category(char) in {"Cc", "Cf"}


def _order(content_type: str) -> int:
    return list(_LABELS).index(content_type) if content_type in _LABELS else len(_LABELS)


def _detect(uploaded_file: UploadedFile) -> str:
    uploaded_file.seek(0)
    head = uploaded_file.read(_HEAD_BYTES)
    uploaded_file.seek(0)
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    mime_types = [m.mime_type for m in matches]
    if all(not m or m == TEXT for m in mime_types):
        # puremagic calls anything after a UTF-16 byte-order mark text: decode it to see.
        return TEXT if _is_plain_text(uploaded_file) else "application/octet-stream"
    if DOCX in mime_types:
        # Every Office format starts like any zip: look inside for the Word document part.
        return DOCX if _is_word_document(uploaded_file) else "application/zip"
    for known in (PDF, PNG, JPEG):
        if known in mime_types:
            return known
    return next((m for m in mime_types if m), "application/octet-stream")


def _is_plain_text(uploaded_file: UploadedFile) -> bool:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    if any(signature in data for signature in _BINARY_SIGNATURES):
        return False
    try:
        text = data.decode("utf-16" if data.startswith(_UTF16_BOMS) else "utf-8-sig")
    except UnicodeDecodeError:
        return False
    if text.startswith("#!"):
        return False  # a script, whatever its name says
    return not any(_is_control(c) and c not in _TEXT_CONTROLS_ALLOWED for c in text)


def _is_word_document(uploaded_file: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _refuse_zip_bomb(uploaded_file: UploadedFile) -> None:
    """Read the archive's table of contents only: nothing is decompressed."""
    with zipfile.ZipFile(uploaded_file) as archive:
        entries = archive.infolist()
    uploaded_file.seek(0)
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or total > MAX_UNCOMPRESSED_BYTES
        or total / compressed > MAX_COMPRESSION_RATIO
    ):
        raise ValidationError(
            "The selected file could not be checked safely. Save it again as a new "
            "document or as a PDF, and upload that",
            code="zip_bomb",
        )


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a request as soon as a file in it passes ``MAX_UPLOAD_BYTES``.

    First in ``FILE_UPLOAD_HANDLERS``: nothing more of the body is read or written to disk
    (``StopUpload(connection_reset=True)``), the file is left out of ``request.FILES``, and
    ``upload_refused_message`` gives the view the message to show. The form's other fields,
    which come before the file, are kept.
    """

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        if self.content_length is not None and self.content_length > settings.MAX_UPLOAD_BYTES:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=True)


def upload_refused_message(request: HttpRequest) -> str | None:
    """What to tell the officer if ``SizeLimitUploadHandler`` stopped their upload."""
    if getattr(request, "upload_too_large", False):
        return f"The selected file must be smaller than {filesizeformat(settings.MAX_UPLOAD_BYTES)}"
    return None


def file_download(file: File, *, filename: str, content_type: str) -> FileResponse:
    """A stored file sent as a download, under ``filename``, that the browser must take as
    ``content_type`` and never sniff into something it would run."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
