"""Writing audit events. Every other app records what happened through ``audit_record``."""

import datetime
from typing import TYPE_CHECKING, Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AGENCY_OVERSIGHT_ROLES, Agency, User
from audit import permissions, sequencer
from audit.chain import UNCHAINED, compute_hash, signing_key
from audit.models import AuditEvent, Breach, BreachStatus, EventType, IcoDecision, Outcome
from isp_portal.mail import enqueue_email

if TYPE_CHECKING:
    from agreements.models import Agreement
    from requests_app.models import InformationRequest


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


def _owning_agency_contacts(agency: Agency) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__agency=agency,
            roles__role__in=sorted(AGENCY_OVERSIGHT_ROLES),
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _email_breach(breach: Breach, subject: str) -> None:
    """Reference and link only: nothing about what happened travels by email."""
    link = settings.SITE_URL + reverse("audit:breach_detail", args=[breach.pk])
    enqueue_email(
        recipients=_owning_agency_contacts(breach.owning_agency),
        subject=f"{subject}: {breach.reference}",
        body=(
            f"{subject}: {breach.reference}.\n\nSign in to read it and record the ICO "
            f"decision within 72 hours of discovery:\n{link}\n"
        ),
    )


def breach_report(
    *,
    reporter: User,
    owning_agency: Agency,
    what_happened: str,
    discovered_at: datetime.datetime,
    data_affected: str,
    request: "InformationRequest | None" = None,
    agreement: "Agreement | None" = None,
    http_request: HttpRequest | None = None,
) -> Breach:
    """Record a suspected breach; the owning agency's SPOC and deputy are told by email."""
    if not permissions.can_report_breach(reporter):
        raise PermissionDenied
    if request is None and agreement is None:
        raise ValidationError("Say which request or agreement the breach is about.")
    if discovered_at > timezone.now():
        raise ValidationError("The date of discovery cannot be in the future.")
    with transaction.atomic():
        breach = Breach.objects.create(
            request=request,
            agreement=agreement,
            owning_agency=owning_agency,
            what_happened=what_happened,
            discovered_at=discovered_at,
            data_affected=data_affected,
            reported_by=reporter,
            reported_at=timezone.now(),
        )
        audit_record(
            event_type=EventType.BREACH_REPORTED,
            actor=reporter,
            http_request=http_request,
            obj=breach,
            request_reference=(request.reference or "") if request else "",
            details={
                "breach": breach.reference,
                "owning_agency": owning_agency.code,
                "agreement": agreement.reference if agreement else "",
            },
        )
        _email_breach(breach, "A breach has been reported")
    return breach


def breach_record_decision(
    *,
    actor: User,
    breach: Breach,
    ico_decision: str,
    reasons: str,
    parties_informed: str,
    ico_notified_on: datetime.date | None = None,
    close: bool = False,
    http_request: HttpRequest | None = None,
) -> Breach:
    """The owning agency's decision whether to notify the ICO, and who was informed."""
    if not permissions.can_decide_breach(actor, breach):
        raise PermissionDenied
    if ico_decision not in IcoDecision.values:
        raise ValidationError("Choose whether to notify the ICO.")
    if ico_decision == IcoDecision.NOTIFY and close and ico_notified_on is None:
        raise ValidationError("Give the date the ICO was notified before closing.")
    with transaction.atomic():
        breach = Breach.objects.select_for_update().get(pk=breach.pk)
        if breach.status == BreachStatus.CLOSED:
            raise ValidationError("This breach is closed.")
        now = timezone.now()
        first_decision = not breach.ico_decision
        breach.ico_decision = ico_decision
        breach.ico_decision_reasons = reasons
        breach.parties_informed = parties_informed
        breach.ico_notified_on = ico_notified_on
        if first_decision:
            breach.ico_decided_at = now
            breach.ico_decided_by = actor
        breach.status = BreachStatus.CLOSED if close else BreachStatus.DECIDED
        breach.closed_at = now if close else None
        breach.save(
            update_fields=[
                "ico_decision",
                "ico_decision_reasons",
                "parties_informed",
                "ico_notified_on",
                "ico_decided_at",
                "ico_decided_by",
                "status",
                "closed_at",
            ]
        )
        audit_record(
            event_type=EventType.BREACH_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=breach,
            request_reference=(breach.request.reference or "") if breach.request else "",
            details={
                "breach": breach.reference,
                "ico_decision": ico_decision,
                "status": breach.status,
                "within_72_hours": breach.ico_decided_at <= breach.ico_deadline,
            },
        )
    return breach
