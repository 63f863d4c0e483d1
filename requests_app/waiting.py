"""What waits for an officer on requests, for "My work" on the home page: each list is the
rows of the page it links to (the same selectors, so the same need to know), narrowed to
what is this officer's to do now, oldest first."""

import datetime
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from isp_portal.worklist import WorkItem, WorkList, oldest_and_count
from requests_app import selectors
from requests_app.models import (
    InformationRequest,
    OnwardSharing,
    OnwardStatus,
    Referral,
    Status,
)
from requests_app.workdays import working_days_between

# A disclosing officer reviews or decides these; the others wait for the requester
# (clarification) or for the designated manager (referral).
_TO_DECIDE = (Status.SUBMITTED, Status.UNDER_REVIEW)


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def due_note(request: InformationRequest, today: datetime.date) -> tuple[str, bool]:
    """The request's due date as the lists say it, and whether it is late."""
    due = request.due_on
    if not request.is_open:
        return "", False
    if request.clock_paused_at is not None:
        return "Clock paused", False
    if due is None:
        return "", False
    if due < today:
        late = (today - due).days
        note, is_late = f"{late} day{'s' if late != 1 else ''} overdue", True
    elif due == today:
        note, is_late = "due today", False
    else:
        left = working_days_between(today, due)
        note, is_late = f"due {_day(due)} ({left} working day{'s' if left != 1 else ''})", False
    note = f"Urgent, {note}" if request.is_urgent else note[0].upper() + note[1:]
    return note, is_late


def _request_items(
    rows: list[InformationRequest], since: str, fixed_note: str = ""
) -> list[WorkItem]:
    today = timezone.localdate()
    items = []
    for row in rows:
        note, late = (fixed_note, False) if fixed_note else due_note(row, today)
        items.append(
            WorkItem(
                reference=row.label,
                url=reverse("requests:detail", args=[row.pk]),
                since=getattr(row, since),
                note=note,
                late=late,
            )
        )
    return items


def _request_list(
    key: str,
    title: str,
    rows: QuerySet[InformationRequest],
    *,
    since: str,
    url: str,
    link_text: str,
    note: str = "",
) -> WorkList:
    count, oldest = oldest_and_count(rows)
    return WorkList(key, title, count, _request_items(oldest, since, note), url, link_text)


def to_decide(user: User) -> WorkList:
    """Requests to review or decide: the agency inbox's open requests that are this
    officer's or nobody's, and not waiting for someone else."""
    rows = (
        selectors.agency_inbox(user)
        .filter(status__in=_TO_DECIDE)
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
        .order_by("submitted_at", "pk")
    )
    return _request_list(
        "to_decide",
        "Requests to review or decide",
        rows,
        since="submitted_at",
        url=reverse("requests:inbox"),
        link_text="Open the inbox",
    )


def to_assign(user: User) -> WorkList:
    """For the SPOC and deputy: open requests in the agency's inbox nobody is working on."""
    rows = (
        selectors.agency_inbox(user).filter(assigned_to__isnull=True).order_by("submitted_at", "pk")
    )
    return _request_list(
        "to_assign",
        "Requests nobody is working on",
        rows,
        since="submitted_at",
        url=reverse("requests:inbox") + "?assigned=nobody",
        link_text="See the unassigned requests",
    )


def overdue(user: User) -> WorkList | None:
    rows = selectors.overdue_for_spoc(user)
    if rows is None:
        return None
    return _request_list(
        "overdue",
        "Overdue requests in your agency",
        rows.order_by("due_on", "submitted_at", "pk"),
        since="submitted_at",
        url=reverse("requests:inbox") + "?show=overdue",
        link_text="See the overdue requests",
    )


def clarifications(user: User) -> WorkList:
    """Questions from a disclosing agency waiting for this requester's answer."""
    rows = (
        selectors.my_requests(user)
        .filter(requester=user, status=Status.AWAITING_CLARIFICATION)
        .order_by("clock_paused_at", "pk")
    )
    return _request_list(
        "clarifications",
        "Questions to answer about your requests",
        rows,
        since="clock_paused_at",
        url=reverse("requests:mine") + f"?status={Status.AWAITING_CLARIFICATION.value}",
        link_text="See your requests awaiting clarification",
        note="Answer to restart the clock",
    )


def advice(user: User) -> WorkList:
    """Requests referred to this designated manager whose advice is still awaited."""
    mine = Referral.objects.filter(request=OuterRef("pk"), referred_to=user, advised_at=None)
    rows = (
        selectors.referred_to(user)
        .filter(Exists(mine), status=Status.REFERRED)
        .annotate(referred_at=Subquery(mine.order_by("referred_at").values("referred_at")[:1]))
        .order_by("referred_at", "pk")
    )
    return _request_list(
        "advice",
        "Requests referred to you for advice",
        rows,
        since="referred_at",
        url=reverse("requests:referred"),
        link_text="See the requests referred to you",
    )


def _dlo_requests(user: User) -> QuerySet[InformationRequest]:
    # What the DLO sees of the agency's decided requests: the inbox's "decided" tab.
    return selectors.agency_decided(user)


def onward(user: User) -> WorkList:
    """Onward-sharing questions on the agency's decided requests, for its DLO."""
    rows = (
        OnwardSharing.objects.filter(
            status=OnwardStatus.PENDING, request__in=_dlo_requests(user).order_by()
        )
        .select_related("request")
        .order_by("asked_at", "pk")
    )
    count, oldest = oldest_and_count(rows)
    items = [
        WorkItem(
            reference=row.request.label,
            url=reverse("requests:detail", args=[row.request_id]),
            since=row.asked_at,
            note="Share with a third party?",
        )
        for row in oldest
    ]
    return WorkList(
        "onward",
        "Onward-sharing questions to answer",
        count,
        items,
        reverse("requests:inbox") + "?show=decided",
        "See the decided requests",
    )


def returned(user: User) -> WorkList:
    rows = _dlo_requests(user).filter(status=Status.RETURNED).order_by("returned_at", "pk")
    return _request_list(
        "returned",
        "Returned information to destroy",
        rows,
        since="returned_at",
        url=reverse("requests:inbox") + f"?show=decided&status={Status.RETURNED.value}",
        link_text="See the returned requests",
        note="Confirm the information is destroyed",
    )


# role: the lists an officer with that role has (once each, whatever their roles).
_BY_ROLE: tuple[tuple[str, Callable[[User], WorkList | None]], ...] = (
    (Role.REQUESTING_OFFICER, clarifications),
    (Role.DISCLOSING_OFFICER, to_decide),
    (Role.SPOC, to_assign),
    (Role.DEPUTY_SPOC, to_assign),
    (Role.SPOC, overdue),
    (Role.DEPUTY_SPOC, overdue),
    (Role.DESIGNATED_MANAGER, advice),
    (Role.DLO, onward),
    (Role.DLO, returned),
)


def waiting_for(user: User) -> list[WorkList]:
    """Every list of request work this officer's roles give them."""
    found: list[WorkList] = []
    done: set[Callable[[User], WorkList | None]] = set()
    for role, make in _BY_ROLE:
        if make in done or not user.has_role(role):
            continue
        done.add(make)
        work = make(user)
        if work is not None:
            found.append(work)
    return found
