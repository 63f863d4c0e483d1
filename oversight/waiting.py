"""What waits for an officer on breaches, for "My work": for a SPOC or deputy, their agency's
breaches with no ICO decision yet (theirs to decide within 72 hours); for the CSP lead and
administrators, any breach past those 72 hours without one. Drawn from ``breaches_for``, the
breach pages' own need to know."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from isp_portal.worklist import WorkItem, WorkList, oldest_and_count
from oversight import permissions, selectors
from oversight.models import ICO_DECISION_WINDOW, Breach, BreachStatus


def _items(rows: list[Breach]) -> list[WorkItem]:
    items = []
    for breach in rows:
        deadline = timezone.localtime(breach.ico_deadline)
        late = breach.ico_overdue
        items.append(
            WorkItem(
                reference=breach.reference,
                url=reverse("audit:breach_detail", args=[breach.pk]),
                since=breach.discovered_at,
                note=(
                    f"ICO decision was due {deadline:%H:%M} on {deadline.day} {deadline:%b %Y}"
                    if late
                    else f"ICO decision due by {deadline:%H:%M} on {deadline.day} {deadline:%b %Y}"
                ),
                late=late,
            )
        )
    return items


def _open(user: User) -> QuerySet[Breach]:
    return (
        selectors.breaches_for(user)
        .filter(status=BreachStatus.OPEN)
        .order_by("discovered_at", "pk")
    )


def to_decide(user: User) -> WorkList:
    count, oldest = oldest_and_count(_open(user).filter(owning_agency_id=user.agency_id))
    return WorkList(
        "breaches_to_decide",
        "Breaches to decide on (tell the ICO or not)",
        count,
        _items(oldest),
        reverse("audit:breaches"),
        "See the breaches",
    )


def past_deadline(user: User) -> WorkList:
    late = _open(user).filter(discovered_at__lt=timezone.now() - ICO_DECISION_WINDOW)
    count, oldest = oldest_and_count(late)
    return WorkList(
        "breaches_past_deadline",
        "Breaches with no ICO decision after 72 hours",
        count,
        _items(oldest),
        reverse("audit:breaches"),
        "See the breaches",
    )


def waiting_for(user: User) -> list[WorkList]:
    found = []
    if permissions.oversees_own_agency(user):
        found.append(to_decide(user))
    if permissions.is_overseer(user):
        found.append(past_deadline(user))
    return found
