"""Writing to a request's thread, and destroying its messages at the end of retention.

A message from the disclosing officer may ask for clarification, and the requester's next
message answers it: both are the request's workflow steps (``services``), which pause and
restart the clock. Any other message changes nothing but the thread.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from requests_app import files, notifications, permissions, services
from requests_app.models import (
    AttachmentKind,
    ChangesSeen,
    InformationRequest,
    Message,
    MessageKind,
    Side,
)
from requests_app.thread import posting
from requests_app.thread.permissions import can_write, side_of
from requests_app.workflow import Action


def message_send(
    *,
    actor: User,
    request: InformationRequest,
    body: str,
    upload: UploadedFile | None = None,
    post_token: uuid.UUID | None = None,
    ask_clarification: bool = False,
    http_request: HttpRequest | None = None,
) -> Message:
    """Send a message to the other side, and tell them (the reference and a link only)."""
    if not body.strip():
        raise ValidationError({"body": ["Enter your message"]})
    if ask_clarification:
        return services.request_ask_clarification(
            actor=actor,
            request=request,
            question=body,
            upload=upload,
            post_token=post_token,
            http_request=http_request,
        )
    if permissions.can(actor, Action.ANSWER_CLARIFICATION, request):
        return services.request_answer_clarification(
            actor=actor,
            request=request,
            answer=body,
            upload=upload,
            post_token=post_token,
            http_request=http_request,
        )
    with transaction.atomic():
        locked = (
            InformationRequest.objects.select_for_update(of=("self",))
            .select_related("assigned_to", "requester", "target_agency")
            .get(pk=request.pk)
        )
        earlier = posting.earlier_post(post_token, request=locked, actor=actor)
        if earlier is not None:
            return earlier
        side = side_of(actor, locked)
        if side is None or not can_write(actor, locked):
            raise PermissionDenied
        message = posting.post_message(
            request=locked,
            actor=actor,
            side=side,
            kind=MessageKind.MESSAGE,
            body=body,
            upload=upload,
            post_token=post_token,
            http_request=http_request,
        )
        notifications.on_message(locked, to_disclosing_side=side == Side.REQUESTING)
    return message


def destroy_thread(*, request: InformationRequest) -> list[str]:
    """At the end of retention: every message's body and file goes; that a message was sent,
    by whom and when, stays. Call inside the transaction that records the disposal.
    Returns what was destroyed (kinds and counts, never content)."""
    destroyed: list[str] = []
    bodies = Message.objects.filter(request=request, destroyed_at__isnull=True).update(
        body="", destroyed_at=timezone.now()
    )
    if bodies:
        destroyed.append(f"message_bodies:{bodies}")
    count = files.delete_attachments(request.attachments.filter(kind=AttachmentKind.MESSAGE))
    if count:
        destroyed.append(f"message_files:{count}")
    return destroyed


def changes_mark_seen(*, user: User) -> None:
    """Everything on the officer's requests up to now has been seen. Not a change to any
    request, so not audited: showing the list is."""
    ChangesSeen.objects.update_or_create(user=user, defaults={"seen_at": timezone.now()})
