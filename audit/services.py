"""Writing audit events. Every other app records what happened through ``audit_record``."""

from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.chain import GENESIS, compute_hash
from audit.models import AuditEvent, EventType, Outcome

# Any constant: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_ID = 7_245_001


def _client_ip(http_request: HttpRequest | None) -> str | None:
    if http_request is None:
        return None
    # Behind a proxy, gunicorn's forwarded-allow-ips sets REMOTE_ADDR correctly.
    return http_request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    event_type: EventType,
    actor: Any = None,
    http_request: HttpRequest | None = None,
    obj: Any = None,
    request_reference: str = "",
    outcome: Outcome = Outcome.ALLOWED,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Called from within a workflow service's ``transaction.atomic`` block, the event commits
    with the change it records, or not at all.
    """
    if actor is None and http_request is not None:
        user = getattr(http_request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    agency = getattr(actor, "agency", None) if actor is not None else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        prev_hash = last[1] if last else GENESIS
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor,
            actor_username=getattr(actor, "username", "") or "",
            actor_agency=getattr(agency, "code", "") or "",
            actor_roles=sorted(actor.role_set) if actor is not None else [],
            event_type=event_type,
            object_type=obj._meta.model_name if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            request_reference=request_reference,
            outcome=outcome,
            ip_address=_client_ip(http_request),
            user_agent=(http_request.META.get("HTTP_USER_AGENT", "") if http_request else "")[:300],
            details=details or {},
            prev_hash=prev_hash,
            hash="pending",
        )
        # The id is part of the hash, so reserve it first; the row is written once.
        event.id = (last[0] if last else 0) + 1
        event.hash = compute_hash(_row(event), prev_hash)
        event.save(force_insert=True)
    return event


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_agency": event.actor_agency,
        "actor_roles": event.actor_roles,
        "event_type": str(event.event_type),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_reference": event.request_reference,
        "outcome": str(event.outcome),
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "details": event.details,
    }
