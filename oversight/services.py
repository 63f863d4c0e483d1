"""Every write to breaches: the report and the ICO decision, each in one transaction with its
audit event."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AGENCY_OVERSIGHT_ROLES, Agency, User
from agreements.models import Agreement
from audit.models import EventType
from audit.services import audit_record
from isp_portal.idempotency import create_once
from isp_portal.mail import enqueue_email
from oversight import permissions
from oversight.models import Breach, BreachStatus, IcoDecision
from requests_app.models import InformationRequest


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
    request: InformationRequest | None = None,
    agreement: Agreement | None = None,
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Breach:
    """Record a suspected breach; the owning agency's SPOC and deputy are told by email.
    The same form posted again (``submission_token``) records it once."""
    if not permissions.can_report_breach(reporter):
        raise PermissionDenied
    if request is None and agreement is None:
        raise ValidationError("Say which request or agreement the breach is about.")
    if discovered_at > timezone.now():
        raise ValidationError("The date of discovery cannot be in the future.")

    def create() -> Breach:
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

    with transaction.atomic():
        breach, _ = create_once(Breach, token=submission_token, actor=reporter, create=create)
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
                "within_72_hours": (breach.ico_decided_at or now) <= breach.ico_deadline,
            },
        )
    return breach


def export_recorded(http_request: HttpRequest, export: str, filters: dict[str, Any]) -> None:
    """Record that the signed-in person exported ``export`` (a register, dashboard or access
    log file) with these filters: reading personal data in bulk is audited like a page."""
    audit_record(
        event_type=EventType.EXPORT,
        http_request=http_request,
        details={"export": export, "filters": filters},
    )
