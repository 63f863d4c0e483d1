"""What waits for an officer on consent, for "My work": withdrawals of consent reaching their
agency's requests, not yet reviewed (the rows of the withdrawals page, oldest first)."""

from django.urls import reverse

from accounts.models import User
from consent import permissions, selectors
from consent.models import NoticeKind
from isp_portal.worklist import WorkItem, WorkList, oldest_and_count

_KIND = {NoticeKind.OPEN: "an open request", NoticeKind.DECIDED: "a decided request"}


def withdrawals(user: User) -> WorkList:
    rows = selectors.withdrawals_for_review(user).order_by("created_at", "pk")
    count, oldest = oldest_and_count(rows)
    page = reverse("consent:withdrawals")
    items = [
        WorkItem(
            reference=notice.request.label,
            url=page,
            since=notice.created_at,
            note=f"{notice.person_label}, on {_KIND[notice.kind]}",
        )
        for notice in oldest
    ]
    return WorkList(
        "withdrawals",
        "Withdrawals of consent to review",
        count,
        items,
        page,
        "Review withdrawals of consent",
    )


def waiting_for(user: User) -> list[WorkList]:
    if not permissions.can_review_withdrawals(user):
        return []
    return [withdrawals(user)]
