"""Storing and deleting a request's files: the one place an upload is checked (size, type,
content; ``isp_portal.uploads``), counted against its limit, made idempotent by its form's
token, and written so that no stored file outlives a row that was never written, nor a row
a file that was deleted."""

import uuid
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from isp_portal.uploads import validate_upload
from requests_app.models import Attachment, AttachmentKind, InformationRequest, Message


def earlier_upload(
    upload_token: uuid.UUID | None, *, request: InformationRequest, actor: User, kind: str
) -> Attachment | None:
    """The file a first post of the same form attached, if this is a second post."""
    if upload_token is None:
        return None
    earlier = Attachment.objects.filter(upload_token=upload_token).first()
    if earlier is None:
        return None
    if (earlier.request_id, earlier.uploaded_by_id, earlier.kind) != (request.pk, actor.pk, kind):
        raise ValidationError(
            {"file": ["The page was out of date. Choose the file and upload it again"]}
        )
    return earlier


def store_attachment(
    *,
    request: InformationRequest,
    actor: User,
    upload: UploadedFile,
    kind: AttachmentKind,
    upload_token: uuid.UUID | None = None,
    message: Message | None = None,
) -> Attachment:
    """Check and store one file on a request locked by the caller, who has checked that this
    person may add it. Files sent with messages have a limit of their own, so a long
    conversation never stops the disclosing officer attaching what they disclose."""
    same_kind = (
        request.attachments.filter(kind=AttachmentKind.MESSAGE)
        if kind == AttachmentKind.MESSAGE
        else request.attachments.exclude(kind=AttachmentKind.MESSAGE)
    )
    if same_kind.count() >= settings.MAX_ATTACHMENTS:
        what = "files sent with messages" if kind == AttachmentKind.MESSAGE else "files"
        raise ValidationError(
            {"file": [f"A request can have at most {settings.MAX_ATTACHMENTS} {what}"]}
        )
    try:
        checked = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    upload.seek(0)
    attachment = Attachment(
        request=request,
        kind=kind,
        message=message,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        upload_token=upload_token,
    )
    attachment.file.save("upload", upload, save=False)
    name, storage = attachment.file.name, attachment.file.storage
    try:
        attachment.save()
    except Exception:
        # The stored file must not outlive a row that was never written.
        if name:
            storage.delete(name)
        raise
    return attachment


def delete_attachments(attachments: Iterable[Attachment]) -> int:
    """Delete the rows now and the stored files after commit, so a rollback never loses a
    file whose row survives."""
    count = 0
    for attachment in attachments:
        name, storage = attachment.file.name, attachment.file.storage
        if name:
            transaction.on_commit(partial(storage.delete, name))
        attachment.delete()
        count += 1
    return count
