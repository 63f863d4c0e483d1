"""Reads for the audit area, each already filtered by who is asking."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, OuterRef, Q, QuerySet, StringAgg, Subquery, Value, When
from django.db.models.functions import Concat

from accounts.models import User
from audit import permissions
from audit.models import AuditEvent, Breach, BreachStatus, EventType
from requests_app.models import Decision, InformationRequest, InformationType

# Events that show somebody reading (or trying to read) something.
READ_EVENTS = (
    EventType.REQUEST_VIEWED,
    EventType.PDF_DOWNLOADED,
    EventType.ATTACHMENT_DOWNLOADED,
    EventType.CONSENT_VIEWED,
    EventType.EXPORT,
    EventType.ACCESS_DENIED,
)

_INFORMATION_TYPE_LABELS = dict(InformationType.choices)


def _legislation_list() -> Subquery:
    through = InformationRequest.legislation.through
    label = Case(
        When(legislation__provision="", then=F("legislation__act")),
        default=Concat(F("legislation__act"), Value(" – "), F("legislation__provision")),
    )
    return Subquery(
        through.objects.filter(informationrequest_id=OuterRef("request_id"))
        .values("informationrequest_id")
        .annotate(names=StringAgg(label, Value("; ")))
        .values("names")
    )


def register_for(user: User) -> QuerySet[Decision]:
    """The Appendix G 9 register rows this person may see, newest first.

    One query: the request, both agencies and the agreement are joined, and the
    legislation is aggregated in a subquery, so pages and exports never query per row.
    """
    decisions = (
        Decision.objects.select_related(
            "request",
            "request__requesting_agency",
            "request__target_agency",
            "request__agreement",
        )
        .annotate(legislation_names=_legislation_list())
        .order_by("-signed_at", "-pk")
    )
    if permissions.is_overseer(user):
        return decisions
    if permissions.oversees_own_agency(user):
        return decisions.filter(request__target_agency_id=user.agency_id)
    return decisions.none()


@dataclass(frozen=True)
class RegisterRow:
    """One Appendix G 9 line, with the personal columns blanked for anyone else."""

    decision: Decision
    personal: bool

    @property
    def request(self) -> InformationRequest:
        return self.decision.request

    @property
    def information_types(self) -> str:
        return ", ".join(
            _INFORMATION_TYPE_LABELS.get(code, code) for code in self.decision.information_types
        )

    @property
    def legislation(self) -> str:
        names = getattr(self.decision, "legislation_names", None) or ""
        other = self.request.legislation_other
        return "; ".join(part for part in (names, other) if part)

    @property
    def summary(self) -> str:
        """(b) without personal data: what was asked, by whom, of whom, under what law."""
        request = self.request
        return (
            f"{request.reference}: {request.requesting_agency.code} asked "
            f"{request.target_agency.code} for {self.information_types or 'information'}"
        )

    @property
    def how_shared(self) -> str:
        label = self.decision.get_delivery_method_display()
        if self.personal and self.decision.delivery_other:
            return f"{label}: {self.decision.delivery_other}"
        return label

    def cells(self) -> list[Any]:
        """The CSV row, in the order of ``REGISTER_HEADER``."""
        d, r, p = self.decision, self.request, self.personal
        return [
            d.signed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            r.reference,
            r.requesting_agency.code,
            r.target_agency.code,
            self.summary,
            r.requester_name if p else "",
            r.requester_position if p else "",
            r.requester_organisation if p else "",
            d.get_outcome_display(),
            d.reasons if p else "",
            d.decline_reason if p else "",
            d.get_consent_basis_display(),
            d.get_subject_informed_display(),
            d.not_informed_reason if p else "",
            d.authorised_by if p else "",
            self.information_types,
            self.how_shared,
            r.agreement.reference if r.agreement else "",
            self.legislation,
        ]


REGISTER_HEADER = [
    "Decided at",
    "Reference",
    "Requesting agency",
    "Disclosing agency",
    "Summary of information requested",
    "Requester name",
    "Requester job title",
    "Requester organisation",
    "Decision",
    "Reasons",
    "Reason for declining",
    "Consent basis",
    "Person or family informed",
    "Why not informed",
    "Consented or authorised by",
    "Types of information",
    "How shared",
    "Agreement",
    "Legislation",
]


def register_rows(user: User, decisions: Iterable[Decision]) -> Iterator[RegisterRow]:
    """Names and free text only for the disclosing agency's own SPOC or deputy (App. G 9);
    CSP leads and administrators get every row depersonalised."""
    own_agency = user.agency_id if permissions.oversees_own_agency(user) else None
    return (
        RegisterRow(d, personal=own_agency is not None and d.request.target_agency_id == own_agency)
        for d in decisions
    )


def access_log_for(user: User) -> QuerySet[AuditEvent]:
    """The part of the audit log this person may review, newest first."""
    events = AuditEvent.objects.order_by("-id")
    if permissions.is_overseer(user):
        return events
    if permissions.oversees_own_agency(user):
        agency_references = InformationRequest.objects.filter(
            Q(requesting_agency_id=user.agency_id) | Q(target_agency_id=user.agency_id),
            reference__isnull=False,
        ).values("reference")
        return events.filter(
            Q(actor_agency=user.agency.code) | Q(request_reference__in=agency_references)
        )
    return events.none()


def breaches_for(user: User) -> QuerySet[Breach]:
    breaches = Breach.objects.select_related("owning_agency", "request", "agreement", "reported_by")
    if permissions.is_overseer(user):
        return breaches
    mine = Q(reported_by=user)
    if permissions.oversees_own_agency(user):
        mine |= Q(owning_agency_id=user.agency_id)
    return breaches.filter(mine)


def open_breaches() -> QuerySet[Breach]:
    return Breach.objects.exclude(status=BreachStatus.CLOSED)
