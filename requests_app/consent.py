"""The consent position of the people a request names: the protocol's consent rules about a
request, in one place. Messages name a person's place on the request, never their name."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import dateformat, timezone

from consent.models import (
    ConsentRecord,
    ConsentStatus,
    NotSoughtGround,
    WithdrawalNotice,
)
from consent.uses import LiveUse
from requests_app.models import (
    CONSENT_ROLES,
    DECIDED_STATUSES,
    OPEN_STATUSES,
    ConsentBasis,
    InformationRequest,
    NamedPerson,
    PersonRole,
)


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
    if request.agreement is None:
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
    problem: str | None
    if consent.status == ConsentStatus.WITHDRAWN:
        when = dateformat.format(timezone.localtime(consent.withdrawn_at), "j F Y")
        problem = f"their consent was withdrawn on {when}"
    elif consent.status == ConsentStatus.GIVEN:
        problem = _given_consent_problem(consent, request)
    elif consent.status == ConsentStatus.REFUSED and not consent.proceed_without_consent:
        problem = "they refused consent and no decision to proceed without it is recorded"
    elif not request.public_interest_reason.strip():
        what = "was refused" if consent.status == ConsentStatus.REFUSED else "was not sought"
        problem = f"consent {what}, so the request needs a public-interest reason"
    else:
        problem = None
    return f"{person_label(person)}: {problem}" if problem else None


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


def consent_basis_problem(
    request: InformationRequest, *, basis: str, today: datetime.date
) -> str | None:
    """Appendix G 9(e): a decision says "with consent" only while every consent the request
    relies on stands. Names the person's place on the request, never their name."""
    if basis != ConsentBasis.CONSENT:
        return None
    relied_on = (
        request.people.filter(role__in=CONSENT_ROLES, consent__isnull=False)
        .select_related("consent")
        .order_by("position", "pk")
    )
    for person in relied_on:
        consent = person.consent
        if consent is None:
            continue
        if consent.status == ConsentStatus.WITHDRAWN:
            when = dateformat.format(timezone.localtime(consent.withdrawn_at), "j F Y")
            return (
                f"{person_label(person)} withdrew their consent on {when}: choose another "
                "basis, or decline"
            )
        if consent.expires_on is not None and consent.expires_on < today:
            when = dateformat.format(consent.expires_on, "j F Y")
            return (
                f"The consent of {person_label(person)} expired on {when}: choose another "
                "basis, or decline"
            )
    return None


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


def live_uses(consent: ConsentRecord) -> list[LiveUse]:
    """The open and decided requests relying on ``consent``, each once, with the places of
    the people on it whose consent it is; a withdrawal reaches each (``consent.uses``)."""
    people = (
        NamedPerson.objects.filter(
            consent=consent, request__status__in=OPEN_STATUSES | DECIDED_STATUSES
        )
        .select_related("request__target_agency", "request__requester")
        .order_by("request_id", "position", "pk")
    )
    by_request: dict[int, LiveUse] = {}
    for person in people:
        request = person.request
        use = by_request.setdefault(
            request.pk,
            LiveUse(request=request, person_labels=[], is_open=request.status in OPEN_STATUSES),
        )
        use.person_labels.append(person_label(person))
    return list(by_request.values())
