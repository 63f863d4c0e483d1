"""Data-subject rights (`002_…` 3.2): rectification, erasure and restriction reaching every
agency the data was shared with, and the subject-access search.

A SPOC or deputy records a case for a person (name and date of birth). The portal lists the
people named on requests that match; the SPOC confirms which are really that person. Each
agency that received data about them in a confirmed request gets a task; the case is complete
when every task is done. Audit details hold ids and references, never the person.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AGENCY_OVERSIGHT_ROLES, User
from audit.models import EventType
from audit.services import audit_record
from consent.models import ConsentRecord
from consent.selectors import consents_visible_to
from isp_portal.access import Read, get_visible_or_404
from isp_portal.idempotency import create_once
from requests_app.models import Decision, InformationRequest, NamedPerson
from requests_app.models import (
    Outcome as DecisionOutcome,
)
from requests_app.permissions import Part, visible_parts
from requests_app.selectors import information_disclosed_text, requests_visible_to
from rights.models import RightsCase, RightsKind, RightsMatch, RightsStatus, RightsTask

# Permissions -------------------------------------------------------------------------


def handles_rights(user: User) -> bool:
    """SPOCs and deputies handle rights cases for their agency (ISP 8.1)."""
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return False
    return bool(user.role_set & AGENCY_OVERSIGHT_ROLES)


# Reads -------------------------------------------------------------------------------


def cases_for(user: User) -> QuerySet[RightsCase]:
    if not handles_rights(user):
        return RightsCase.objects.none()
    return RightsCase.objects.filter(agency=user.agency)


def tasks_for(user: User) -> QuerySet[RightsTask]:
    """Tasks for the agencies that received the data."""
    if not handles_rights(user):
        return RightsTask.objects.none()
    return RightsTask.objects.filter(recipient_agency_id=user.agency_id)


def _case_details(case: RightsCase) -> dict[str, str]:
    return {"case": case.reference}


CASE_VIEWED = Read(EventType.RECORD_VIEWED, _case_details)
SUBJECT_ACCESS_VIEWED = Read(EventType.SUBJECT_ACCESS, _case_details)


def get_case_for(
    user: User,
    pk: int,
    *,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
    read: Read | None = CASE_VIEWED,
) -> RightsCase:
    """The case, for its agency's SPOC and deputy; 404 (audited) for anyone else. Shown in
    answer to a GET, the read is audited as ``read`` (None where the view records an export
    instead)."""
    return get_visible_or_404(
        cases_for(user).select_related("agency", "created_by", "confirmed_by"),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        read=read,
    )


def get_task_for(
    user: User, pk: int, *, http_request: HttpRequest | None = None, for_update: bool = False
) -> RightsTask:
    """The task, for the recipient agency's SPOC and deputy; 404 (audited, with the
    request's reference) otherwise."""
    return get_visible_or_404(
        tasks_for(user).select_related("case", "case__agency", "request"),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        reference="request__reference",
    )


def _normalised(name: str) -> str:
    return " ".join(name.split())


def candidates(case: RightsCase) -> QuerySet[NamedPerson]:
    """People named on the agency's requests who match the case's name and date of birth.

    For rectification, erasure and restriction: requests the agency disclosed data in. For
    subject access: every request the agency made or received.
    """
    people = NamedPerson.objects.filter(
        full_name__iexact=_normalised(case.person_name),
        date_of_birth=case.person_date_of_birth,
    )
    if case.kind == RightsKind.ACCESS:
        people = people.filter(
            Q(request__target_agency_id=case.agency_id, request__submitted_at__isnull=False)
            | Q(request__requesting_agency_id=case.agency_id)
        )
    else:
        people = people.filter(
            request__target_agency_id=case.agency_id,
            request__decision__outcome__in=[
                DecisionOutcome.DISCLOSED,
                DecisionOutcome.PARTIALLY_DISCLOSED,
            ],
        )
    return people.select_related(
        "request", "request__requesting_agency", "request__target_agency"
    ).order_by("request__submitted_at", "request_id", "position")


@dataclass(frozen=True)
class SubjectAccess:
    requests: list[InformationRequest]
    decisions: list[Decision]
    consents: list[ConsentRecord]


def subject_access(case: RightsCase, user: User) -> SubjectAccess:
    """Everything the agency's records hold about the confirmed person that this officer
    may see: the requests they were confirmed on, the decisions on those, and consent
    records about them, each through its own need-to-know selector."""
    request_ids = (
        requests_visible_to(user).filter(pk__in=case.matches.values("request_id")).values("pk")
    )
    requests = list(
        InformationRequest.objects.filter(pk__in=request_ids)
        .select_related("requesting_agency", "target_agency")
        .order_by("submitted_at", "pk")
    )
    decisions = list(
        Decision.objects.filter(request_id__in=request_ids)
        .select_related("request")
        .order_by("signed_at")
    )
    consents = list(
        consents_visible_to(user)
        .filter(
            Q(people__in=case.matches.values("person_id"))
            | Q(
                subject_name__iexact=_normalised(case.person_name),
                subject_date_of_birth=case.person_date_of_birth,
            )
        )
        .filter(
            Q(given_to_agency_id=case.agency_id)
            | Q(recorded_by__agency_id=case.agency_id)
            | Q(people__request_id__in=request_ids)
        )
        .select_related("given_to_agency")
        .distinct()
        .order_by("recorded_at", "pk")
    )
    return SubjectAccess(requests=requests, decisions=decisions, consents=consents)


SUBJECT_ACCESS_HEADER = ["record", "reference", "date", "agencies", "status or outcome", "details"]


def subject_access_rows(case: RightsCase, user: User) -> list[list[str]]:
    """The subject-access list as rows for a CSV file, in the order of
    ``SUBJECT_ACCESS_HEADER``; the disclosed content only where this officer sees it at the
    request's stage (``permissions.SEES``)."""
    found = subject_access(case, user)
    rows = []
    for r in found.requests:
        rows.append(
            [
                "request",
                r.reference or "Draft",
                f"{r.submitted_at or r.created_at:%Y-%m-%d}",
                f"{r.requesting_agency.code} to {r.target_agency.code}",
                r.get_status_display(),
                r.description,
            ]
        )
    for d in found.decisions:
        if d.request is None:  # a disclosure recorded without a request names nobody
            continue
        rows.append(
            [
                "decision",
                d.request.reference or "",
                f"{d.signed_at:%Y-%m-%d}",
                d.disclosed_by_organisation,
                d.get_outcome_display(),
                information_disclosed_text(
                    d.request,
                    d,
                    sees_content=Part.DISCLOSED_CONTENT in visible_parts(user, d.request),
                ),
            ]
        )
    for c in found.consents:
        rows.append(
            [
                "consent",
                c.reference,
                f"{c.recorded_at:%Y-%m-%d}",
                c.given_to_agency.code,
                c.get_status_display(),
                c.purposes,
            ]
        )
    return rows


# Writes ------------------------------------------------------------------------------


def rights_case_create(
    *,
    actor: User,
    kind: str,
    person_name: str,
    person_date_of_birth: datetime.date,
    instructions: str,
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> RightsCase:
    """Record a rights case. The same form posted again (``submission_token``) records
    it once."""
    if not handles_rights(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in RightsKind.values:
        errors["kind"] = ["Choose what must be done"]
    if not _normalised(person_name):
        errors["person_name"] = ["Enter the person's full name"]
    if person_date_of_birth > timezone.localdate():
        errors["person_date_of_birth"] = ["Date of birth must be in the past"]
    if kind != RightsKind.ACCESS and not instructions.strip():
        errors["instructions"] = ["Say what recipients must do"]
    if errors:
        raise ValidationError(errors)

    def create() -> RightsCase:
        case = RightsCase.objects.create(
            agency=actor.home_agency,
            kind=kind,
            person_name=_normalised(person_name),
            person_date_of_birth=person_date_of_birth,
            instructions=instructions.strip(),
            created_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            event_type=EventType.RIGHTS_CASE,
            actor=actor,
            obj=case,
            details={"step": "recorded", "case": case.reference, "kind": kind},
            http_request=http_request,
        )
        return case

    with transaction.atomic():
        case, _ = create_once(RightsCase, token=submission_token, actor=actor, create=create)
    return case


def rights_case_confirm(
    *,
    actor: User,
    case: RightsCase,
    person_ids: Iterable[int],
    http_request: HttpRequest | None = None,
) -> RightsCase:
    """The SPOC confirms which matches are the person; each recipient agency of a confirmed
    request gets a task (none for subject access)."""
    with transaction.atomic():
        locked = get_case_for(actor, case.pk, http_request=http_request, for_update=True)
        if locked.status != RightsStatus.MATCHING:
            raise ValidationError("The matches for this case were already confirmed.")
        chosen = set(person_ids)
        people = [p for p in candidates(locked) if p.pk in chosen]
        if len(people) != len(chosen):
            raise ValidationError({"people": ["Choose only from the matches listed"]})
        RightsMatch.objects.bulk_create(
            RightsMatch(case=locked, person=p, request=p.request) for p in people
        )
        requests = {p.request_id: p.request for p in people}
        if locked.kind != RightsKind.ACCESS:
            RightsTask.objects.bulk_create(
                RightsTask(case=locked, request=r, recipient_agency_id=r.requesting_agency_id)
                for r in requests.values()
            )
        now = timezone.now()
        locked.confirmed_by = actor
        locked.confirmed_at = now
        has_tasks = locked.tasks.exists()
        locked.status = RightsStatus.IN_PROGRESS if has_tasks else RightsStatus.COMPLETE
        locked.completed_at = None if has_tasks else now
        locked.save(update_fields=["confirmed_by", "confirmed_at", "status", "completed_at"])
        audit_record(
            event_type=EventType.RIGHTS_CASE,
            actor=actor,
            obj=locked,
            details={
                "step": "confirmed",
                "case": locked.reference,
                "matches": len(people),
                "requests": sorted(r.reference or str(r.pk) for r in requests.values()),
                "tasks": locked.tasks.count(),
            },
            http_request=http_request,
        )
    return locked


def rights_task_done(
    *, actor: User, task: RightsTask, note: str, http_request: HttpRequest | None = None
) -> RightsTask:
    """A recipient's SPOC says the data was rectified, erased or restricted."""
    with transaction.atomic():
        locked = get_task_for(actor, task.pk, http_request=http_request, for_update=True)
        if locked.is_done:
            raise ValidationError("This task was already marked as done.")
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.note = note.strip()
        locked.save(update_fields=["done_at", "done_by", "note"])
        case = RightsCase.objects.select_for_update().get(pk=locked.case_id)
        finished = not case.tasks.filter(done_at__isnull=True).exists()
        if finished:
            case.status = RightsStatus.COMPLETE
            case.completed_at = locked.done_at
            case.save(update_fields=["status", "completed_at"])
        audit_record(
            event_type=EventType.RIGHTS_TASK,
            actor=actor,
            obj=locked,
            details={
                "case": case.reference,
                "request": locked.request.reference or "",
                "case_complete": finished,
            },
            http_request=http_request,
        )
    return locked


def subject_access_exported(
    *, actor: User, case: RightsCase, rows: int, http_request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        audit_record(
            event_type=EventType.EXPORT,
            actor=actor,
            obj=case,
            details={"export": "subject_access", "case": case.reference, "rows": rows},
            http_request=http_request,
        )
