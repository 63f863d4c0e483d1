"""Retention and disposal (`002_…` 4.9; ISP Appendix B).

Disclosed information is kept for its agreement's retention period, counted from the day it
was supplied (or decided, or withdrawn). After that the daily ``apply_retention`` command
destroys the disclosed text and files, the bodies and files of the request's messages, and
what identifies people (``retention.identifying``: Part A's description, the named people's
names, addresses and dates of birth, the other texts about them, and their history copies),
and reduces each consent record that no open or in-retention request still relies on (its
scan and personal details go). A disclosure recorded without a request loses its evidence
and third parties after its own period. The request's metadata and the Appendix G decision
record stay, so the register and the dashboard read the same after as before. Every disposal,
whether by the schedule or confirmed by a DLO, leaves a ``DisposalRecord`` and an audit
event that say what kind of thing went and how much of it, never what it said.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement
from agreements.selectors import retention_days_for
from audit.models import EventType
from audit.services import audit_record
from consent.models import ConsentRecord
from requests_app.models import (
    OPEN_STATUSES,
    Attachment,
    AttachmentKind,
    Decision,
    InformationRequest,
    Message,
    NamedPerson,
    Status,
)
from requests_app.services import destroy_disclosed_content
from requests_app.thread.services import destroy_thread
from retention import identifying
from retention.models import DisposalRecord, DisposalRule

logger = logging.getLogger(__name__)

# Requests not yet decided or withdrawn: they may still need the consent they rely on.
_UNFINISHED = OPEN_STATUSES | {Status.DRAFT}


def retention_ends_on(request: InformationRequest) -> datetime.date | None:
    """The last day the request's information may be kept; None while it is unfinished or
    has no agreement (and so no retention rule)."""
    if request.status in _UNFINISHED or request.agreement is None:
        return None
    decision = getattr(request, "decision", None)
    if decision is not None and decision.supplied_on is not None:
        start = decision.supplied_on
    elif request.decided_at is not None:
        start = timezone.localdate(request.decided_at)
    elif request.withdrawn_at is not None:
        start = timezone.localdate(request.withdrawn_at)
    else:
        return None
    return start + datetime.timedelta(days=retention_days_for(request.agreement))


def _historical_text(request_pk: object) -> QuerySet:
    # simple_history keeps a copy of each saved version: the disclosed text lives on there
    # unless it is destroyed too.
    return Decision.history.filter(request_id=request_pk).exclude(information_disclosed="")


def _holds_content() -> Q:
    return (
        Q(identifying_destroyed_at__isnull=True)
        | Q(decision__information_disclosed__gt="")
        | Q(
            Exists(
                Attachment.objects.filter(request=OuterRef("pk"), kind=AttachmentKind.DISCLOSURE)
            )
        )
        | Q(Exists(_historical_text(OuterRef("pk"))))
        # The thread's messages and their files (a withdrawn request has them too).
        | Q(Exists(Message.objects.filter(request=OuterRef("pk"), destroyed_at__isnull=True)))
    )


def requests_past_retention(
    today: datetime.date, *, failed: list[str] | None = None
) -> list[InformationRequest]:
    """Finished requests still holding disclosed content, or what identifies people, after
    their retention period ended.

    A request whose end of retention cannot be worked out (a date the calendar cannot
    reach) is kept, named in ``failed`` and logged; the others are still looked at.
    """
    candidates = (
        InformationRequest.objects.filter(agreement__isnull=False)
        .exclude(status__in=_UNFINISHED)
        .filter(_holds_content())
        .select_related("agreement", "decision")
        .order_by("pk")
    )
    past = []
    for request in candidates:
        ends = _ends_or_report(request, failed)
        if ends is not None and ends < today:
            past.append(request)
    return past


def _ends_or_report(request: InformationRequest, failed: list[str] | None) -> datetime.date | None:
    try:
        return retention_ends_on(request)
    except OverflowError:
        # The reference only: the log must not carry what the request is about.
        logger.error("Retention end of %s is past the calendar's end", request.reference)
        if failed is not None:
            failed.append(request.reference or f"request {request.pk}")
        return None


def _still_needed(consents: QuerySet[ConsentRecord], today: datetime.date) -> set[int]:
    """Of these consents, those an unfinished or in-retention request relies on."""
    people = NamedPerson.objects.filter(consent__in=consents).select_related(
        "request__agreement", "request__decision"
    )
    needed: set[int] = set()
    for person in people:
        req = person.request
        if req.destroyed_at is not None:
            continue
        try:
            ends = retention_ends_on(req)
        except OverflowError:
            ends = None  # cannot tell when it ends: keep, as while the request is open
        if ends is None or ends >= today:
            needed.add(person.consent_id)  # type: ignore[arg-type]
    return needed


def consents_no_longer_needed(today: datetime.date) -> list[ConsentRecord]:
    """Consent records still holding a scan or personal details whose every request is past
    retention or destroyed.

    A consent no request uses yet is kept: it was recorded to be relied on.
    """
    consents = (
        ConsentRecord.objects.filter(~Q(scan="") | identifying.consent_holds_identifying())
        .filter(Exists(NamedPerson.objects.filter(consent=OuterRef("pk"))))
        .order_by("pk")
    )
    needed = _still_needed(consents, today)
    return [c for c in consents if c.pk not in needed]


def record_disposal(
    *,
    request: InformationRequest,
    destroyed: list[str],
    rule: DisposalRule,
    actor: User | None,
    retention_days: int | None = None,
    http_request: HttpRequest | None = None,
) -> DisposalRecord:
    """Finish a disposal of a request's content and record it: call inside the transaction
    that destroyed the content (``destroy_disclosed_content``).

    The disclosed text also survives in the decision's history rows; those copies go here,
    so both the schedule and a DLO's confirmation destroy the same things.
    """
    copies = _historical_text(request.pk).update(information_disclosed="")
    what = [*destroyed, f"history_copies:{copies}"] if copies else list(destroyed)
    record = DisposalRecord.objects.create(
        request=request,
        destroyed=what,
        rule=rule,
        retention_days=retention_days,
        actor=actor,
        disposed_at=timezone.now(),
    )
    audit_record(
        event_type=EventType.DISPOSAL,
        actor=actor,
        http_request=http_request,
        obj=request,
        request_reference=request.reference or "",
        details={"destroyed": what, "rule": str(rule), "disposal": record.pk},
    )
    return record


def dispose_request(*, request: InformationRequest, today: datetime.date) -> DisposalRecord | None:
    """Destroy one request's disclosed content under the retention schedule."""
    with transaction.atomic():
        locked = (
            InformationRequest.objects.select_for_update(of=("self",))
            .select_related("agreement")
            .get(pk=request.pk)
        )
        ends = retention_ends_on(locked)
        if ends is None or ends >= today:
            return None
        destroyed = [*destroy_disclosed_content(request=locked), *destroy_thread(request=locked)]
        if locked.identifying_destroyed_at is None:
            destroyed += identifying.destroy_identifying(request=locked)
        if not destroyed and not _historical_text(locked.pk).exists():
            # Another run got here first.
            return None
        return record_disposal(
            request=locked,
            destroyed=destroyed,
            rule=DisposalRule.RETENTION_SCHEDULE,
            actor=None,
            retention_days=retention_days_for(locked.agreement),  # type: ignore[arg-type]
        )


def dispose_consent(*, consent: ConsentRecord, today: datetime.date) -> DisposalRecord | None:
    """Delete the scan of a consent no request needs any more and reduce the record to its
    status, agencies and dates (what the dashboard counts)."""
    with transaction.atomic():
        locked = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
        if _still_needed(ConsentRecord.objects.filter(pk=locked.pk), today):
            return None
        destroyed = []
        name, storage = locked.scan.name, locked.scan.storage
        if name:
            ConsentRecord.objects.filter(pk=locked.pk).update(scan="")
            ConsentRecord.history.filter(id=locked.pk).update(scan="")
            # After commit: a rollback must never lose a file whose row survives.
            transaction.on_commit(partial(storage.delete, name))
            destroyed.append("consent_scan")
        destroyed += identifying.reduce_consent(locked)
        if not destroyed:
            return None
        record = DisposalRecord.objects.create(
            consent=locked,
            destroyed=destroyed,
            rule=DisposalRule.RETENTION_SCHEDULE,
            disposed_at=timezone.now(),
        )
        audit_record(
            event_type=EventType.DISPOSAL,
            obj=locked,
            details={
                "destroyed": destroyed,
                "rule": str(DisposalRule.RETENTION_SCHEDULE),
                "disposal": record.pk,
            },
        )
    return record


def _default_days() -> int:
    """The retention period of a disclosure recorded outside any agreement: the period an
    agreement has unless it says otherwise."""
    return int(Agreement._meta.get_field("retention_period_days").get_default())


def recorded_past_retention(today: datetime.date) -> list[Decision]:
    """Disclosures recorded without a request whose details are past their period."""
    decisions = (
        Decision.objects.filter(recorded__isnull=False, content_destroyed_at__isnull=True)
        .select_related("recorded__agreement")
        .order_by("pk")
    )
    days = _default_days()
    return [
        d for d in decisions if (ends := identifying.recorded_ends_on(d, days)) and ends < today
    ]


def dispose_recorded(*, decision: Decision, today: datetime.date) -> DisposalRecord | None:
    with transaction.atomic():
        locked = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("recorded__agreement")
            .get(pk=decision.pk)
        )
        ends = identifying.recorded_ends_on(locked, _default_days())
        if locked.content_destroyed_at is not None or ends is None or ends >= today:
            return None
        destroyed = identifying.reduce_recorded(locked)
        recorded = locked.recorded
        assert recorded is not None
        record = DisposalRecord.objects.create(
            recorded=recorded,
            destroyed=destroyed,
            rule=DisposalRule.RETENTION_SCHEDULE,
            retention_days=(ends - locked.supplied_on).days,  # type: ignore[operator]
            disposed_at=timezone.now(),
        )
        audit_record(
            event_type=EventType.DISPOSAL,
            obj=recorded,
            request_reference=recorded.reference,
            details={
                "destroyed": destroyed,
                "rule": str(DisposalRule.RETENTION_SCHEDULE),
                "disposal": record.pk,
            },
        )
    return record


@dataclass
class RetentionRun:
    today: datetime.date
    requests: list[InformationRequest] = field(default_factory=list)
    consents: list[ConsentRecord] = field(default_factory=list)
    recorded: list[Decision] = field(default_factory=list)
    records: list[DisposalRecord] = field(default_factory=list)
    # References of requests and consents that could not be processed; the rest were.
    failed: list[str] = field(default_factory=list)


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionRun:
    """Find what is past retention and, unless ``dry_run``, destroy it. Running it again
    finds nothing more to do. Each request and consent is disposed of in its own
    transaction: one that fails is logged and named in ``failed``, and the others go on."""
    run = RetentionRun(today=today or timezone.localdate())
    run.requests = requests_past_retention(run.today, failed=run.failed)
    if not dry_run:
        for request in run.requests:
            _dispose_one(run, request.reference or "", dispose_request, request=request)
    # Consents are looked at after requests: a request disposed of just now frees its scan.
    run.consents = consents_no_longer_needed(run.today)
    if not dry_run:
        for consent in run.consents:
            _dispose_one(run, consent.reference, dispose_consent, consent=consent)
    run.recorded = recorded_past_retention(run.today)
    if not dry_run:
        for decision in run.recorded:
            _dispose_one(run, decision.reference, dispose_recorded, decision=decision)
    return run


def _dispose_one(
    run: RetentionRun, reference: str, dispose: Callable[..., DisposalRecord | None], **row: Any
) -> None:
    try:
        record = dispose(today=run.today, **row)
    except Exception:
        # One bad row must not keep every other agency's information past its time.
        logger.exception("Retention could not dispose of %s", reference)
        run.failed.append(reference)
        return
    if record is not None:
        run.records.append(record)
