"""Every access token issued is in the audit log, under the officer the client acts for."""

from typing import Any

from django.dispatch import receiver
from oauth2_provider.signals import app_authorized

from api.oauth import client_of
from audit.models import EventType
from audit.services import audit_record


@receiver(app_authorized)
def token_issued(sender: Any, request: Any, token: Any, **kwargs: Any) -> None:
    client = client_of(token.application)
    if client is None:
        return
    audit_record(
        event_type=EventType.API_TOKEN_ISSUED,
        actor=client.officer,
        http_request=request,
        obj=client,
        details={
            "client_id": client.application.client_id,
            "scopes": sorted(token.scope.split()),
            "expires": token.expires.isoformat(),
        },
    )
