"""Past retention, what identifies people goes too, not only the disclosed content (ISP
Appendix B conditions; `002_…` 4.9; `004_…` 5.0 v).

Each ``Part`` is one kind of text about people: the rows that hold it for a request, their
history copies (django-simple-history keeps every saved version: a value left there is not
gone), and the value each field is reduced to. What stays is what the Appendix G register
and the dashboard read, which holds no content: the request's reference, agencies, dates,
status, agreement and legislation; the requester's name, job title and organisation (9(c));
the decision's record (a) to (i); each named person's role; each consent's status, agencies
and dates.

To add a kind of text (the message threads of a request, say), add a ``Part`` to ``PARTS``:
the schedule destroys it from then on, and the disposal record names it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from consent.models import ConsentRecord
from requests_app.models import (
    Decision,
    InformationRequest,
    NamedPerson,
    OnwardSharing,
    Referral,
)

# Put where a field the database requires to be filled (a constraint) held text.
DESTROYED = "Destroyed at the end of the retention period"


@dataclass(frozen=True)
class Part:
    """``kind`` names it in the disposal record; ``rows`` and ``history`` give a request's
    rows and their history copies; ``blanks`` is each field's reduced value."""

    kind: str
    rows: Callable[[int], QuerySet]
    history: Callable[[int], QuerySet]
    blanks: dict[str, Any]


def _model_rows(model: type[Model], owner: str) -> Callable[[int], QuerySet]:
    return lambda pk: model.objects.filter(**{owner: pk})  # type: ignore[attr-defined]


def _history_rows(model: type[Model], owner: str) -> Callable[[int], QuerySet]:
    return lambda pk: model.history.filter(**{owner: pk})  # type: ignore[attr-defined]


PARTS: list[Part] = [
    Part(
        "part_a_description",
        _model_rows(InformationRequest, "pk"),
        _history_rows(InformationRequest, "id"),
        {
            "description": "",
            "urgency_reason": "",
            "public_interest_reason": "",
            "withdrawal_reason": "",
        },
    ),
    Part(
        "named_people",
        _model_rows(NamedPerson, "request_id"),
        _history_rows(NamedPerson, "request_id"),
        {"full_name": "", "address": "", "date_of_birth": None},
    ),
    Part(
        "referrals",
        _model_rows(Referral, "request_id"),
        _history_rows(Referral, "request_id"),
        {"reason": "", "advice": ""},
    ),
    Part(
        "onward_sharing",
        _model_rows(OnwardSharing, "request_id"),
        _history_rows(OnwardSharing, "request_id"),
        {"purpose": "", "answer_reason": ""},
    ),
    # ISP 4.6's evidence and the third parties are not in the Appendix G record.
    Part(
        "decision_evidence",
        _model_rows(Decision, "request_id"),
        _history_rows(Decision, "request_id"),
        {"evidence": "", "third_parties": ""},
    ),
]


def _holding(blanks: dict[str, Any]) -> Q:
    """Rows where any of these fields still holds something other than its reduced value."""
    return reduce(
        or_,
        (
            Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
            for name, value in blanks.items()
        ),
    )


def reduce_rows(rows: QuerySet, history: QuerySet, blanks: dict[str, Any]) -> tuple[int, int]:
    """Reduce the rows and their history copies in place (an update, which writes no new
    history row); how many of each held something."""
    holding = _holding(blanks)
    return rows.filter(holding).update(**blanks), history.filter(holding).update(**blanks)


def _counted(kind: str, live: int, copies: int) -> list[str]:
    what = [f"{kind}:{live}"] if live else []
    return [*what, f"{kind}_history_copies:{copies}"] if copies else what


def destroy_identifying(*, request: InformationRequest) -> list[str]:
    """Reduce every ``Part`` of a locked request past retention; what went, as kinds and
    counts, never content. Call inside the disposal's transaction."""
    destroyed: list[str] = []
    for part in PARTS:
        live, copies = reduce_rows(part.rows(request.pk), part.history(request.pk), part.blanks)
        destroyed += _counted(part.kind, live, copies)
    request.identifying_destroyed_at = timezone.now()
    InformationRequest.objects.filter(pk=request.pk).update(
        identifying_destroyed_at=request.identifying_destroyed_at
    )
    return destroyed


# A consent record reduced to what the dashboard counts (its status, agencies and dates).
CONSENT_BLANKS: dict[str, Any] = {
    "requesting_officer_ref": "",
    "disclosing_officer_ref": "",
    "subject_name": "",
    "subject_address": "",
    "subject_date_of_birth": None,
    "subject_age": None,
    "signer_name": "",
    "signer_address": "",
    "signer_date_of_birth": None,
    "signer_capacity_other": "",
    "purposes": DESTROYED,
    "child_assessment": "",
    "capacity_notes": "",
    "not_sought_reason": "",
    "withdrawal_notes": "",
}


def consent_holds_identifying() -> Q:
    return _holding(CONSENT_BLANKS)


def reduce_consent(consent: ConsentRecord) -> list[str]:
    """Reduce a locked consent record and its history copies; what went."""
    rows = ConsentRecord.objects.filter(pk=consent.pk)
    history = ConsentRecord.history.filter(id=consent.pk)
    blanks = dict(CONSENT_BLANKS)
    # A reason the database requires while proceeding without consent is recorded.
    blanks_required = {"proceed_reason": DESTROYED}
    live, copies = reduce_rows(rows, history, blanks)
    reduce_rows(
        rows.filter(proceed_without_consent=True),
        history.filter(proceed_without_consent=True),
        blanks_required,
    )
    reduce_rows(
        rows.exclude(proceed_without_consent=True),
        history.exclude(proceed_without_consent=True),
        {"proceed_reason": ""},
    )
    return _counted("consent_personal_details", live, copies)


# Recorded disclosures: their record stays in the register; their evidence, the third
# parties and the recipient's telephone go.
RECORDED_BLANKS: dict[str, Any] = {"evidence": "", "third_parties": "", "disclosed_to_phone": ""}


def recorded_ends_on(decision: Decision, default_days: int) -> datetime.date | None:
    """The last day a recorded disclosure's details may be kept: its agreement's period, or
    the portal's default when shared outside any agreement, from the day it was shared."""
    recorded = decision.recorded
    if recorded is None or decision.supplied_on is None:
        return None
    days = recorded.agreement.retention_period_days if recorded.agreement else default_days
    return decision.supplied_on + datetime.timedelta(days=days)


def reduce_recorded(decision: Decision) -> list[str]:
    rows = Decision.objects.filter(pk=decision.pk)
    history = Decision.history.filter(id=decision.pk)
    live, copies = reduce_rows(rows, history, RECORDED_BLANKS)
    rows.update(content_destroyed_at=timezone.now())
    return _counted("recorded_details", live, copies)
