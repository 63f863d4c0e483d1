"""Reads of consent records, always filtered by need to know. What a consent means for a
request it is linked to is the request's business: ``requests_app.consent``."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Agency, User
from audit.models import EventType
from consent import uses
from consent.models import ConsentRecord, ConsentStatus, WithdrawalNotice
from isp_portal.access import Read, get_visible_or_404


def consents_visible_to(user: User) -> QuerySet[ConsentRecord]:
    """The officer who recorded a consent, and whoever may see a request that uses it."""
    if not user.is_authenticated or not user.is_active:
        return ConsentRecord.objects.none()
    used_where_visible = uses.requests_visible_to(user).filter(people__consent=OuterRef("pk"))
    return ConsentRecord.objects.filter(Q(recorded_by=user) | Q(Exists(used_where_visible)))


def viewed(part: str) -> Read:
    """Reading a consent record, or its signed scan."""
    return Read(EventType.CONSENT_VIEWED, lambda consent: {"part": part})


def get_consent_for(
    user: User,
    pk: int,
    *,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
    read: Read = viewed("record"),  # noqa: B008  (one immutable value, made once)
) -> ConsentRecord:
    """The consent record, if this person may see it; otherwise 404, and the attempt is
    audited. Nobody learns whether a record they cannot see exists. Shown in answer to a
    GET, the read is audited as ``read``."""
    return get_visible_or_404(
        consents_visible_to(user).select_related(
            "given_to_agency", "disclose_to_agency", "recorded_by", "withdrawal_recorded_by"
        ),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        read=read,
    )


def consents_usable_by(
    user: User, *, target_agency: Agency | None = None
) -> QuerySet[ConsentRecord]:
    """Records a requesting officer may link to a person they name: those they recorded
    themselves (as witnessing officer), not withdrawn, not expired; given ones only when
    they give ``target_agency`` (when it is known) consent to disclose to the officer's
    own agency, which is the requesting agency.

    Only their own records: a consent someone else took is not theirs to rely on, and a
    SPOC who can see thousands of records must not be offered them all.
    """
    today = timezone.localdate()
    usable = ConsentRecord.objects.filter(recorded_by=user).exclude(status=ConsentStatus.WITHDRAWN)
    usable = usable.exclude(expires_on__lt=today)
    usable = usable.filter(~Q(status=ConsentStatus.GIVEN) | Q(disclose_to_agency_id=user.agency_id))
    if target_agency is not None:
        usable = usable.filter(~Q(status=ConsentStatus.GIVEN) | Q(given_to_agency=target_agency))
    return usable.order_by("-recorded_at", "-pk")


def withdrawals_for_review(user: User) -> QuerySet[WithdrawalNotice]:
    """Withdrawals of consent reaching requests made to this officer's agency that nobody
    there has reviewed yet, on the requests this officer may see (a DLO sees only decided
    ones): decided requests first, as they may need action on what was shared."""
    return (
        WithdrawalNotice.objects.filter(
            request__in=uses.requests_visible_to(user),
            request__target_agency_id=user.agency_id,
            reviewed_at__isnull=True,
        )
        .select_related("request", "consent")
        .order_by("-kind", "created_at", "pk")
    )


def get_notice_for_review(
    user: User, pk: int, *, http_request: HttpRequest | None = None, for_update: bool = False
) -> WithdrawalNotice:
    """A notice on this officer's review list; otherwise 404, and the attempt is audited
    with the reference of the request it reached."""
    return get_visible_or_404(
        withdrawals_for_review(user),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        reference="request__reference",
    )


def requests_using(consent: ConsentRecord, user: User) -> QuerySet[Any]:
    """The requests this consent is linked to that this person may see."""
    return (
        uses.requests_visible_to(user)
        .filter(people__consent=consent)
        .select_related("target_agency")
        .distinct()
        .order_by("-created_at")
    )
