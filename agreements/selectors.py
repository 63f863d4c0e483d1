"""Reads of agreements, always filtered by who may see them."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Agency, User
from agreements import permissions
from agreements.models import (
    IN_FORCE,
    IN_PREPARATION,
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    JoinApplication,
    JoinStatus,
    Signature,
)
from audit.models import EventType
from isp_portal.access import Read, get_visible_or_404

# Agreements due for review within this many days are listed (issue 4).
REVIEW_WINDOW_DAYS = 60


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """Every agreement this person may read, in one query.

    Officers read agreements their agency is party to, except those still being prepared;
    those only the parties' signatories, SPOCs and deputies see. Administrators see all.
    """
    if not user.is_authenticated or not user.is_active:
        return Agreement.objects.none()
    if permissions.is_administrator(user):
        return Agreement.objects.all()
    if user.agency_id is None:
        return Agreement.objects.none()
    party = Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), agency=user.agency_id))
    visible = Q(party) & ~Q(status__in=IN_PREPARATION)
    if permissions.sees_preparation(user):
        visible = Q(party)
    return Agreement.objects.filter(visible)


PDF_DOWNLOADED = Read(
    EventType.PDF_DOWNLOADED,
    lambda agreement: {"document": "agreement", "reference": agreement.reference},
)


def get_agreement_for(
    user: User,
    pk: int,
    *,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
    read: Read | None = None,
) -> Agreement:
    """The agreement, if this person may see it; otherwise 404, and the attempt is audited.
    Its pages hold no personal data, so only a download (``read``) is recorded."""
    return get_visible_or_404(
        agreements_visible_to(user).select_related("parent", "lead_agency", "supersedes"),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        read=read,
    )


def agreement_list(
    user: User, *, status: str = "", tier: str = "", query: str = ""
) -> QuerySet[Agreement]:
    rows = agreements_visible_to(user)
    if status:
        rows = rows.filter(status=status)
    if tier:
        rows = rows.filter(tier=tier)
    if query:
        rows = rows.filter(Q(reference__icontains=query) | Q(title__icontains=query))
    return (
        rows.select_related("parent", "lead_agency")
        .prefetch_related(
            Prefetch("parties", queryset=Agency.objects.only("pk", "code", "name").order_by("code"))
        )
        .order_by("reference", "-version")
    )


def due_for_review(user: User, *, today: datetime.date | None = None) -> QuerySet[Agreement]:
    """In force and due for review within the window, or already past its review date."""
    today = today or timezone.localdate()
    return (
        agreements_visible_to(user)
        .filter(
            status__in=IN_FORCE,
            next_review_on__lte=today + datetime.timedelta(days=REVIEW_WINDOW_DAYS),
        )
        .order_by("next_review_on", "reference")
    )


def without_dpia(user: User) -> QuerySet[Agreement]:
    """Agreements in force or being signed with no DPIA recorded (`002_…` §3)."""
    return (
        agreements_visible_to(user)
        .filter(status__in=[*IN_FORCE, AgreementStatus.AWAITING_SIGNATURES], dpia_needed=None)
        .order_by("reference")
    )


def agreements_for_request(
    *, requesting_agency: Agency, target_agency: Agency
) -> QuerySet[Agreement]:
    """Agreements in force that both agencies are party to and have both signed: the only
    ones a request between them can be made under."""
    return Agreement.objects.filter(
        _signed_by(requesting_agency),
        _signed_by(target_agency),
        status__in=IN_FORCE,
    ).order_by("reference")


def _signed_by(agency: Agency) -> Exists:
    # Only parties sign, so a signature also proves the agency is a party.
    return Exists(Signature.objects.filter(agreement=OuterRef("pk"), agency=agency))


def retention_days_for(agreement: Agreement) -> int:
    """How long information disclosed under this agreement may be kept (issue 8)."""
    return agreement.retention_period_days


@dataclass(frozen=True)
class PartyView:
    party: AgreementParty
    signature: Signature | None


def agreement_page_context(agreement: Agreement, user: User) -> dict[str, Any]:
    """Everything the agreement page shows, each relation in one query."""
    parties = list(agreement.party_rows.select_related("agency"))
    signatures = {s.agency_id: s for s in agreement.signatures.select_related("signed_version")}
    party_ids = {p.agency_id for p in parties}
    return {
        "agreement": agreement,
        "parties": [PartyView(p, signatures.get(p.agency_id)) for p in parties],
        "all_signed": bool(parties) and party_ids <= set(signatures),
        "legislation": list(agreement.legislation.all()),
        "changes": list(agreement.changes.select_related("author")),
        "current_version": current_version(agreement),
        "other_versions": list(
            Agreement.objects.filter(reference=agreement.reference)
            .exclude(pk=agreement.pk)
            .filter(pk__in=agreements_visible_to(user).values("pk"))
            .only("pk", "version", "minor_version", "status", "reference")
        ),
        "can": {
            "edit": permissions.can_edit_draft(user, agreement),
            "send": permissions.can_send_for_signature(user, agreement),
            "sign": permissions.can_sign(
                user, agreement, party_agency_ids=party_ids, signed_agency_ids=set(signatures)
            ),
            "amend": permissions.can_amend(user, agreement),
            "amend_minor": permissions.can_amend_minor(user, agreement),
            "renew": permissions.can_renew(user, agreement),
            "terminate": permissions.can_terminate(user, agreement),
        },
    }


def current_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-minor_version").first()


def pending_applications() -> QuerySet[JoinApplication]:
    return (
        JoinApplication.objects.filter(status=JoinStatus.PENDING)
        .select_related("agreement", "agency", "applicant")
        .order_by("applied_at")
    )


def get_application_for(
    user: User, pk: int, *, http_request: HttpRequest | None = None
) -> JoinApplication:
    """A pending application, for administrators; 404 (audited) for anyone else. Its page
    shows the applicant, so a GET is audited as read."""
    pending = pending_applications()
    if not permissions.can_decide_applications(user):
        pending = pending.none()
    return get_visible_or_404(
        pending, pk, user=user, http_request=http_request, read=Read(EventType.RECORD_VIEWED)
    )


def get_party_for(
    user: User, agreement: Agreement, pk: int, *, http_request: HttpRequest | None = None
) -> AgreementParty:
    """A party of an agreement already fetched for this person; 404 (audited) otherwise."""
    return get_visible_or_404(
        AgreementParty.objects.filter(agreement=agreement).select_related("agency"),
        pk,
        user=user,
        http_request=http_request,
    )


def joinable_agreement(*, reference: str, agency: Agency) -> Agreement | None:
    """The version in force with this reference, if the agency is not already a party."""
    return (
        Agreement.objects.filter(reference__iexact=reference.strip(), status__in=IN_FORCE)
        .exclude(party_rows__agency=agency)
        .first()
    )
