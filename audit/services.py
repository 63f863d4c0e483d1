"""Writing audit events. Every other app records what happened through ``audit_record``."""

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from audit import sequencer
from audit.chain import UNCHAINED, compute_hash, signing_key
from audit.models import AuditEvent, EventType, Outcome


def _client_ip(http_request: HttpRequest | None) -> str | None:
    if http_request is None:
        return None
    # The address sign-in throttling counts by: the client's own, behind the trusted proxies
    # (ALLAUTH_TRUSTED_PROXY_COUNT), not the proxy's.
    try:
        return get_account_adapter(http_request).get_client_ip(http_request)
    except PermissionDenied:
        return None


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
    """Record one event, sealed with its HMAC, inside the caller's transaction.

    Called from within a workflow service's ``transaction.atomic`` block, the event commits
    with the change it records, or not at all. It takes no lock, so no request waits for
    another's transaction; the sequencer links it into the chain once it has committed.
    """
    if actor is None and http_request is not None:
        user = getattr(http_request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    agency = getattr(actor, "agency", None) if actor is not None else None
    key_id, key = signing_key()
    event = AuditEvent(
        id=_next_id(),
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
        key_id=key_id,
        prev_hash=UNCHAINED,
    )
    event.hash = compute_hash(_row(event), UNCHAINED, key)
    event.save(force_insert=True)
    sequencer.chain_after_commit()
    return event


def _next_id() -> int:
    """The id the event takes, from the table's own sequence.

    The id is part of the seal, so it is taken before the row is written. A sequence never
    hands out a value twice, so a removed event leaves a gap that no later event fills
    (``verify_audit_chain`` lists gaps), and taking one never waits for another transaction.
    On SQLite (development only) AUTOINCREMENT's counter plays the sequence's part; writes
    there are serialised anyway.
    """
    table = AuditEvent._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
    else:
        sql = f"SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0) + 1"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (event_id,) = cursor.fetchone()
    return int(event_id)


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
