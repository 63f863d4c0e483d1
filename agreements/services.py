"""Every write to the agreements register. Each change is one transaction with its audit
event; emails go after commit."""

import datetime
import logging
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Agency, User
from agreements import notifications, permissions, selectors
from agreements.content import canonical_content, content_hash
from agreements.models import (
    IN_FORCE,
    TRANSITIONS,
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    ChangeKind,
    ChangeLogEntry,
    JoinApplication,
    JoinStatus,
    Legislation,
    Signature,
)
from audit.models import EventType
from audit.services import audit_record
from isp_portal.idempotency import create_once

# The terms a draft form or a minor amendment may change.
TERM_FIELDS = (
    "title",
    "tier",
    "parent",
    "lead_agency",
    "purposes",
    "benefits",
    "data_subjects",
    "data_items",
    "special_category",
    "criminal_offence_data",
    "security",
    "transfer",
    "retention_period_days",
    "disposal_method",
    "review_frequency_months",
    "next_review_on",
    "signatory_statement",
    "dpia_needed",
    "dpia_on",
    "dpia_outcome",
    "dpia_owner",
)
PARTY_FIELDS = (
    "duties",
    "breach_contact",
    "article6",
    "article9",
    "article10",
    "dpa_s8",
    "schedule1",
    "part3",
    "schedule8",
    "basis_notes",
)
# Days before the review date on which the parties' SPOCs are reminded.
REMINDER_DAYS = frozenset({60, 30, 14, 7, 1})

logger = logging.getLogger(__name__)


class AgreementRefused(ValidationError):
    """A change the agreement's state or the rules do not allow; the message says why."""


# Helpers -------------------------------------------------------------------------------


def _audit(
    agreement: Agreement,
    *,
    actor: User | None,
    http_request: HttpRequest | None,
    event_type: EventType = EventType.AGREEMENT_CHANGED,
    **details: Any,
) -> None:
    audit_record(
        event_type=event_type,
        actor=actor,
        http_request=http_request,
        obj=agreement,
        details={
            "reference": agreement.reference,
            "version": agreement.version_label,
            "status": agreement.status,
            **details,
        },
    )


def _log(
    agreement: Agreement,
    *,
    kind: str,
    author: User | None,
    what_changed: str,
    consulted: str = "",
) -> None:
    ChangeLogEntry.objects.create(
        agreement=agreement,
        version_label=agreement.version_label,
        kind=kind,
        author=author,
        consulted=consulted,
        what_changed=what_changed,
        created_at=timezone.now(),
    )


def _move(agreement: Agreement, to: str, *extra_fields: str) -> str:
    """Change status through the one transition table; returns the old status."""
    old = agreement.status
    if to not in TRANSITIONS[old]:
        raise AgreementRefused(
            f"An agreement that is {AgreementStatus(old).label.lower()} cannot become "
            f"{AgreementStatus(to).label.lower()}."
        )
    agreement.status = to
    agreement.save(update_fields=["status", *extra_fields])
    return old


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("parent", "lead_agency")
        .get(pk=agreement.pk)
    )


def _snapshot(agreement: Agreement) -> AgreementVersion:
    content = canonical_content(agreement)
    return AgreementVersion.objects.create(
        agreement=agreement,
        minor_version=agreement.minor_version,
        content=content,
        content_hash=content_hash(content),
        created_at=timezone.now(),
    )


def _set_parties(agreement: Agreement, agencies: Iterable[Agency]) -> None:
    wanted = {a.pk for a in agencies}
    agreement.party_rows.exclude(agency_id__in=wanted).delete()
    have = set(agreement.party_rows.values_list("agency_id", flat=True))
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, agency_id=pk) for pk in sorted(wanted - have)
    )


def _check_parent(agreement: Agreement) -> None:
    parent = agreement.parent
    if parent is None:
        if agreement.tier != "protocol":
            raise AgreementRefused({"parent": "Choose the agreement this one is made under"})
        return
    if parent.reference == agreement.reference:
        raise AgreementRefused({"parent": "An agreement cannot be made under itself"})
    expected = {"agreement": "protocol", "use_case": "agreement"}.get(agreement.tier)
    if parent.tier != expected:
        raise AgreementRefused(
            {"parent": "An agreement is made under a protocol; a use case under an agreement"}
        )


# Drafts --------------------------------------------------------------------------------


def agreement_save_draft(
    *,
    actor: User,
    agreement: Agreement | None = None,
    reference: str = "",
    terms: dict[str, Any],
    legislation: Iterable[Legislation] = (),
    parties: Iterable[Agency] = (),
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> Agreement:
    """Create a draft, or change one. Nothing but a draft can be changed this way. The same
    new-agreement form posted again (``submission_token``) returns the draft the first post
    made."""
    save = partial(
        _save_draft,
        actor=actor,
        reference=reference,
        terms=terms,
        legislation=list(legislation),
        parties=list(parties),
        http_request=http_request,
    )
    with transaction.atomic():
        if agreement is None:
            made, _ = create_once(
                Agreement, token=submission_token, actor=actor, create=lambda: save(None)
            )
            return made
        return save(agreement)


def _save_draft(
    agreement: Agreement | None,
    *,
    actor: User,
    reference: str,
    terms: dict[str, Any],
    legislation: list[Legislation],
    parties: list[Agency],
    http_request: HttpRequest | None,
) -> Agreement:
    if agreement is None:
        if not permissions.can_create(actor):
            raise PermissionDenied
        agreement = Agreement(reference=reference.strip(), status=AgreementStatus.DRAFT)
        if not terms.get("lead_agency"):
            terms = {**terms, "lead_agency": actor.agency}
        creating = True
    else:
        agreement = _lock(agreement)
        if not permissions.can_edit_draft(actor, agreement):
            raise AgreementRefused("Only a draft can be changed. Amend it instead.")
        creating = False
    changed = [
        name for name in TERM_FIELDS if name in terms and getattr(agreement, name) != terms[name]
    ]
    for name in changed:
        setattr(agreement, name, terms[name])
    _check_parent(agreement)
    agreement.full_clean(exclude=["parties", "legislation"])
    agreement.save()
    before_laws = set(agreement.legislation.values_list("pk", flat=True))
    agreement.legislation.set(list(legislation))
    before_parties = set(agreement.party_rows.values_list("agency_id", flat=True))
    _set_parties(agreement, parties)
    if before_laws != {law.pk for law in legislation}:
        changed.append("legislation")
    if before_parties != {a.pk for a in parties}:
        changed.append("parties")
    if creating:
        _log(agreement, kind=ChangeKind.CREATED, author=actor, what_changed="First draft")
    elif changed:
        _log(
            agreement,
            kind=ChangeKind.EDITED,
            author=actor,
            what_changed="Changed: " + ", ".join(sorted(set(changed))),
        )
    if creating or changed:
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="created" if creating else "draft_changed",
            fields=sorted(set(changed)),
        )

    return agreement


def party_update(
    *,
    actor: User,
    party: AgreementParty,
    fields: dict[str, Any],
    http_request: HttpRequest | None = None,
) -> AgreementParty:
    """Change one party's duties, lawful bases or breach contact, in a draft."""
    with transaction.atomic():
        agreement = _lock(party.agreement)
        if not permissions.can_edit_draft(actor, agreement):
            raise AgreementRefused("Only a draft can be changed. Amend it instead.")
        party = AgreementParty.objects.select_for_update().get(pk=party.pk)
        changed = [n for n in PARTY_FIELDS if n in fields and getattr(party, n) != fields[n]]
        if not changed:
            return party
        for name in changed:
            setattr(party, name, fields[name])
        party.full_clean()
        party.save(update_fields=changed)
        _log(
            agreement,
            kind=ChangeKind.EDITED,
            author=actor,
            what_changed=f"{party.agency.code}: changed {', '.join(changed)}",
        )
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="party_changed",
            party=party.agency.code,
            fields=changed,
        )
    return party


def readiness_problems(agreement: Agreement) -> list[str]:
    """What a draft lacks before it can go for signature."""
    problems = []
    parties = list(agreement.party_rows.select_related("agency"))
    if len(parties) < 2:
        problems.append("Add at least two parties")
    if not agreement.purposes.strip():
        problems.append("State the purposes of sharing")
    if not agreement.data_items.strip() and agreement.tier != "protocol":
        problems.append("List the data to be shared")
    if agreement.next_review_on is None:
        problems.append("Set the next review date")
    elif agreement.next_review_on <= timezone.localdate():
        problems.append("The next review date must be in the future")
    for party in parties:
        if not party.duties.strip():
            problems.append(f"Give the duties of {party.agency.name}")
        if not party.article6:
            problems.append(f"Give the Article 6 lawful basis of {party.agency.name}")
        if agreement.special_category and not party.article9:
            problems.append(
                f"Special category data is involved: give the Article 9 condition of "
                f"{party.agency.name}"
            )
        if not party.breach_contact.strip():
            problems.append(f"Give the breach contact of {party.agency.name}")
    return problems


def agreement_send_for_signature(
    *, actor: User, agreement: Agreement, http_request: HttpRequest | None = None
) -> AgreementVersion:
    """Fix the draft's content (hash and all) and ask every party's signatory to sign."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not permissions.can_send_for_signature(actor, agreement):
            raise AgreementRefused("Only the lead officer can send a draft for signature.")
        problems = readiness_problems(agreement)
        if problems:
            raise AgreementRefused(problems)
        _move(agreement, AgreementStatus.AWAITING_SIGNATURES)
        snapshot = _snapshot(agreement)
        _log(agreement, kind=ChangeKind.SENT, author=actor, what_changed="Sent for signature")
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="sent_for_signature",
            content_hash=snapshot.content_hash,
        )
        notifications.on_sent_for_signature(agreement)
    return snapshot


# Signatures ----------------------------------------------------------------------------


def verify_version(snapshot: AgreementVersion) -> bool:
    """The stored content still hashes to the stored hash."""
    return content_hash(snapshot.content) == snapshot.content_hash


def agreement_sign(
    *,
    actor: User,
    agreement: Agreement,
    content_hash_seen: str,
    http_request: HttpRequest | None = None,
) -> Signature:
    """The actor signs for their agency, accepting the statement, the exact version whose
    hash they were shown. If the content changed under them, nothing is signed."""
    with transaction.atomic():
        agreement = _lock(agreement)
        party_ids = set(agreement.party_rows.values_list("agency_id", flat=True))
        signed_ids = set(agreement.signatures.values_list("agency_id", flat=True))
        if not permissions.can_sign(
            actor, agreement, party_agency_ids=party_ids, signed_agency_ids=signed_ids
        ):
            raise AgreementRefused("You cannot sign this agreement for your agency.")
        snapshot = selectors.current_version(agreement)
        if snapshot is None or not verify_version(snapshot):
            raise AgreementRefused("This version's content does not match its hash.")
        if content_hash(canonical_content(agreement)) != snapshot.content_hash:
            raise AgreementRefused(
                "The agreement has changed since it was fixed; nobody can sign it."
            )
        if content_hash_seen != snapshot.content_hash:
            raise AgreementRefused(
                "The agreement changed while you were reading it. Read it again, then sign."
            )
        signature = Signature.objects.create(
            agreement=agreement,
            signed_version=snapshot,
            agency=actor.home_agency,
            signed_by=actor,
            name=actor.get_full_name() or actor.username,
            role=actor.position,
            organisation=actor.home_agency.name,
            signed_at=timezone.now(),
            statement=agreement.signatory_statement,
            content_hash=snapshot.content_hash,
        )
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            event_type=EventType.AGREEMENT_SIGNED,
            party=actor.home_agency.code,
            content_hash=snapshot.content_hash,
        )
        if agreement.status == AgreementStatus.AWAITING_SIGNATURES and party_ids <= signed_ids | {
            actor.agency_id
        }:
            _activate(agreement, actor=actor, http_request=http_request)
    return signature


def _activate(agreement: Agreement, *, actor: User, http_request: HttpRequest | None) -> None:
    """Every party has signed: the agreement comes into force, replacing its predecessor."""
    previous = agreement.supersedes
    if previous is not None and previous.status in (*IN_FORCE, AgreementStatus.EXPIRED):
        previous = _lock(previous)
        previous.ended_at = timezone.now()
        _move(previous, AgreementStatus.SUPERSEDED, "ended_at")
        _log(
            previous,
            kind=ChangeKind.SUPERSEDED,
            author=actor,
            what_changed=f"Replaced by version {agreement.version_label}",
        )
        _audit(previous, actor=actor, http_request=http_request, action="superseded")
    agreement.activated_at = timezone.now()
    _move(agreement, AgreementStatus.ACTIVE, "activated_at")
    _audit(agreement, actor=actor, http_request=http_request, action="activated")
    notifications.on_activated(agreement)


# Amendments and reviews ----------------------------------------------------------------


def agreement_amend_substantial(
    *,
    actor: User,
    agreement: Agreement,
    what_changed: str,
    consulted: str = "",
    http_request: HttpRequest | None = None,
) -> Agreement:
    """Start version N+1 as a draft copy. The current version stays in force, under
    review, until every party has signed the new one (ISP 10)."""
    if not what_changed.strip():
        raise AgreementRefused({"what_changed": "Say what the amendment changes"})
    with transaction.atomic():
        agreement = _lock(agreement)
        if not permissions.can_amend(actor, agreement):
            raise AgreementRefused("Only the lead officer can amend this agreement.")
        if Agreement.objects.filter(
            reference=agreement.reference, status__in=["draft", "awaiting_signatures"]
        ).exists():
            raise AgreementRefused("A new version of this agreement is already being prepared.")
        draft = Agreement.objects.get(pk=agreement.pk)
        draft.pk = None
        draft.id = None
        draft._state.adding = True
        draft.version = (
            max(
                Agreement.objects.filter(reference=agreement.reference).values_list(
                    "version", flat=True
                )
            )
            + 1
        )
        draft.minor_version = 0
        draft.status = AgreementStatus.DRAFT
        draft.supersedes = agreement
        draft.activated_at = draft.ended_at = None
        draft.end_reason = ""
        draft.created_at = timezone.now()
        draft.save(force_insert=True)
        draft.legislation.set(agreement.legislation.all())
        AgreementParty.objects.bulk_create(
            AgreementParty(
                agreement=draft,
                agency_id=party.agency_id,
                **{name: getattr(party, name) for name in PARTY_FIELDS},
            )
            for party in agreement.party_rows.all()
        )
        _log(
            draft,
            kind=ChangeKind.SUBSTANTIAL,
            author=actor,
            what_changed=what_changed,
            consulted=consulted,
        )
        _audit(draft, actor=actor, http_request=http_request, action="new_version")
        if agreement.status == AgreementStatus.ACTIVE:
            _move(agreement, AgreementStatus.UNDER_REVIEW)
            _log(
                agreement,
                kind=ChangeKind.SUBSTANTIAL,
                author=actor,
                what_changed=f"Version {draft.version_label} is being prepared: {what_changed}",
                consulted=consulted,
            )
            _audit(agreement, actor=actor, http_request=http_request, action="under_review")
    return draft


def agreement_amend_minor(
    *,
    actor: User,
    agreement: Agreement,
    terms: dict[str, Any],
    what_changed: str,
    consulted: str = "",
    http_request: HttpRequest | None = None,
) -> AgreementVersion:
    """A minor amendment, signed off by the lead officer: version N.m+1, noted in the
    change log. The signatures stay with the version they signed."""
    if not what_changed.strip():
        raise AgreementRefused({"what_changed": "Say what the amendment changes"})
    with transaction.atomic():
        agreement = _lock(agreement)
        if not permissions.can_amend_minor(actor, agreement):
            raise AgreementRefused("Only the lead officer can amend an agreement in force.")
        changed = [n for n in TERM_FIELDS if n in terms and getattr(agreement, n) != terms[n]]
        if {"tier", "parent", "lead_agency"} & set(changed):
            raise AgreementRefused(
                "The tier, parent and lead agency can only change in a substantial amendment."
            )
        if not changed:
            raise AgreementRefused("Nothing was changed.")
        for name in changed:
            setattr(agreement, name, terms[name])
        agreement.minor_version += 1
        agreement.full_clean(exclude=["parties", "legislation"])
        agreement.save(update_fields=[*changed, "minor_version"])
        snapshot = _snapshot(agreement)
        _log(
            agreement,
            kind=ChangeKind.MINOR,
            author=actor,
            what_changed=what_changed,
            consulted=consulted,
        )
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="minor_amendment",
            fields=changed,
            content_hash=snapshot.content_hash,
        )
    return snapshot


def agreement_renew(
    *,
    actor: User,
    agreement: Agreement,
    next_review_on: datetime.date,
    notes: str,
    http_request: HttpRequest | None = None,
) -> Agreement:
    """The review found the agreement still necessary: it stays in force until the next."""
    if next_review_on <= timezone.localdate():
        raise AgreementRefused({"next_review_on": "The next review date must be in the future"})
    with transaction.atomic():
        agreement = _lock(agreement)
        if not permissions.can_renew(actor, agreement):
            raise AgreementRefused("Only the lead officer can record a review.")
        agreement.next_review_on = next_review_on
        agreement.save(update_fields=["next_review_on"])
        _log(
            agreement,
            kind=ChangeKind.REVIEWED,
            author=actor,
            what_changed=f"Reviewed; next review {next_review_on:%d/%m/%Y}. {notes}".strip(),
        )
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="reviewed",
            next_review_on=next_review_on.isoformat(),
        )
    return agreement


# Ends ----------------------------------------------------------------------------------


def agreement_terminate(
    *, actor: User, agreement: Agreement, reason: str, http_request: HttpRequest | None = None
) -> Agreement:
    """End the agreement now. Every party sees the reason and is told (`003_…` 12)."""
    if not reason.strip():
        raise AgreementRefused({"reason": "Give the reason the agreement is terminated"})
    with transaction.atomic():
        agreement = _lock(agreement)
        if not permissions.can_terminate(actor, agreement):
            raise AgreementRefused("Only the lead officer can terminate this agreement.")
        agreement.end_reason = reason.strip()
        agreement.ended_at = timezone.now()
        _move(agreement, AgreementStatus.TERMINATED, "end_reason", "ended_at")
        _log(agreement, kind=ChangeKind.TERMINATED, author=actor, what_changed=reason.strip())
        _audit(agreement, actor=actor, http_request=http_request, action="terminated")
        notifications.on_terminated(agreement)
    return agreement


def agreements_flag_overdue_reviews(
    *, today: datetime.date | None = None, failed: list[str] | None = None
) -> list[Agreement]:
    """Tell the lead officer and the CSP lead, once, of each agreement in force whose review
    date has passed. Run daily. The agreement stays in force: a missed review does not by
    itself stop the sharing the protocol allows (ISP 1.4, 10); everyone sees a warning.

    Each agreement is flagged in its own transaction: one that fails is logged and its
    reference added to ``failed``, and the others are still flagged."""
    today = today or timezone.localdate()
    flagged = []
    due = Agreement.objects.filter(status__in=IN_FORCE, next_review_on__lt=today).filter(
        Q(overdue_review_flagged__isnull=True) | Q(overdue_review_flagged__lt=F("next_review_on"))
    )
    for pk, reference in due.values_list("pk", "reference"):
        try:
            agreement = _flag_overdue_one(pk, today)
        except Exception:
            _report_failure(failed, "flag the overdue review of", reference)
            continue
        if agreement is not None:
            flagged.append(agreement)
    return flagged


def _flag_overdue_one(pk: int, today: datetime.date) -> Agreement | None:
    with transaction.atomic():
        agreement = _lock(Agreement(pk=pk))
        review = agreement.next_review_on
        if agreement.status not in IN_FORCE or review is None or review >= today:
            return None
        if (
            agreement.overdue_review_flagged is not None
            and agreement.overdue_review_flagged >= review
        ):
            return None
        agreement.overdue_review_flagged = review
        agreement.save(update_fields=["overdue_review_flagged"])
        _audit(
            agreement,
            actor=None,
            http_request=None,
            action="review_overdue",
            next_review_on=review.isoformat(),
        )
        notifications.on_review_overdue(agreement)
        return agreement


def _report_failure(failed: list[str] | None, what: str, reference: str) -> None:
    logger.exception("Could not %s agreement %s", what, reference)
    if failed is not None:
        failed.append(reference)


def agreements_remind_review(
    *, today: datetime.date | None = None, failed: list[str] | None = None
) -> list[Agreement]:
    """Remind the parties' SPOCs as the review date approaches (60, 30, 14, 7, 1 days).
    A reminder that fails is logged and named in ``failed``; the others are still sent."""
    today = today or timezone.localdate()
    dates = [today + datetime.timedelta(days=d) for d in REMINDER_DAYS]
    reminded = []
    for agreement in Agreement.objects.filter(status__in=IN_FORCE, next_review_on__in=dates):
        days_left = (agreement.next_review_on - today).days if agreement.next_review_on else 0
        try:
            with transaction.atomic():
                notifications.on_review_due(agreement, days_left)
        except Exception:
            _report_failure(failed, "remind the parties of", agreement.reference)
            continue
        reminded.append(agreement)
    return reminded


# New parties ---------------------------------------------------------------------------


def join_apply(
    *,
    actor: User,
    agreement: Agreement,
    duties: str,
    reason: str,
    breach_contact: str,
    http_request: HttpRequest | None = None,
) -> JoinApplication:
    if not permissions.can_apply_to_join(actor):
        raise PermissionDenied
    with transaction.atomic():
        agreement = _lock(agreement)
        if agreement.status not in IN_FORCE:
            raise AgreementRefused("Only an agreement in force can take new parties.")
        if agreement.party_rows.filter(agency=actor.agency).exists():
            raise AgreementRefused("Your agency is already a party to this agreement.")
        if JoinApplication.objects.filter(
            agreement=agreement, agency=actor.agency, status=JoinStatus.PENDING
        ).exists():
            raise AgreementRefused("Your agency has already applied to join this agreement.")
        application = JoinApplication.objects.create(
            agreement=agreement,
            agency=actor.home_agency,
            applicant=actor,
            duties=duties,
            reason=reason,
            breach_contact=breach_contact,
            applied_at=timezone.now(),
        )
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="join_applied",
            party=actor.home_agency.code,
        )
        notifications.on_join_applied(agreement)
    return application


def join_decide(
    *,
    actor: User,
    application: JoinApplication,
    approve: bool,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> JoinApplication:
    """An administrator approves or refuses. Approval admits the agency as a party (a
    minor amendment, N.m+1); its signatory then signs that version."""
    if not permissions.can_decide_applications(actor):
        raise PermissionDenied
    with transaction.atomic():
        application = JoinApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != JoinStatus.PENDING:
            raise AgreementRefused("This application has already been decided.")
        agreement = _lock(application.agreement)
        if approve and agreement.status not in IN_FORCE:
            raise AgreementRefused("The agreement is no longer in force; refuse the application.")
        application.status = JoinStatus.APPROVED if approve else JoinStatus.REFUSED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_note = note
        application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        agency = application.agency
        if approve:
            AgreementParty.objects.create(
                agreement=agreement,
                agency=agency,
                duties=application.duties,
                breach_contact=application.breach_contact,
            )
            agreement.minor_version += 1
            agreement.save(update_fields=["minor_version"])
            _snapshot(agreement)
            _log(
                agreement,
                kind=ChangeKind.PARTY_JOINED,
                author=actor,
                what_changed=f"{agency.name} admitted as a party. {note}".strip(),
            )
            notifications.on_sent_for_signature(agreement, [agency])
        _audit(
            agreement,
            actor=actor,
            http_request=http_request,
            action="join_approved" if approve else "join_refused",
            party=agency.code,
        )
        notifications.on_join_decided(agreement, agency, approve)
    return application


# For the request workflow --------------------------------------------------------------


def agreement_usable_problem(
    *, agreement: Agreement | None, requesting_agency: Agency, target_agency: Agency
) -> str | None:
    """None if a request between these agencies may be made under this agreement now;
    otherwise what stops it, in words the requester can act on."""
    if agreement is None:
        return "Choose the agreement this request is made under."
    label = f"Agreement {agreement.reference}"
    if agreement.status == AgreementStatus.EXPIRED:
        return f"{label} expired on its review date and has not been renewed. Ask your SPOC."
    if agreement.status == AgreementStatus.TERMINATED:
        return f"{label} has been terminated: {agreement.end_reason}"
    if agreement.status == AgreementStatus.SUPERSEDED:
        return (
            f"{label} version {agreement.version_label} has been replaced by a later "
            "version. Choose the current version."
        )
    if agreement.status not in IN_FORCE:
        return f"{label} is not in force yet: it is {agreement.get_status_display().lower()}."
    parties = dict(agreement.party_rows.values_list("agency_id", "agency__name"))
    signed = set(agreement.signatures.values_list("agency_id", flat=True))
    for agency in (requesting_agency, target_agency):
        if agency.pk not in parties:
            return f"{agency.name} is not a party to {agreement.reference}."
        if agency.pk not in signed:
            return f"{agency.name} has not yet signed {agreement.reference}."
    return None
