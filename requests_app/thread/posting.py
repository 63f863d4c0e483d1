"""Writing one message onto a request's thread, inside the caller's transaction, with the
request row already locked: the message, its file (checked like every other file), and the
audit event. Who is told is the caller's to decide: asking for and giving clarification have
emails of their own."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.models import EventType
from audit.services import audit_record
from requests_app import files
from requests_app.models import AttachmentKind, InformationRequest, Message, MessageKind, Side


def earlier_post(
    post_token: uuid.UUID | None, *, request: InformationRequest, actor: User
) -> Message | None:
    """The message a first post of the same form sent, if this is a second post."""
    if post_token is None:
        return None
    earlier = Message.objects.filter(post_token=post_token).first()
    if earlier is None:
        return None
    if earlier.request_id != request.pk or earlier.author_id != actor.pk:
        raise ValidationError({"body": ["The page was out of date. Write your message again"]})
    return earlier


def post_message(
    *,
    request: InformationRequest,
    actor: User,
    side: Side,
    kind: MessageKind,
    body: str,
    upload: UploadedFile | None = None,
    post_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Message:
    message = Message.objects.create(
        request=request,
        author=actor,
        side=side,
        kind=kind,
        body=body.strip(),
        sent_at=timezone.now(),
        post_token=post_token,
    )
    attachment = (
        files.store_attachment(
            request=request,
            actor=actor,
            upload=upload,
            kind=AttachmentKind.MESSAGE,
            message=message,
        )
        if upload is not None
        else None
    )
    # What was sent, never what it said.
    audit_record(
        event_type=EventType.MESSAGE_SENT,
        actor=actor,
        http_request=http_request,
        obj=message,
        request_reference=request.reference or "",
        details={
            "kind": str(kind),
            "side": str(side),
            "characters": len(message.body),
            "files": [attachment.pk] if attachment else [],
        },
    )
    return message
