"""Reads for the audit area, each already filtered by who is asking."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, OuterRef, Q, QuerySet, StringAgg, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest

from accounts.models import User
from audit.models import AuditEvent, EventType
from isp_portal.access import Read, get_visible_or_404
from oversight import permissions
from oversight.models import Breach, BreachStatus
from requests_app.models import (
    ConsentBasis,
    Decision,
    DeliveryMethod,
    InformationRequest,
    InformationType,
    Outcome,
    SubjectInformed,
)
from requests_app.recorded.models import RecordedDisclosure, recorded_reference

# Events that show somebody reading (or trying to read) something.
READ_EVENTS = (
    EventType.REQUEST_VIEWED,
    EventType.PDF_DOWNLOADED,
    EventType.ATTACHMENT_DOWNLOADED,
    EventType.CONSENT_VIEWED,
    EventType.RECORD_VIEWED,
    EventType.LIST_VIEWED,
    EventType.SUBJECT_ACCESS,
    EventType.EXPORT,
    EventType.ACCESS_DENIED,
)

_INFORMATION_TYPE_LABELS = dict(InformationType.choices)


def _legislation_list(through: Any, owner: str, outer: str) -> Subquery:
    label = Case(
        When(legislation__provision="", then=F("legislation__act")),
        default=Concat(F("legislation__act"), Value(" – "), F("legislation__provision")),
    )
    # One row per owner (grouped by its id), its legislation joined into one text.
    per_owner: Any = through.objects.filter(**{owner: OuterRef(outer)}).values(owner)
    return Subquery(per_owner.annotate(names=StringAgg(label, Value("; "))).values("names"))


def _legislation_names() -> Coalesce:
    """The legislation of the decision's request, or of its recorded disclosure."""
    return Coalesce(
        _legislation_list(
            InformationRequest.legislation.through, "informationrequest_id", "request_id"
        ),
        _legislation_list(
            RecordedDisclosure.legislation.through, "recordeddisclosure_id", "recorded_id"
        ),
    )


# How the register marks a decision made without a request through the portal.
RECORDED_MARK = "Recorded without a request"


def register_for(user: User) -> QuerySet[Decision]:
    """The Appendix G 9 register rows this person may see, newest first.

    One query: the request, both agencies and the agreement are joined, and the
    legislation is aggregated in a subquery, so pages and exports never query per row.
    """
    decisions = (
        Decision.objects.select_related(
            "request",
            "request__agreement",
            "recorded",
            "recorded__agreement",
            "requesting_agency",
            "disclosing_agency",
        )
        .annotate(legislation_names=_legislation_names())
        .order_by("-signed_at", "-pk")
    )
    if permissions.is_overseer(user):
        return decisions
    if permissions.oversees_own_agency(user):
        return decisions.filter(disclosing_agency_id=user.agency_id)
    return decisions.none()


def _types_text(codes: Iterable[str], other: str = "", personal: bool = False) -> str:
    """The ISP 4.7 types; the "Other (state)" text only for those who see free text: typed
    by an officer, it may name the people or the case."""
    labels = [_INFORMATION_TYPE_LABELS.get(code, code) for code in codes]
    if personal and other:
        labels = [
            f"Other: {other}" if code == "other" else label
            for code, label in zip(codes, labels, strict=True)
        ]
    return ", ".join(labels)


def _how_shared_text(label: str, other: str, personal: bool) -> str:
    return f"{label}: {other}" if personal and other else label


def _legislation_text(names: str | None, other: str, personal: bool) -> str:
    """The ticked legislation, and the requester's "other" only for those who see free
    text: typed by an officer, it may name the people or the case."""
    if other and not personal:
        other = "Other legislation (not shown)"
    return "; ".join(part for part in (names or "", other) if part)


def _decided_at_text(signed_at: datetime.datetime) -> str:
    return signed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class RegisterRow:
    """One Appendix G 9 line on a page or in a PDF, with the personal columns blanked for
    anyone else. The CSV export builds the same columns from plain values
    (``register_csv_rows``) with the same helpers."""

    decision: Decision
    personal: bool

    @property
    def request(self) -> InformationRequest | None:
        return self.decision.request

    @property
    def recorded(self) -> RecordedDisclosure | None:
        return self.decision.recorded

    @property
    def reference(self) -> str:
        return self.decision.reference

    @property
    def agreement_reference(self) -> str:
        source = self.request or self.recorded
        agreement = source.agreement if source is not None else None
        return agreement.reference if agreement is not None else ""

    @property
    def requester_lines(self) -> list[str]:
        """(c): who asked, or, recorded without a request, who it was shared with."""
        if self.request is not None:
            r = self.request
            return [r.requester_name, r.requester_position, r.requester_organisation]
        return [self.decision.disclosed_to_name, self.decision.disclosed_to_organisation]

    @property
    def information_types(self) -> str:
        return _types_text(
            self.decision.information_types,
            self.decision.information_types_other,
            self.personal,
        )

    @property
    def legislation(self) -> str:
        names = getattr(self.decision, "legislation_names", None)
        source = self.request or self.recorded
        other = source.legislation_other if source is not None else ""
        return _legislation_text(names, other, self.personal)

    @property
    def summary(self) -> str:
        return self.decision.summary

    @property
    def how_shared(self) -> str:
        return _how_shared_text(
            self.decision.get_delivery_method_display(),
            self.decision.delivery_other,
            self.personal,
        )


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
    RECORDED_MARK,
]

# What the CSV reads: plain values, no model instances, so 100,000 rows stream at speed.
_CSV_VALUES = (
    "signed_at",
    "request__reference",
    "requesting_agency__code",
    "disclosing_agency__code",
    "disclosing_agency_id",
    "request__requester_name",
    "request__requester_position",
    "request__requester_organisation",
    "request__legislation_other",
    "request__agreement__reference",
    "recorded_id",
    "recorded__legislation_other",
    "recorded__agreement__reference",
    "disclosed_to_name",
    "disclosed_to_organisation",
    "outcome",
    "summary",
    "reasons",
    "decline_reason",
    "consent_basis",
    "subject_informed",
    "not_informed_reason",
    "authorised_by",
    "information_types",
    "information_types_other",
    "delivery_method",
    "delivery_other",
    "legislation_names",
)


def _own_agency(user: User) -> int | None:
    """The agency whose rows this person sees with names and free text (Appendix G 9): only
    the disclosing agency's own SPOC or deputy. CSP leads and administrators see every row
    depersonalised."""
    return user.agency_id if permissions.oversees_own_agency(user) else None


def register_rows(user: User, decisions: Iterable[Decision]) -> Iterator[RegisterRow]:
    own_agency = _own_agency(user)
    return (
        RegisterRow(d, personal=own_agency is not None and d.disclosing_agency_id == own_agency)
        for d in decisions
    )


def register_csv_rows(user: User, decisions: QuerySet[Decision]) -> Iterator[list[Any]]:
    """The register as CSV cells in the order of ``REGISTER_HEADER``, streamed in chunks."""
    own_agency = _own_agency(user)
    label = {
        name: dict(choices)
        for name, choices in (
            ("outcome", Outcome.choices),
            ("consent_basis", ConsentBasis.choices),
            ("subject_informed", SubjectInformed.choices),
            ("delivery_method", DeliveryMethod.choices),
        )
    }
    outcomes, bases, informed, methods = label.values()
    for v in decisions.values_list(*_CSV_VALUES, named=True).iterator(chunk_size=5000):
        p = own_agency is not None and v.disclosing_agency_id == own_agency
        recorded = v.recorded_id is not None
        if recorded:
            who = (v.disclosed_to_name, "", v.disclosed_to_organisation)
            reference = recorded_reference(v.recorded_id)
            agreement = v.recorded__agreement__reference
            legislation_other = v.recorded__legislation_other
        else:
            who = (
                v.request__requester_name,
                v.request__requester_position,
                v.request__requester_organisation,
            )
            reference = v.request__reference
            agreement = v.request__agreement__reference
            legislation_other = v.request__legislation_other
        yield [
            _decided_at_text(v.signed_at),
            reference,
            v.requesting_agency__code or "",
            v.disclosing_agency__code,
            v.summary,
            *(part if p else "" for part in who),
            outcomes.get(v.outcome, v.outcome),
            v.reasons if p else "",
            v.decline_reason if p else "",
            bases.get(v.consent_basis, v.consent_basis),
            informed.get(v.subject_informed, v.subject_informed),
            v.not_informed_reason if p else "",
            v.authorised_by if p else "",
            _types_text(v.information_types, v.information_types_other, p),
            _how_shared_text(
                methods.get(v.delivery_method, v.delivery_method), v.delivery_other, p
            ),
            agreement or "",
            _legislation_text(v.legislation_names, legislation_other, p),
            "Yes" if recorded else "",
        ]


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
            Q(actor_agency=user.home_agency.code) | Q(request_reference__in=agency_references)
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


BREACH_VIEWED = Read(EventType.RECORD_VIEWED, lambda breach: {"breach": breach.reference})


def get_breach_for(user: User, pk: int, *, http_request: HttpRequest | None = None) -> Breach:
    """The breach, for its reporter, the owning agency's SPOC and deputy and the overseers;
    404 for anyone else, audited with the reference of the request it is about."""
    return get_visible_or_404(
        breaches_for(user),
        pk,
        user=user,
        http_request=http_request,
        read=BREACH_VIEWED,
        reference="request__reference",
    )


def open_breaches() -> QuerySet[Breach]:
    return Breach.objects.exclude(status=BreachStatus.CLOSED)
