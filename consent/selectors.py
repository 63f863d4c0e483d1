"""Reads of consent records, always filtered by need to know, and the consent checks that
requests rely on."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone

from accounts.models import Agency, User
from audit.models import EventType
from consent.models import (
    ConsentRecord,
    ConsentStatus,
    NotSoughtGround,
    WithdrawalNotice,
)
from isp_portal.access import Read, get_visible_or_404
from requests_app.models import (
    CONSENT_ROLES,
    ConsentBasis,
    InformationRequest,
    NamedPerson,
    PersonRole,
)
from requests_app.selectors import requests_visible_to


def consents_visible_to(user: User) -> QuerySet[ConsentRecord]:
    """The officer who recorded a consent, and whoever may see a request that uses it."""
    if not user.is_authenticated or not user.is_active:
        return ConsentRecord.objects.none()
    used_where_visible = NamedPerson.objects.filter(
        consent=OuterRef("pk"), request__in=requests_visible_to(user)
    )
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


def person_label(person: NamedPerson) -> str:
    """A person's place on the request, never their name: "Person 2 (witness)"."""
    return f"Person {person.position + 1} ({PersonRole(person.role).label.lower()})"


def _given_consent_problem(consent: ConsentRecord, request: InformationRequest) -> str | None:
    today = timezone.localdate()
    if consent.expires_on is not None and consent.expires_on < today:
        return f"their consent expired on {dateformat.format(consent.expires_on, 'j F Y')}"
    # "I give: <target agency> consent to disclose to: <requesting agency>".
    if consent.given_to_agency_id != request.target_agency_id:
        return (
            f"their consent is given to {consent.given_to_agency.name}, "
            f"not to {request.target_agency.name}"
        )
    if consent.disclose_to_agency_id != request.requesting_agency_id:
        return (
            f"their consent is to disclose to {consent.disclose_to_agency.name}, "
            f"not to {request.requesting_agency.name}"
        )
    if request.agreement_id is None:
        return "the request names no agreement, so the consent cannot be shown to cover its purpose"
    if not any(a.pk == request.agreement_id for a in consent.agreements.all()):
        return (
            f"their consent does not cover the purposes of agreement {request.agreement.reference}"
        )
    return None


def _consent_problem(person: NamedPerson, request: InformationRequest) -> str | None:
    if person.role not in CONSENT_ROLES:
        return None
    consent = person.consent
    if consent is None:
        reason = (
            "has no consent record linked. Link their consent, or a record that consent "
            "was refused or not sought together with a public-interest reason"
        )
        return f"{person_label(person)} {reason}"
    if consent.status == ConsentStatus.WITHDRAWN:
        when = dateformat.format(timezone.localtime(consent.withdrawn_at), "j F Y")
        reason = f"their consent was withdrawn on {when}"
    elif consent.status == ConsentStatus.GIVEN:
        reason = _given_consent_problem(consent, request)
    elif consent.status == ConsentStatus.REFUSED and not consent.proceed_without_consent:
        reason = "they refused consent and no decision to proceed without it is recorded"
    elif not request.public_interest_reason.strip():
        what = "was refused" if consent.status == ConsentStatus.REFUSED else "was not sought"
        reason = f"consent {what}, so the request needs a public-interest reason"
    else:
        reason = None
    return f"{person_label(person)}: {reason}" if reason else None


def consent_problem_for_person(*, person: NamedPerson, request: InformationRequest) -> str | None:
    """None when this person's consent position lets the request go ahead; otherwise a
    message naming their place on the request and why. Holds no personal data."""
    return _consent_problem(person, request)


@dataclass(frozen=True)
class PersonConsent:
    person: NamedPerson
    label: str
    needs_consent: bool
    consent: ConsentRecord | None
    problem: str | None
    notice: WithdrawalNotice | None

    @property
    def with_consent(self) -> bool:
        return (
            self.needs_consent
            and self.problem is None
            and self.consent is not None
            and (self.consent.status == ConsentStatus.GIVEN)
        )


# Where consent_position keeps its answer on the request, so the request page's consent
# panel (a template tag) reuses what the page's selector already read.
_POSITION_CACHE = "_consent_position"


def consent_position(
    request: InformationRequest,
    *,
    people: Sequence[NamedPerson] | None = None,
    notices: Iterable[WithdrawalNotice] | None = None,
) -> list[PersonConsent]:
    """Every named person's consent position, for the disclosing officer before deciding
    and for the request page. Three queries, however many people are named; none when
    given the people (read with their consents as below) and the notices in order of
    creation, or when already worked out for this request object."""
    if people is None and _POSITION_CACHE in request.__dict__:
        return request.__dict__[_POSITION_CACHE]
    if people is None:
        people = list(
            request.people.select_related(
                "consent__given_to_agency", "consent__disclose_to_agency"
            ).prefetch_related(Prefetch("consent__agreements"))
        )
    if notices is None:
        notices = WithdrawalNotice.objects.filter(request=request).order_by("created_at")
    by_consent = {n.consent_id: n for n in notices}
    position = _positions(request, people, by_consent)
    request.__dict__[_POSITION_CACHE] = position
    return position


def _positions(
    request: InformationRequest,
    people: Sequence[NamedPerson],
    notices: dict[int, WithdrawalNotice],
) -> list[PersonConsent]:
    return [
        PersonConsent(
            person=p,
            label=person_label(p),
            needs_consent=p.role in CONSENT_ROLES,
            consent=p.consent,
            problem=_consent_problem(p, request),
            notice=notices.get(p.consent_id) if p.consent_id else None,
        )
        for p in people
    ]


def _authorised_by(entry: PersonConsent) -> str:
    consent = entry.consent
    assert consent is not None
    if consent.status == ConsentStatus.GIVEN:
        if not consent.about_signer:
            who = f"their {consent.get_signer_capacity_display().lower()}"
        else:
            who = "the person"
        return f"{entry.label}: consent {consent.reference} given by {who}"
    if consent.status == ConsentStatus.NOT_SOUGHT:
        ground = NotSoughtGround(consent.not_sought_ground).label.lower()
        return f"{entry.label}: consent not sought ({consent.reference}): {ground}"
    if consent.status == ConsentStatus.REFUSED:
        return (
            f"{entry.label}: consent refused ({consent.reference}); decision to proceed "
            f"by {consent.proceed_decided_by}"
        )
    return f"{entry.label}: consent withdrawn ({consent.reference})"


def suggested_consent_basis(request: InformationRequest) -> tuple[str, str]:
    """The Appendix G 9(e) basis and 9(g) "who consented or authorised", from the named
    people's consent records. The disclosing officer may change both."""
    needing = [e for e in consent_position(request) if e.needs_consent]
    if not needing:
        return ConsentBasis.LEGITIMATE_PURPOSE.value, ""
    authorised_by = "; ".join(
        _authorised_by(e) if e.consent else f"{e.label}: no consent record" for e in needing
    )
    if all(e.with_consent for e in needing):
        return ConsentBasis.CONSENT.value, authorised_by
    without = [e for e in needing if not e.with_consent]
    if all(
        e.consent is not None
        and e.consent.status == ConsentStatus.NOT_SOUGHT
        and e.consent.not_sought_ground == NotSoughtGround.LEGAL_DUTY
        for e in without
    ):
        return ConsentBasis.LEGAL_DUTY.value, authorised_by
    return ConsentBasis.PUBLIC_INTEREST.value, authorised_by


def withdrawals_for_review(user: User) -> QuerySet[WithdrawalNotice]:
    """Withdrawals of consent reaching requests made to this officer's agency that nobody
    there has reviewed yet, on the requests this officer may see (a DLO sees only decided
    ones): decided requests first, as they may need action on what was shared."""
    return (
        WithdrawalNotice.objects.filter(
            request__in=requests_visible_to(user),
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


def notices_for_request(request: InformationRequest) -> QuerySet[WithdrawalNotice]:
    return WithdrawalNotice.objects.filter(request=request).select_related(
        "consent__withdrawal_recorded_by", "reviewed_by"
    )


def timeline_entries(
    request: InformationRequest, *, notices: Iterable[WithdrawalNotice] | None = None
) -> list[dict[str, Any]]:
    """Withdrawals of consent and their reviews, in the request timeline's shape
    (``notices``: as read by ``notices_for_request``, when already read)."""
    entries: list[dict[str, Any]] = []
    for notice in notices_for_request(request) if notices is None else notices:
        entries.append(
            {
                "when": notice.consent.withdrawn_at,
                "who": notice.consent.withdrawal_recorded_by,
                "status": f"Consent withdrawn for {notice.person_label}",
                "first": False,
            }
        )
        if notice.reviewed_at:
            entries.append(
                {
                    "when": notice.reviewed_at,
                    "who": notice.reviewed_by,
                    "status": f"Withdrawal of consent for {notice.person_label} reviewed",
                    "first": False,
                }
            )
    return entries


def requests_using(consent: ConsentRecord, user: User) -> QuerySet[InformationRequest]:
    """The requests this consent is linked to that this person may see."""
    return (
        requests_visible_to(user)
        .filter(people__consent=consent)
        .select_related("target_agency")
        .distinct()
        .order_by("-created_at")
    )
