"""Reads of a request's thread and of what changed on an officer's requests, filtered by
need to know (``requests_visible_to``, ``Part.MESSAGES``)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    DateTimeField,
    F,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from audit.models import EventType
from audit.services import audit_record
from requests_app.models import (
    ChangesSeen,
    Decision,
    InformationRequest,
    Message,
    MessageKind,
    Side,
)
from requests_app.thread.permissions import can_read_thread


def thread_for(
    user: User,
    request: InformationRequest,
    *,
    http_request: HttpRequest | None = None,
    reads: bool | None = None,
) -> list[Message]:
    """The request's messages, oldest first, with their authors and files, if this person
    may read them at the request's stage; otherwise none. Shown in answer to a GET, the read
    is recorded here: how many messages, and the newest one's id (never what they say)."""
    if not can_read_thread(user, request, reads=reads) or not getattr(
        request, "has_messages", True
    ):
        return []
    messages = list(
        Message.objects.filter(request=request)
        .select_related("author__agency")
        .prefetch_related("attachments")
    )
    if messages and http_request is not None and http_request.method == "GET":
        audit_record(
            event_type=EventType.MESSAGES_VIEWED,
            actor=user,
            http_request=http_request,
            obj=request,
            request_reference=request.reference or "",
            details={"messages": len(messages), "newest": messages[-1].pk},
        )
    return messages


def message_label(message: Message) -> str:
    if message.kind == MessageKind.MESSAGE:
        return f"Message from the {Side(message.side).label.lower()}"
    return MessageKind(message.kind).label


def timeline_entries(messages: list[Message]) -> list[dict[str, Any]]:
    """The thread's messages as timeline entries (what and who, never what they said)."""
    return [
        {"when": m.sent_at, "who": m.author, "status": message_label(m), "first": False}
        for m in messages
    ]


# What changed ------------------------------------------------------------------------------

# The roles that have requests of their own: made by them, or assigned to them.
CHANGES_ROLES = frozenset({Role.REQUESTING_OFFICER, Role.DISCLOSING_OFFICER})
# Changes older than this, already seen, are no longer listed.
CHANGES_KEPT_DAYS = 30
CHANGES_SHOWN = 100

_WHAT = {
    MessageKind.MESSAGE: "New message",
    MessageKind.CLARIFICATION_ASKED: "Clarification asked",
    MessageKind.CLARIFICATION_GIVEN: "Clarification given",
    "decided": "Decision recorded",
    "withdrawn": "Request withdrawn",
}


@dataclass(frozen=True)
class Change:
    what: str
    request: InformationRequest
    at: datetime.datetime
    new: bool
    on_thread: bool


def has_changes_list(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role_set & CHANGES_ROLES)


def my_own_requests(user: User) -> QuerySet[InformationRequest]:
    """The officer's own requests: made by them (theirs from creation,
    ``access.grant_on_create``), or assigned to them while they are a disclosing officer of
    the agency it was made to (``access.grant_on_submit``; nobody else is ever assigned).
    Read by the relations that grant need to know, like the inbox, so the header's count is
    one light query; they are exactly the requests ``requests_visible_to`` gives this
    officer of those made by or assigned to them (tests/requests_app/test_what_changed.py)."""
    if not user.is_active:
        return InformationRequest.objects.none()
    mine = Q(requester=user)
    if user.has_role(Role.DISCLOSING_OFFICER):
        mine |= Q(assigned_to=user, target_agency_id=user.agency_id)
    return InformationRequest.objects.filter(mine)


def _seen_at(user: User) -> Coalesce:
    """When the officer last opened the list; before that, when they joined."""
    return Coalesce(
        Subquery(ChangesSeen.objects.filter(user=user.pk).values("seen_at")[:1]),
        Value(user.date_joined, output_field=DateTimeField()),
        output_field=DateTimeField(),
    )


def _changes(user: User, after: Any) -> QuerySet[Any]:
    """(what, request id, when) of every change on the officer's requests after ``after``
    made by somebody else, as one query: messages, decisions, withdrawals."""
    mine = my_own_requests(user).order_by().values("pk")
    messages = (
        Message.objects.filter(request__in=mine, sent_at__gt=after)
        .exclude(author=user)
        .order_by()
        .annotate(what=F("kind"), rid=F("request_id"), at=F("sent_at"))
        .values_list("what", "rid", "at")
    )
    decisions = (
        Decision.objects.filter(request__in=mine, signed_at__gt=after)
        .exclude(discloser=user)
        .order_by()
        .annotate(
            what=Value("decided", output_field=CharField()),
            rid=F("request_id"),
            at=F("signed_at"),
        )
        .values_list("what", "rid", "at")
    )
    withdrawals = (
        InformationRequest.objects.filter(pk__in=mine, withdrawn_at__gt=after)
        .exclude(requester=user)
        .order_by()
        .annotate(
            what=Value("withdrawn", output_field=CharField()),
            rid=F("pk"),
            at=F("withdrawn_at"),
        )
        .values_list("what", "rid", "at")
    )
    return messages.union(decisions, withdrawals, all=True)


def changes_count(user: User) -> int:
    """How many changes are new to this officer: the header's count, in one query."""
    if not has_changes_list(user):
        return 0
    return _changes(user, _seen_at(user)).count()


def changes_for(user: User) -> list[Change]:
    """What changed on the officer's requests, newest first: everything new since they last
    looked, and what they have seen of the last ``CHANGES_KEPT_DAYS`` days."""
    seen = ChangesSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    seen = seen or user.date_joined
    since = min(seen, timezone.now() - datetime.timedelta(days=CHANGES_KEPT_DAYS))
    rows = list(_changes(user, since).order_by("-at")[:CHANGES_SHOWN])
    requests = InformationRequest.objects.in_bulk({rid for _, rid, _ in rows})
    return [
        Change(
            what=_WHAT[what],
            request=requests[rid],
            at=at,
            new=at > seen,
            on_thread=what in MessageKind.values,
        )
        for what, rid, at in rows
    ]
