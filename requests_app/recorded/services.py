"""Recording a disclosure made without a request: one transaction, audited."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Agency, User
from agreements.models import Agreement, Legislation
from agreements.services import agreement_usable_problem
from audit.models import EventType
from audit.services import audit_record
from requests_app import rules
from requests_app.models import Decision, Outcome, disclosed_by
from requests_app.recorded import permissions
from requests_app.recorded.models import Occasion, RecordedDisclosure


def _problems(
    *,
    actor: User,
    fields: dict[str, Any],
    recipient: Agency | None,
    agreement: Agreement | None,
    checklist: dict[str, object],
    subject_names: Iterable[str],
) -> rules.Problems:
    """The rules a decision on a request follows (the summary names nobody, every checklist
    point considered, the officer's own signature), and the agreement's own."""
    problems: rules.Problems = {}
    names = [*subject_names, fields.get("disclosed_to_name") or ""]
    if rules.names_in_summary(fields.get("summary") or "", [n for n in names if n]):
        problems["summary"] = [
            "Take the names of the people out of the summary: it goes into the decision register"
        ]
    for key, question in rules.checklist_unticked(checklist):
        problems[f"checklist-{key}"] = [f"Select to confirm you have considered: {question}"]
    if not rules.declaration_matches(actor, fields.get("signature_name") or ""):
        problems["signature_name"] = [
            f"Enter your full name as it appears on your profile: {actor.get_full_name()}"
        ]
    agency = actor.agency
    if agreement is not None and agency is not None:
        refused = agreement_usable_problem(
            agreement=agreement,
            requesting_agency=recipient if recipient is not None else agency,
            target_agency=agency,
        )
        if refused:
            problems["agreement"] = [refused]
    return problems


def record_disclosure(
    *,
    actor: User,
    occasion: str,
    fields: dict[str, Any],
    recipient: Agency | None,
    agreement: Agreement | None,
    legislation: Iterable[Legislation],
    legislation_other: str,
    checklist: dict[str, object],
    subject_names: Iterable[str] = (),
    http_request: HttpRequest | None = None,
) -> RecordedDisclosure:
    """Record the decision and its Appendix G record. ``subject_names`` are only checked
    against the summary, never kept."""
    if not permissions.can_record(actor):
        raise PermissionDenied("Only your agency's disclosing officers and SPOCs record these")
    problems = _problems(
        actor=actor,
        fields=fields,
        recipient=recipient,
        agreement=agreement,
        checklist=checklist,
        subject_names=subject_names,
    )
    if problems:
        raise ValidationError(problems)
    agency = actor.agency
    assert agency is not None
    now = timezone.now()
    with transaction.atomic():
        recorded = RecordedDisclosure.objects.create(
            agency=agency,
            occasion=Occasion(occasion),
            agreement=agreement,
            legislation_other=legislation_other,
            recorded_by=actor,
            recorded_at=now,
        )
        recorded.legislation.set(legislation)
        decision = Decision(
            recorded=recorded,
            disclosing_agency=agency,
            requesting_agency=recipient,
            discloser=actor,
            **disclosed_by(actor, agency),
            checklist=checklist,
            signed_at=now,
            **fields,
        )
        if not decision.disclosed_to_organisation and recipient is not None:
            decision.disclosed_to_organisation = recipient.name
        if decision.outcome == Outcome.DECLINED:
            decision.information_types, decision.information_types_other = [], ""
        decision.full_clean()
        decision.save()
        audit_record(
            event_type=EventType.REQUEST_DECIDED,
            actor=actor,
            http_request=http_request,
            obj=recorded,
            request_reference=recorded.reference,
            details={
                "recorded_without_request": True,
                "occasion": recorded.occasion,
                "outcome": decision.outcome,
                "consent_basis": decision.consent_basis,
                "information_types": decision.information_types,
                "delivery_method": decision.delivery_method,
            },
        )
    return recorded
