"""Every write to requests. One function per workflow transition, each in one transaction
that also writes the audit event; emails go out only after commit."""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Agency, Role, User
from agreements.models import Legislation
from audit.models import EventType
from audit.services import audit_record
from isp_portal.idempotency import create_once
from requests_app import access, files, notifications, permissions, rules, signals, timescales
from requests_app.models import (
    Attachment,
    AttachmentKind,
    Decision,
    DecisionDraft,
    InformationRequest,
    Message,
    MessageKind,
    NamedPerson,
    OnwardSharing,
    OnwardStatus,
    Outcome,
    ReferenceCounter,
    Referral,
    Side,
    Status,
    disclosed_by,
)
from requests_app.thread import posting
from requests_app.workdays import add_working_days, working_days_between
from requests_app.workflow import Action, allowed_from, target_state


class TransitionRefused(Exception):
    """The request is no longer in a state that allows this action. The message says why,
    in words the officer can act on."""


@dataclass(frozen=True)
class PersonData:
    full_name: str
    role: str
    address: str = ""
    date_of_birth: datetime.date | None = None
    consent_id: int | None = None


# Part A fields a requester writes in a draft.
DRAFT_FIELDS = (
    "target_agency",
    "agreement",
    "description",
    "required_by",
    "is_urgent",
    "urgency_reason",
    "consent_obtained",
    "public_interest",
    "public_interest_reason",
    "legislation_other",
)


def _audit_transition(
    *,
    actor: User,
    request: InformationRequest,
    action: Action,
    from_status: str,
    http_request: HttpRequest | None,
    event_type: EventType = EventType.REQUEST_TRANSITION,
    details: dict[str, Any] | None = None,
) -> None:
    audit_record(
        event_type=event_type,
        actor=actor,
        http_request=http_request,
        obj=request,
        request_reference=request.reference or "",
        details={"action": str(action), "from": from_status, "to": request.status}
        | (details or {}),
    )


def _locked(request: InformationRequest) -> InformationRequest:
    """Re-read the request under a row lock: concurrent actions queue here, and the loser
    sees the winner's state."""
    return InformationRequest.objects.select_for_update().get(pk=request.pk)


def refusal_message(request: InformationRequest, action: Action) -> str:
    if request.status in {Status.DISCLOSED, Status.PARTIALLY_DISCLOSED, Status.DECLINED}:
        decision = Decision.objects.filter(request=request).select_related("discloser").first()
        who = f" by {decision.disclosed_by_name}" if decision else ""
        when = f" on {timezone.localtime(decision.signed_at):%d %B %Y at %H:%M}" if decision else ""
        return (
            f"{request.label} was already decided{who}{when} "
            f"({request.get_status_display().lower()}). Nothing you entered was saved."
        )
    return (
        f"{request.label} is now “{request.get_status_display()}”, so it cannot be "
        f"{Action(action).label.lower()}d from here. Reload the page to see its current state."
    )


def _begin(
    *, actor: User, request: InformationRequest, action: Action
) -> tuple[InformationRequest, str]:
    locked = _locked(request)
    locked._history_user = actor  # simple-history: who, even outside a web request
    if not permissions.is_actor_for(actor, action, locked):
        raise PermissionDenied
    if not allowed_from(action, locked.status):
        raise TransitionRefused(refusal_message(locked, action))
    return locked, locked.status


def _set_people(request: InformationRequest, people: Sequence[PersonData]) -> None:
    request.people.all().delete()
    NamedPerson.objects.bulk_create(
        NamedPerson(
            request=request,
            full_name=p.full_name,
            role=p.role,
            address=p.address,
            date_of_birth=p.date_of_birth,
            consent_id=p.consent_id,
            position=i,
        )
        for i, p in enumerate(people)
    )


def request_create_draft(
    *,
    actor: User,
    fields: dict[str, Any],
    people: Sequence[PersonData] = (),
    legislation: Iterable[Legislation] = (),
    creation_token: uuid.UUID | None = None,
    also_ask: Iterable[Agency] = (),
    http_request: HttpRequest | None = None,
    audit_details: dict[str, Any] | None = None,
) -> InformationRequest:
    """A new draft (``audit_details``: said in its creation's audit event). With a
    ``creation_token``, a second post of the same form (a double
    click, a browser retry, the back button) updates the draft the first one made instead
    of making another: the token is unique, so of two posts at once one makes it and the
    other finds it."""
    if not actor.has_role(Role.REQUESTING_OFFICER) or actor.agency is None:
        raise PermissionDenied
    made = _draft_made_with(actor, creation_token) if creation_token else None
    if made is None:
        try:
            return _create_draft(
                actor=actor,
                fields=fields,
                people=people,
                legislation=legislation,
                creation_token=creation_token,
                also_ask=also_ask,
                http_request=http_request,
                audit_details=audit_details or {},
            )
        except IntegrityError:
            made = _draft_made_with(actor, creation_token) if creation_token else None
            if made is None:
                raise
    return request_update_draft(
        actor=actor,
        request=made,
        fields=fields,
        people=people or None,
        legislation=legislation or None,
        also_ask=also_ask or None,
        http_request=http_request,
    )


def _draft_made_with(actor: User, creation_token: uuid.UUID) -> InformationRequest | None:
    return InformationRequest.objects.filter(requester=actor, creation_token=creation_token).first()


def _create_draft(
    *,
    actor: User,
    fields: dict[str, Any],
    people: Sequence[PersonData],
    legislation: Iterable[Legislation],
    creation_token: uuid.UUID | None,
    also_ask: Iterable[Agency],
    http_request: HttpRequest | None,
    audit_details: dict[str, Any],
) -> InformationRequest:
    with transaction.atomic():
        request = InformationRequest(
            requester=actor,
            requesting_agency=actor.agency,
            creation_token=creation_token,
            **{k: v for k, v in fields.items() if k in DRAFT_FIELDS},
        )
        # The token's uniqueness is the database's to enforce, atomically.
        request.full_clean(exclude=["reference", "creation_token"])
        request._history_user = actor
        request.save()
        request.legislation.set(legislation)
        request.also_ask.set(also_ask)
        _set_people(request, people)
        access.grant_on_create(request)
        audit_record(
            event_type=EventType.REQUEST_CREATED,
            actor=actor,
            http_request=http_request,
            obj=request,
            details={"target_agency": request.target_agency.code, "people": len(people)}
            | _also_ask_details(also_ask)
            | audit_details,
        )
    return request


def request_update_draft(
    *,
    actor: User,
    request: InformationRequest,
    fields: dict[str, Any],
    people: Sequence[PersonData] | None = None,
    legislation: Iterable[Legislation] | None = None,
    also_ask: Iterable[Agency] | None = None,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    """Save a task of a draft: its fields, and the people, the legislation or the other
    agencies asked when given (None leaves them as they are)."""
    with transaction.atomic():
        locked = _locked(request)
        locked._history_user = actor
        if not permissions.can_edit_draft(actor, locked):
            if locked.requester_id == actor.pk:
                raise TransitionRefused(
                    f"{locked.label} has been submitted, so it can no longer be changed."
                )
            raise PermissionDenied
        for name, value in fields.items():
            if name in DRAFT_FIELDS:
                setattr(locked, name, value)
        locked.full_clean(exclude=["reference", "creation_token"])
        locked.save()
        if legislation is not None:
            locked.legislation.set(legislation)
        if people is not None:
            _set_people(locked, people)
        if also_ask is not None:
            locked.also_ask.set(also_ask)
        audit_record(
            event_type=EventType.REQUEST_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            details={"fields": sorted(set(fields) & set(DRAFT_FIELDS))}
            | ({"people": len(people)} if people is not None else {})
            | (_also_ask_details(also_ask) if also_ask is not None else {}),
        )
    return locked


def _also_ask_details(also_ask: Iterable[Agency]) -> dict[str, Any]:
    codes = sorted(agency.code for agency in also_ask)
    return {"also_ask": codes} if codes else {}


def _next_reference(year: int) -> str:
    """ISP-2026-00042: per year, unique, and without gaps, because the counter row is
    locked until the submitting transaction commits."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"ISP-{year}-{counter.last_number:05d}"


def request_submit(
    *,
    actor: User,
    request: InformationRequest,
    declaration_name: str,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    """Sign and send. Checks every rule of the form and the protocol first."""
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.SUBMIT)
        problems = rules.submission_problems(locked)
        if not rules.declaration_matches(actor, declaration_name):
            problems.setdefault("declaration_name", []).append(
                f"Type your full name as it appears on your profile: {actor.get_full_name()}"
            )
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        today = timezone.localdate(now)
        agency = actor.home_agency
        locked.reference = _next_reference(today.year)
        locked.status = target_state(Action.SUBMIT)
        locked.declaration_name = declaration_name.strip()
        locked.submitted_at = now
        # Submission delivers the form to the disclosing agency: Part B's "date received".
        locked.received_on = today
        locked.requester_name = actor.get_full_name()
        locked.requester_position = actor.position
        locked.requester_organisation = ", ".join(filter(None, [agency.name, actor.department]))
        locked.requester_address = agency.address
        locked.requester_phone = actor.phone or agency.phone
        locked.requester_email = actor.email
        locked.due_on = timescales.due_on(
            agency=locked.target_agency,
            agreement=locked.agreement,
            is_urgent=locked.is_urgent,
            required_by=locked.required_by,
            now=now,
        )
        locked.save()
        access.grant_on_submit(locked)
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.SUBMIT,
            from_status=from_status,
            http_request=http_request,
        )
        notifications.on_submitted(locked)
    return locked


def request_start_review(
    *, actor: User, request: InformationRequest, http_request: HttpRequest | None = None
) -> InformationRequest:
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.START_REVIEW)
        locked.status = target_state(Action.START_REVIEW)
        locked.review_started_on = timezone.localdate()
        locked.save(update_fields=["status", "review_started_on", "updated_at"])
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.START_REVIEW,
            from_status=from_status,
            http_request=http_request,
        )
    return locked


def request_ask_clarification(
    *,
    actor: User,
    request: InformationRequest,
    question: str,
    upload: UploadedFile | None = None,
    post_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Message:
    """Ask on the request's thread, and pause the clock until the requester answers."""
    if not question.strip():
        raise ValidationError({"question": ["Enter the question for the requester"]})
    with transaction.atomic():
        _locked(request)  # a second post of the same form waits here for the first
        earlier = posting.earlier_post(post_token, request=request, actor=actor)
        if earlier is not None:
            return earlier
        locked, from_status = _begin(actor=actor, request=request, action=Action.ASK_CLARIFICATION)
        now = timezone.now()
        if locked.review_started_on is None:
            locked.review_started_on = timezone.localdate(now)
        locked.status = target_state(Action.ASK_CLARIFICATION)
        locked.clock_paused_at = now
        locked.save(update_fields=["status", "clock_paused_at", "review_started_on", "updated_at"])
        message = posting.post_message(
            request=locked,
            actor=actor,
            side=Side.DISCLOSING,
            kind=MessageKind.CLARIFICATION_ASKED,
            body=question,
            upload=upload,
            post_token=post_token,
            http_request=http_request,
        )
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.ASK_CLARIFICATION,
            from_status=from_status,
            http_request=http_request,
        )
        notifications.on_clarification_asked(locked)
    return message


def request_answer_clarification(
    *,
    actor: User,
    request: InformationRequest,
    answer: str,
    upload: UploadedFile | None = None,
    post_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Message:
    """Answer on the request's thread and restart the clock: the due date moves on by the
    working days it was paused."""
    if not answer.strip():
        raise ValidationError({"answer": ["Enter your answer"]})
    with transaction.atomic():
        _locked(request)  # a second post of the same form waits here for the first
        earlier = posting.earlier_post(post_token, request=request, actor=actor)
        if earlier is not None:
            return earlier
        locked, from_status = _begin(
            actor=actor, request=request, action=Action.ANSWER_CLARIFICATION
        )
        now = timezone.now()
        message = posting.post_message(
            request=locked,
            actor=actor,
            side=Side.REQUESTING,
            kind=MessageKind.CLARIFICATION_GIVEN,
            body=answer,
            upload=upload,
            post_token=post_token,
            http_request=http_request,
        )
        paused = 0
        if locked.clock_paused_at is not None and locked.due_on is not None:
            paused = working_days_between(
                timezone.localdate(locked.clock_paused_at), timezone.localdate(now)
            )
            locked.due_on = add_working_days(locked.due_on, paused) if paused else locked.due_on
        locked.clock_paused_at = None
        locked.status = target_state(Action.ANSWER_CLARIFICATION)
        locked.save(update_fields=["status", "clock_paused_at", "due_on", "updated_at"])
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.ANSWER_CLARIFICATION,
            from_status=from_status,
            http_request=http_request,
            details={"working_days_paused": paused},
        )
        notifications.on_clarification_answered(locked)
    return message


def request_refer(
    *,
    actor: User,
    request: InformationRequest,
    manager: User,
    reason: str,
    http_request: HttpRequest | None = None,
) -> Referral:
    """Refer to the agency's designated manager / Caldicott Guardian (ISP 4.5)."""
    if manager.agency_id != request.target_agency_id or not manager.has_role(
        Role.DESIGNATED_MANAGER
    ):
        raise ValidationError({"manager": ["Choose a designated manager of your own agency"]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why disclosure may breach confidentiality"]})
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.REFER)
        locked.status = target_state(Action.REFER)
        locked.save(update_fields=["status", "updated_at"])
        referral = Referral.objects.create(
            request=locked,
            referred_to=manager,
            referred_by=actor,
            reason=reason.strip(),
            referred_at=timezone.now(),
        )
        access.grant_on_referral(locked, manager)
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.REFER,
            from_status=from_status,
            http_request=http_request,
            details={"referred_to": manager.username},
        )
        notifications.on_referred(locked, manager)
    return referral


def request_assign(
    *,
    actor: User,
    request: InformationRequest,
    assignee: User | None,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    """Give the request to a disclosing officer of the target agency, or to nobody
    (``assignee=None``): a disclosing officer takes it for themselves; the SPOC or deputy
    assigns, reassigns or unassigns it. Only while it is open."""
    with transaction.atomic():
        locked = _locked(request)
        locked._history_user = actor  # simple-history: who, even outside a web request
        if not permissions.may_assign(actor, locked):
            raise PermissionDenied
        if not permissions.is_assignable(locked):
            raise TransitionRefused(
                f"{locked.label} is now “{locked.get_status_display()}”, so who works on it "
                "can no longer be changed. Reload the page to see its current state."
            )
        if not permissions.can_assign(actor, locked, assignee):
            if assignee is not None and assignee.pk == actor.pk and locked.assigned_to_id:
                raise TransitionRefused(
                    f"{locked.label} is already assigned to {locked.assigned_to}. "
                    "Ask your SPOC or deputy SPOC to reassign it."
                )
            raise PermissionDenied
        if assignee is not None and not permissions.can_be_assigned(assignee, locked):
            raise ValidationError(
                {"assignee": ["Choose an active disclosing officer of the disclosing agency"]}
            )
        previous = locked.assigned_to
        if (previous.pk if previous else None) == (assignee.pk if assignee else None):
            return locked
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            event_type=EventType.REQUEST_ASSIGNED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.reference or "",
            details={
                "from": previous.username if previous else "",
                "to": assignee.username if assignee else "",
            },
        )
    return locked


def request_give_advice(
    *,
    actor: User,
    request: InformationRequest,
    advice: str,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    if not advice.strip():
        raise ValidationError({"advice": ["Enter your advice to the disclosing officer"]})
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.GIVE_ADVICE)
        referral = locked.referrals.filter(referred_to=actor, advised_at__isnull=True).last()
        if referral is None:
            raise PermissionDenied
        referral.advice = advice.strip()
        referral.advised_at = timezone.now()
        referral.save(update_fields=["advice", "advised_at"])
        locked.status = target_state(Action.GIVE_ADVICE)
        locked.save(update_fields=["status", "updated_at"])
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.GIVE_ADVICE,
            from_status=from_status,
            http_request=http_request,
        )
        notifications.on_advice_given(locked)
    return locked


def request_decide(
    *,
    actor: User,
    request: InformationRequest,
    fields: dict[str, Any],
    http_request: HttpRequest | None = None,
) -> Decision:
    """Record Part B and the Appendix G record. The row lock makes concurrent decisions
    queue: the first wins, the second is told the request was already decided."""
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.DECIDE)
        agency = actor.home_agency
        now = timezone.now()
        decision = Decision(
            request=locked,
            discloser=actor,
            **disclosed_by(actor, agency),
            disclosed_to_name=locked.requester_name,
            disclosed_to_organisation=locked.requester_organisation,
            disclosed_to_phone=locked.requester_phone,
            signed_at=now,
            **fields,
        )
        if decision.outcome == Outcome.DECLINED:
            decision.information_disclosed = ""
            decision.information_attached = False
        else:
            decision.supplied_on = decision.supplied_on or timezone.localdate(now)
            decision.information_attached = (
                decision.information_attached
                or locked.attachments.filter(kind=AttachmentKind.DISCLOSURE).exists()
            )
        problems = rules.decision_problems(
            locked,
            actor=actor,
            consent_basis=decision.consent_basis,
            summary=decision.summary,
            checklist=decision.checklist,
            signature_name=decision.signature_name,
            today=timezone.localdate(now),
        )
        if problems:
            raise ValidationError(problems)
        decision.full_clean()
        decision.save()
        DecisionDraft.objects.filter(request=locked).delete()
        if decision.outcome == Outcome.DECLINED:
            _discard_draft_files(request=locked, actor=actor, http_request=http_request)
        locked.status = Status(decision.outcome)
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        access.grant_on_decision(locked)
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.DECIDE,
            from_status=from_status,
            http_request=http_request,
            event_type=EventType.REQUEST_DECIDED,
            details={
                "outcome": decision.outcome,
                "consent_basis": decision.consent_basis,
                "information_types": decision.information_types,
                "delivery_method": decision.delivery_method,
            },
        )
        notifications.on_decided(locked)
    return decision


def decision_draft_save(
    *,
    actor: User,
    request: InformationRequest,
    section: str,
    answers: dict[str, list[str]],
    http_request: HttpRequest | None = None,
) -> DecisionDraft:
    """Keep one section of the decision as the officer answered it, so the task list can
    be left and returned to. Only someone who may decide may write it, and only while the
    request can be decided. The audit records which section changed, never the answers."""
    with transaction.atomic():
        locked = _locked(request)
        if not permissions.is_actor_for(actor, Action.DECIDE, locked):
            raise PermissionDenied
        if not allowed_from(Action.DECIDE, locked.status):
            raise TransitionRefused(refusal_message(locked, Action.DECIDE))
        draft, _created = DecisionDraft.objects.select_for_update().get_or_create(
            request=locked, defaults={"updated_by": actor}
        )
        draft.answers = {**draft.answers, section: answers}
        draft.updated_by = actor
        draft.save(update_fields=["answers", "updated_by", "updated_at"])
        audit_record(
            event_type=EventType.REQUEST_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.reference or "",
            details={"decision_draft": section},
        )
    return draft


def request_withdraw(
    *,
    actor: User,
    request: InformationRequest,
    reason: str,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.WITHDRAW)
        locked.status = target_state(Action.WITHDRAW)
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason.strip()
        locked.clock_paused_at = None
        locked.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawal_reason",
                "clock_paused_at",
                "updated_at",
            ]
        )
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.WITHDRAW,
            from_status=from_status,
            http_request=http_request,
        )
        _discard_draft_files(request=locked, actor=actor, http_request=http_request)
        DecisionDraft.objects.filter(request=locked).delete()
        if from_status != Status.DRAFT:
            notifications.on_withdrawn(locked)
    return locked


def request_return_information(
    *, actor: User, request: InformationRequest, http_request: HttpRequest | None = None
) -> InformationRequest:
    """The requester no longer needs the information: it goes back to the DLO (App. B)."""
    with transaction.atomic():
        locked, from_status = _begin(actor=actor, request=request, action=Action.RETURN_INFORMATION)
        locked.status = target_state(Action.RETURN_INFORMATION)
        locked.returned_at = timezone.now()
        locked.save(update_fields=["status", "returned_at", "updated_at"])
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.RETURN_INFORMATION,
            from_status=from_status,
            http_request=http_request,
        )
        notifications.on_returned(locked)
    return locked


def _discard_draft_files(
    *, request: InformationRequest, actor: User, http_request: HttpRequest | None
) -> None:
    """Nothing is disclosed (declined or withdrawn): the files the disclosing side prepared
    go, and the disposal is recorded as retention records it."""
    count = files.delete_attachments(request.attachments.filter(kind=AttachmentKind.DISCLOSURE))
    if count:
        signals.draft_files_discarded.send(
            sender=InformationRequest,
            request=request,
            destroyed=[f"draft_decision_files:{count}"],
            actor=actor,
            http_request=http_request,
        )


def destroy_disclosed_content(*, request: InformationRequest) -> list[str]:
    """Delete the disclosed text and files; keep the metadata and the Appendix G record.

    Returns what was destroyed (kinds, never content), for the audit and disposal records.
    Files are removed from storage after commit, so a rollback never loses a file whose
    row survives.
    """
    destroyed: list[str] = []
    decision = Decision.objects.filter(request=request).first()
    if decision is not None and decision.information_disclosed:
        decision.information_disclosed = ""
        decision.content_destroyed_at = timezone.now()
        decision.save(update_fields=["information_disclosed", "content_destroyed_at"])
        destroyed.append("disclosed_text")
    count = files.delete_attachments(request.attachments.filter(kind=AttachmentKind.DISCLOSURE))
    if count:
        destroyed.append(f"disclosed_files:{count}")
    return destroyed


def request_confirm_destruction(
    *, actor: User, request: InformationRequest, http_request: HttpRequest | None = None
) -> InformationRequest:
    """The DLO confirms destruction: the content goes, the record stays, the request closes."""
    with transaction.atomic():
        locked, from_status = _begin(
            actor=actor, request=request, action=Action.CONFIRM_DESTRUCTION
        )
        destroyed = destroy_disclosed_content(request=locked)
        locked.status = target_state(Action.CONFIRM_DESTRUCTION)
        locked.destroyed_at = timezone.now()
        locked.destroyed_by = actor
        locked.save(update_fields=["status", "destroyed_at", "destroyed_by", "updated_at"])
        _audit_transition(
            actor=actor,
            request=locked,
            action=Action.CONFIRM_DESTRUCTION,
            from_status=from_status,
            http_request=http_request,
            details={"destroyed": destroyed},
        )
        signals.disclosed_content_destroyed.send(
            sender=InformationRequest,
            request=locked,
            destroyed=destroyed,
            actor=actor,
            http_request=http_request,
        )
    return locked


def onward_sharing_ask(
    *,
    actor: User,
    request: InformationRequest,
    third_party: str,
    purpose: str,
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> OnwardSharing:
    """Ask the disclosing agency's DLO before passing information to a third party. The
    same form posted again (``submission_token``) asks once."""
    errors = {}
    if not third_party.strip():
        errors["third_party"] = ["Enter who you want to pass the information to"]
    if not purpose.strip():
        errors["purpose"] = ["Enter the purpose"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(request)
        if not permissions.can_ask_onward_sharing(actor, locked):
            raise PermissionDenied

        def create() -> OnwardSharing:
            onward = OnwardSharing.objects.create(
                request=locked,
                third_party=third_party.strip(),
                purpose=purpose.strip(),
                asked_by=actor,
                asked_at=timezone.now(),
            )
            audit_record(
                event_type=EventType.ONWARD_SHARING,
                actor=actor,
                http_request=http_request,
                obj=onward,
                request_reference=locked.reference or "",
                details={"step": "asked"},
            )
            notifications.on_onward_asked(locked)
            return onward

        onward, _ = create_once(OnwardSharing, token=submission_token, actor=actor, create=create)
    return onward


def onward_sharing_answer(
    *,
    actor: User,
    onward: OnwardSharing,
    agree: bool,
    reason: str,
    http_request: HttpRequest | None = None,
) -> OnwardSharing:
    with transaction.atomic():
        locked = (
            OnwardSharing.objects.select_for_update().select_related("request").get(pk=onward.pk)
        )
        if not permissions.can_answer_onward_sharing(actor, locked.request):
            raise PermissionDenied
        if locked.status != OnwardStatus.PENDING:
            raise TransitionRefused("This onward sharing request has already been answered.")
        if not agree and not reason.strip():
            raise ValidationError({"reason": ["Give the reason for refusing"]})
        locked.status = OnwardStatus.AGREED if agree else OnwardStatus.REFUSED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.answer_reason = reason.strip()
        locked.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
        audit_record(
            event_type=EventType.ONWARD_SHARING,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.request.reference or "",
            details={"step": "answered", "outcome": locked.status},
        )
        notifications.on_onward_answered(locked.request)
    return locked


def attachment_add(
    *,
    actor: User,
    request: InformationRequest,
    upload: UploadedFile,
    kind: AttachmentKind,
    upload_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Attachment:
    """Attach a file. With an ``upload_token``, a second post of the same form (a double
    click, a browser retry) returns the file the first one attached: the request row is
    locked, so the second post waits for the first and then finds its attachment."""
    with transaction.atomic():
        locked = _locked(request)
        allowed = (
            permissions.can_edit_draft(actor, locked)
            if kind == AttachmentKind.REQUEST
            else permissions.can_add_disclosure_files(actor, locked)
        )
        if not allowed:
            raise PermissionDenied
        earlier = files.earlier_upload(upload_token, request=locked, actor=actor, kind=kind)
        if earlier is not None:
            return earlier
        attachment = files.store_attachment(
            request=locked, actor=actor, upload=upload, kind=kind, upload_token=upload_token
        )
        audit_record(
            event_type=EventType.REQUEST_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.reference or "",
            details={"attachment_added": attachment.pk, "kind": kind, "bytes": attachment.size},
        )
    return attachment


def attachment_remove(
    *, actor: User, attachment: Attachment, http_request: HttpRequest | None = None
) -> None:
    """Remove a file before it is relied on: a request file from a draft, a draft decision
    file before the decision is signed. The audit keeps what went, never the file."""
    with transaction.atomic():
        locked = _locked(attachment.request)
        found = locked.attachments.filter(pk=attachment.pk).first()
        if found is None or not permissions.can_remove_attachment(actor, found.kind, locked):
            raise PermissionDenied
        details = {
            "attachment_removed": found.pk,
            "kind": found.kind,
            "bytes": found.size,
            "sha256": found.sha256,
        }
        files.delete_attachments([found])
        audit_record(
            event_type=EventType.REQUEST_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.reference or "",
            details=details,
        )
