"""Every write to consent records. Each runs in one transaction with its audit event."""

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement
from agreements.selectors import agreements_visible_to
from audit.models import EventType
from audit.services import audit_record
from consent import notifications, permissions, uses
from consent.models import ConsentRecord, ConsentStatus, NoticeKind, WithdrawalNotice
from consent.rules import age_on, record_problems
from consent.selectors import withdrawals_for_review
from isp_portal.idempotency import create_once
from isp_portal.uploads import JPEG, PDF, PNG, validate_upload

SCAN_TYPES = frozenset({PDF, PNG, JPEG})

# The Appendix B form's fields, as the service accepts them.
RECORD_FIELDS = (
    "status",
    "requesting_officer_ref",
    "disclosing_officer_ref",
    "subject_name",
    "subject_address",
    "subject_date_of_birth",
    "subject_age",
    "about_signer",
    "signer_capacity",
    "signer_capacity_other",
    "reasons_explained",
    "given_to_agency",
    "disclose_to_agency",
    "purposes",
    "expires_on",
    "signer_name",
    "signer_address",
    "signer_date_of_birth",
    "signed_on",
    "witness_name",
    "witness_position",
    "witnessed_on",
    "obtained_by",
    "telephone_taken_by",
    "child_consent_by",
    "child_assessment",
    "capacity_in_doubt",
    "capacity_impairment",
    "capacity_unable_to_decide",
    "capacity_notes",
    "capacity_assessed_by",
    "capacity_assessed_on",
    "proceed_without_consent",
    "proceed_reason",
    "proceed_decided_by",
    "proceed_decided_on",
    "not_sought_ground",
    "not_sought_reason",
)


def normalised_fields(fields: Mapping[str, Any], today: datetime.date) -> dict[str, Any]:
    """The form's answers as the record keeps them: blanks for missing text, the age
    from the date of birth, the signer's details from the subject's when they are the same
    person."""
    data = {name: fields.get(name) for name in RECORD_FIELDS}
    data = {k: ("" if v is None and _is_text(k) else v) for k, v in data.items()}
    if data["about_signer"] is None:
        data["about_signer"] = True
    data["capacity_in_doubt"] = bool(data["capacity_in_doubt"])
    born = data["subject_date_of_birth"]
    if born and born <= today and data["subject_age"] is None:
        data["subject_age"] = age_on(born, today)
    if data["about_signer"] and data["status"] != ConsentStatus.NOT_SOUGHT:
        # "Is this information about you?" Yes: the signer is the person it is about.
        data["signer_name"] = data["subject_name"]
        data["signer_address"] = data["subject_address"]
        data["signer_date_of_birth"] = data["subject_date_of_birth"]
        data["signer_capacity"] = ""
        data["signer_capacity_other"] = ""
    return data


def _is_text(name: str) -> bool:
    return ConsentRecord._meta.get_field(name).get_internal_type() in {"CharField", "TextField"}


def consent_record(
    *,
    actor: User,
    fields: Mapping[str, Any],
    agreements: Iterable[Agreement] = (),
    scan: UploadedFile | None = None,
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> ConsentRecord:
    """Record consent given, refused or not sought: the Appendix B consent form and the
    protocol's rules around it. The same form posted again (``submission_token``) records
    nothing more and returns the record the first post made."""
    if not permissions.can_record(actor):
        raise PermissionDenied
    today = timezone.localdate()
    agreements = list(agreements)
    data = normalised_fields(fields, today)
    problems = record_problems(data, agreements=agreements, has_scan=scan is not None, today=today)
    visible = set(agreements_visible_to(actor).values_list("pk", flat=True))
    if any(a.pk not in visible for a in agreements):
        problems.setdefault("agreements", []).append(
            "Choose only agreements your agency is party to"
        )
    checked = None
    if scan is not None:
        try:
            checked = validate_upload(scan, allowed=SCAN_TYPES)
        except ValidationError as exc:
            problems.setdefault("scan", []).extend(exc.messages)
    if problems:
        raise ValidationError(problems)

    def create() -> ConsentRecord:
        consent = ConsentRecord(**data, recorded_by=actor)
        if scan is not None and checked is not None:
            scan.seek(0)
            consent.scan_content_type = checked.content_type
            consent.scan_size = checked.size
            consent.scan_sha256 = checked.sha256
            consent.scan.save("scan", scan, save=False)
        try:
            consent.save()
            consent.agreements.set(agreements)
            audit_record(
                event_type=EventType.CONSENT_RECORDED,
                actor=actor,
                http_request=http_request,
                obj=consent,
                details={
                    "status": consent.status,
                    "obtained_by": consent.obtained_by,
                    "given_to_agency": consent.given_to_agency.code,
                    "disclose_to_agency": consent.disclose_to_agency.code,
                    "agreements": sorted(a.reference for a in agreements),
                    "scan_bytes": consent.scan_size or 0,
                },
            )
        except Exception:
            # A stored scan must not outlive a record that was never written.
            if consent.scan and consent.scan.name:
                consent.scan.storage.delete(consent.scan.name)
            raise
        return consent

    with transaction.atomic():
        consent, _ = create_once(ConsentRecord, token=submission_token, actor=actor, create=create)
    return consent


def consent_withdraw(
    *,
    actor: User,
    consent: ConsentRecord,
    method: str,
    notes: str = "",
    withdrawn_at: datetime.datetime | None = None,
    http_request: HttpRequest | None = None,
) -> list[WithdrawalNotice]:
    """Record that the person withdrew their consent (ISP 5.1), and make it reach every
    request relying on it: open ones are flagged before their decision, decided ones go on
    the disclosing agency's list for review. Returns the notices created."""
    now = timezone.now()
    withdrawn_at = withdrawn_at or now
    if withdrawn_at > now:
        raise ValidationError({"withdrawn_at": ["The date of withdrawal cannot be in the future"]})
    if not method:
        raise ValidationError({"method": ["Choose how the person withdrew their consent"]})
    with transaction.atomic():
        locked = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
        if not permissions.can_withdraw(actor, locked):
            raise ValidationError("Only consent that has been given can be withdrawn.")
        locked.status = ConsentStatus.WITHDRAWN
        locked.withdrawn_at = withdrawn_at
        locked.withdrawal_method = method
        locked.withdrawal_notes = notes
        locked.withdrawal_recorded_by = actor
        locked.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdrawal_method",
                "withdrawal_notes",
                "withdrawal_recorded_by",
            ]
        )
        notices = _notify_requests(locked, now=now)
        audit_record(
            event_type=EventType.CONSENT_WITHDRAWN,
            actor=actor,
            http_request=http_request,
            obj=locked,
            details={
                "method": method,
                "requests_flagged": sum(n.kind == NoticeKind.OPEN for n in notices),
                "requests_for_review": sum(n.kind == NoticeKind.DECIDED for n in notices),
            },
        )
        for notice in notices:
            audit_record(
                event_type=EventType.CONSENT_WITHDRAWN,
                actor=actor,
                http_request=http_request,
                obj=notice,
                request_reference=notice.request.reference or "",
                details={"consent": locked.pk, "kind": notice.kind},
            )
        notifications.on_withdrawn(notices)
    consent.refresh_from_db()
    return notices


def _notify_requests(consent: ConsentRecord, *, now: datetime.datetime) -> list[WithdrawalNotice]:
    notices = [
        WithdrawalNotice(
            request=use.request,
            consent=consent,
            kind=NoticeKind.OPEN if use.is_open else NoticeKind.DECIDED,
            person_label=", ".join(use.person_labels),
            created_at=now,
        )
        for use in uses.live_uses(consent)
    ]
    WithdrawalNotice.objects.bulk_create(notices)
    return notices


def withdrawal_review(
    *,
    actor: User,
    notice: WithdrawalNotice,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> WithdrawalNotice:
    """The disclosing agency has considered a withdrawal reaching one of its requests."""
    with transaction.atomic():
        locked = (
            WithdrawalNotice.objects.select_for_update(of=("self",))
            .select_related("request")
            .filter(pk__in=withdrawals_for_review(actor).values("pk"))
            .filter(pk=notice.pk)
            .first()
        )
        if locked is None or not permissions.can_review_notice(actor, locked):
            raise PermissionDenied
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        locked.review_note = note
        locked.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit_record(
            event_type=EventType.CONSENT_WITHDRAWN,
            actor=actor,
            http_request=http_request,
            obj=locked,
            request_reference=locked.request.reference or "",
            details={"reviewed": True},
        )
    return locked
