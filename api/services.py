"""Making and revoking API clients: by an administrator only, each step audited."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from accounts.models import Role, User
from api.models import ApiClient
from audit.models import EventType
from audit.services import audit_record


def may_manage_clients(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def api_client_create(
    *,
    actor: User,
    name: str,
    officer: User,
    scopes: list[str],
    http_request: HttpRequest | None = None,
) -> tuple[ApiClient, str]:
    """A new client for ``officer``'s agency, and its secret. The secret is shown once
    here and stored only as a hash."""
    if not may_manage_clients(actor):
        raise PermissionDenied
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        application = Application(
            name=name[:255],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
            skip_authorization=False,
        )
        client = ApiClient(
            name=name.strip(),
            agency=officer.home_agency,
            officer=officer,
            scopes=" ".join(sorted(set(scopes))),
            created_by=actor,
        )
        client.full_clean(exclude=["application"])
        application.save()
        client.application = application
        client.save()
        audit_record(
            event_type=EventType.API_CLIENT_CHANGED,
            actor=actor,
            http_request=http_request,
            obj=client,
            details={
                "step": "created",
                "client_id": application.client_id,
                "officer": officer.username,
                "agency": officer.agency.code if officer.agency else "",
                "scopes": client.scope_list,
            },
        )
    return client, secret


def api_client_revoke(
    *, actor: User, client: ApiClient, http_request: HttpRequest | None = None
) -> ApiClient:
    """The client can no longer get a token, and the tokens it has stop working now."""
    if not may_manage_clients(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
        tokens = AccessToken.objects.filter(application_id=locked.application_id)
        ended = tokens.count()
        tokens.delete()
        audit_record(
            event_type=EventType.API_CLIENT_CHANGED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            details={
                "step": "revoked",
                "client_id": locked.application.client_id,
                "tokens_ended": ended,
            },
        )
    return locked
