"""The daily reminders (``manage.py send_reminders``): nobody should learn a request is overdue
only after the fact.

- The assignee, or the agency's disclosing officers while nobody has it, hears of a request
  ``REMINDER_WORKING_DAYS_BEFORE_DUE`` working days before its due date, and on the day.
- The disclosing agency's SPOC and deputy hear of it the first day it is overdue, then every
  ``REMINDER_OVERDUE_EVERY_DAYS`` days while it stays so.
- The requester hears of a clarification question unanswered for
  ``REMINDER_CLARIFICATION_AFTER_WORKING_DAYS`` working days, then every
  ``REMINDER_CLARIFICATION_EVERY_DAYS`` days.

Only open requests are reminded of; a paused clock (a question waiting for the requester)
has no due date running. Each reminder is recorded (``SentReminder``, unique per request,
kind and occasion) in the transaction that enqueues its emails and audits it, so running
the job twice, or two at once, sends nothing twice. Emails hold the reference, the due date
and a link (``notifications.remind``).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import agency_role_holders
from audit.models import EventType
from audit.services import audit_record
from requests_app import notifications, permissions
from requests_app.models import (
    OPEN_STATUSES,
    InformationRequest,
    Message,
    MessageKind,
    ReminderKind,
    SentReminder,
    Status,
)
from requests_app.workdays import add_working_days

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occasion:
    kind: ReminderKind
    occasion: str
    what: str


@dataclass
class ReminderRun:
    today: datetime.date
    sent: list[SentReminder] = field(default_factory=list)
    # References of requests whose reminders could not be sent; the others were.
    failed: list[str] = field(default_factory=list)


def _days(n: int, unit: str = "day") -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def occasions(
    request: InformationRequest, today: datetime.date, question_asked: datetime.datetime | None
) -> list[Occasion]:
    """The reminders this request calls for today, from its state alone."""
    if request.status not in OPEN_STATUSES:
        return []
    found = []
    if request.status == Status.AWAITING_CLARIFICATION and question_asked is not None:
        first = add_working_days(
            timezone.localdate(question_asked),
            settings.REMINDER_CLARIFICATION_AFTER_WORKING_DAYS,
        )
        if today >= first:
            week = (today - first).days // max(settings.REMINDER_CLARIFICATION_EVERY_DAYS, 1)
            found.append(
                Occasion(
                    ReminderKind.CLARIFICATION,
                    f"{question_asked:%Y%m%d%H%M%S}/{week}",
                    "is waiting for your answer to the disclosing agency's question",
                )
            )
    due = request.due_on
    if due is None or request.clock_paused_at is not None:
        return found
    before = settings.REMINDER_WORKING_DAYS_BEFORE_DUE
    if today < due <= add_working_days(today, before):
        found.append(Occasion(ReminderKind.DUE_SOON, due.isoformat(), f"is due on {_day(due)}"))
    elif due == today:
        found.append(Occasion(ReminderKind.DUE_TODAY, due.isoformat(), "is due today"))
    elif due < today:
        late = (today - due).days
        week = (late - 1) // max(settings.REMINDER_OVERDUE_EVERY_DAYS, 1)
        found.append(
            Occasion(
                ReminderKind.OVERDUE,
                f"{due.isoformat()}/{week}",
                f"is overdue: it was due on {_day(due)}, {_days(late)} ago",
            )
        )
    return found


def recipients(request: InformationRequest, kind: ReminderKind) -> list[User]:
    """Who a reminder goes to, as the request stands now."""
    agency = request.target_agency
    if kind == ReminderKind.CLARIFICATION:
        return [request.requester] if request.requester.is_active else []
    if kind == ReminderKind.OVERDUE:
        return [
            *agency_role_holders(agency=agency, role=Role.SPOC),
            *agency_role_holders(agency=agency, role=Role.DEPUTY_SPOC),
        ]
    assignee = request.assigned_to
    if assignee is not None and permissions.can_be_assigned(assignee, request):
        return [assignee]
    return list(agency_role_holders(agency=agency, role=Role.DISCLOSING_OFFICER))


def _open_question() -> Subquery:
    # The newest question on the thread; while the request awaits clarification it is the
    # one unanswered (the requester's answer moves the request on).
    return Subquery(
        Message.objects.filter(request=OuterRef("pk"), kind=MessageKind.CLARIFICATION_ASKED)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )


def candidates(today: datetime.date) -> QuerySet[InformationRequest]:
    """Open requests that may call for a reminder today: due within the notice period or
    already overdue, or waiting for the requester's answer."""
    horizon = add_working_days(today, settings.REMINDER_WORKING_DAYS_BEFORE_DUE)
    return (
        InformationRequest.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(due_on__lte=horizon, clock_paused_at__isnull=True)
            | Q(status=Status.AWAITING_CLARIFICATION)
        )
        .annotate(question_asked=_open_question())
        .only("pk", "reference", "status", "due_on", "clock_paused_at")
        .order_by("due_on", "pk")
    )


def send_reminders(*, today: datetime.date | None = None) -> ReminderRun:
    """Send every reminder due today that was not sent before. Each request is handled in
    its own transaction: one that fails is logged and named in ``failed``, and the others
    are still reminded."""
    run = ReminderRun(today=today or timezone.localdate())
    rows = list(candidates(run.today))
    sent = set(
        SentReminder.objects.filter(request__in=[r.pk for r in rows]).values_list(
            "request_id", "kind", "occasion"
        )
    )
    for row in rows:
        wanted = [
            o
            for o in occasions(row, run.today, getattr(row, "question_asked", None))
            if (row.pk, o.kind.value, o.occasion) not in sent
        ]
        if not wanted:
            continue
        try:
            run.sent.extend(_remind(row.pk, run.today))
        except Exception:
            logger.exception("Could not send the reminders for %s", row.reference)
            run.failed.append(row.reference or str(row.pk))
    return run


def _remind(pk: int, today: datetime.date) -> list[SentReminder]:
    """The request's reminders due today, re-read under its row lock: the state decides,
    not the list read before."""
    done = []
    with transaction.atomic():
        request = (
            InformationRequest.objects.select_for_update(of=("self",))
            .select_related("target_agency", "assigned_to", "requester")
            .annotate(question_asked=_open_question())
            .get(pk=pk)
        )
        for occasion in occasions(request, today, getattr(request, "question_asked", None)):
            if SentReminder.objects.filter(
                request=request, kind=occasion.kind, occasion=occasion.occasion
            ).exists():
                continue
            to = recipients(request, occasion.kind)
            reminder = SentReminder.objects.create(
                request=request,
                kind=occasion.kind,
                occasion=occasion.occasion,
                sent_at=timezone.now(),
                recipients=len(to),
            )
            notifications.remind(request, to, occasion.what)
            audit_record(
                event_type=EventType.REQUEST_REMINDED,
                obj=request,
                request_reference=request.reference or "",
                details={
                    "kind": str(occasion.kind),
                    "occasion": occasion.occasion,
                    "to": sorted(u.username for u in to),
                },
            )
            done.append(reminder)
    return done
