"""What waits for an officer on agreements, for "My work": agreements their agency has not
signed yet (for its signatories), agreements due for review (for the lead officer), past
their review date (for the CSP lead), and applications to join (for administrators). Each
list is drawn from ``agreements_visible_to``, the agreements pages' own need to know."""

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from agreements import permissions, selectors
from agreements.models import IN_FORCE, Agreement, AgreementStatus, Signature
from isp_portal.worklist import WorkItem, WorkList, oldest_and_count


def _day(agreement: Agreement) -> str:
    review = agreement.next_review_on
    return f"{review.day} {review:%b %Y}" if review else ""


def _agreement_items(rows: list[Agreement], note: str = "") -> list[WorkItem]:
    today = timezone.localdate()
    return [
        WorkItem(
            reference=f"{a.reference} version {a.version_label}",
            url=reverse("agreements:detail", args=[a.pk]),
            since=a.next_review_on if not note else a.created_at,
            note=note or f"Review due {_day(a)}",
            late=a.next_review_on is not None and a.next_review_on < today and not note,
        )
        for a in rows
    ]


def to_sign(user: User) -> WorkList:
    signed = Signature.objects.filter(agreement=OuterRef("pk"), agency=user.agency)
    rows = (
        selectors.agreements_visible_to(user)
        .filter(
            party_rows__agency=user.agency,
            status__in=[AgreementStatus.AWAITING_SIGNATURES, *IN_FORCE],
        )
        .exclude(Exists(signed))
        .order_by("created_at", "pk")
    )
    count, oldest = oldest_and_count(rows)
    return WorkList(
        "agreements_to_sign",
        "Agreements to sign for your agency",
        count,
        _agreement_items(oldest, "Waiting for your agency's signature"),
        reverse("agreements:list") + f"?status={AgreementStatus.AWAITING_SIGNATURES.value}",
        "See the agreements awaiting signatures",
    )


def _review_list(key: str, title: str, rows: QuerySet[Agreement]) -> WorkList:
    count, oldest = oldest_and_count(rows.order_by("next_review_on", "reference", "pk"))
    return WorkList(
        key, title, count, _agreement_items(oldest), reverse("agreements:list"), "See agreements"
    )


def to_review(user: User) -> WorkList:
    """Due for review within the window, or past it, where this officer is the lead officer."""
    rows = selectors.due_for_review(user)
    if not permissions.is_administrator(user):
        rows = rows.filter(lead_agency_id=user.agency_id)
    return _review_list("agreements_to_review", "Agreements to review", rows)


def past_review(user: User) -> WorkList:
    """For the CSP lead, told of every agreement whose review date has passed."""
    rows = selectors.agreements_visible_to(user).filter(
        status__in=IN_FORCE, next_review_on__lt=timezone.localdate()
    )
    return _review_list("agreements_past_review", "Agreements past their review date", rows)


def applications(user: User) -> WorkList:
    count, oldest = oldest_and_count(selectors.pending_applications())
    items = [
        WorkItem(
            reference=a.agreement.reference,
            url=reverse("agreements:application", args=[a.pk]),
            since=a.applied_at,
            note=f"{a.agency.name} asks to join",
        )
        for a in oldest
    ]
    return WorkList(
        "join_applications",
        "Applications to join an agreement",
        count,
        items,
        reverse("agreements:applications"),
        "See the applications",
    )


def waiting_for(user: User) -> list[WorkList]:
    found = []
    if user.is_active and user.has_role(Role.SIGNATORY) and user.agency_id is not None:
        found.append(to_sign(user))
    lead = user.agency_id is not None and bool(permissions.LEAD_OFFICER_ROLES & user.role_set)
    if user.is_active and (lead or permissions.is_administrator(user)):
        found.append(to_review(user))
    if user.is_active and user.has_role(Role.CSP_LEAD):
        found.append(past_review(user))
    if permissions.can_decide_applications(user):
        found.append(applications(user))
    return found
