"""The messages on a request, for the API: its thread, as the request page shows it."""

from typing import Any

from django.http import HttpRequest

from accounts.models import User
from requests_app.models import InformationRequest
from requests_app.thread.selectors import thread_for


def messages_for(
    user: User, request: InformationRequest, http_request: HttpRequest
) -> list[dict[str, Any]]:
    """The thread this officer may read on the request, oldest first (none where the page
    shows none); the read is audited by ``thread_for``, as the page's is."""
    return [
        {
            "id": message.pk,
            "kind": message.kind,
            "side": message.side,
            "author": str(message.author),
            "sent_at": message.sent_at,
            "body": message.body,
            "files": [attachment.original_name for attachment in message.attachments.all()],
        }
        for message in thread_for(user, request, http_request=http_request)
    ]
