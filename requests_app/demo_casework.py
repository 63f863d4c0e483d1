"""Demo casework for My work and the reminders: requests assigned and not, due soon, due
today and overdue, a question the requester has left unanswered, and an onward-sharing
question for the DLO. Dates are moved as the other demo cases move theirs."""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from requests_app import services
from requests_app.models import InformationRequest, Message, MessageKind, Status
from requests_app.workdays import add_working_days


def _move(req: InformationRequest, *, due_in: int, submitted_days_ago: int) -> None:
    today = timezone.localdate()
    due = add_working_days(today, due_in) if due_in > 0 else today + datetime.timedelta(due_in)
    InformationRequest.objects.filter(pk=req.pk).update(
        due_on=due,
        submitted_at=F("submitted_at") - datetime.timedelta(days=submitted_days_ago),
        received_on=today - datetime.timedelta(days=submitted_days_ago),
    )


def seed_casework(
    *, make: Callable[..., InformationRequest], users: dict[str, User], common: dict[str, Any]
) -> None:
    discloser, spoc = users["police.discloser"], users["police.spoc"]
    mps = discloser.agency
    # Unassigned, due in two working days: the reminder goes to every disclosing officer.
    soon = make(target=mps, n=11, until="submitted", **common)
    _move(soon, due_in=2, submitted_days_ago=8)
    # Urgent, assigned by the SPOC, due today (the police's urgent timescale is 24 hours).
    urgent = make(
        target=mps,
        n=14,
        until="under_review",
        discloser=discloser,
        is_urgent=True,
        urgency_reason="Joint home visit tomorrow morning",
        **common,
    )
    services.request_assign(actor=spoc, request=urgent, assignee=discloser)
    _move(urgent, due_in=0, submitted_days_ago=1)
    # Taken by the disclosing officer, overdue by more than a week: weekly reminders to the
    # SPOC and deputy.
    late = make(target=mps, n=12, until="under_review", discloser=discloser, **common)
    services.request_assign(actor=discloser, request=late, assignee=discloser)
    _move(late, due_in=-9, submitted_days_ago=24)
    # A question the requester has not answered for three working days.
    waiting = make(target=mps, n=13, until="awaiting_clarification", discloser=discloser, **common)
    asked = timezone.now() - datetime.timedelta(days=5)
    InformationRequest.objects.filter(pk=waiting.pk).update(clock_paused_at=asked)
    Message.objects.filter(request=waiting, kind=MessageKind.CLARIFICATION_ASKED).update(
        sent_at=asked
    )


def seed_onward_questions(users: dict[str, User]) -> None:
    """Each side asks the other's DLO whether a disclosure may go on to a housing provider:
    run after the year of decided requests, so both directions have one."""
    for requester, dlo in (
        (users["council.requester"], users["police.dlo"]),
        (users["police.requester"], users["council.dlo"]),
    ):
        disclosed = (
            InformationRequest.objects.filter(
                requester=requester, target_agency=dlo.agency, status=Status.DISCLOSED
            )
            .order_by("-pk")
            .first()
        )
        if disclosed is None:
            continue
        services.onward_sharing_ask(
            actor=requester,
            request=disclosed,
            third_party="Homes for Haringey (housing management)",
            purpose="To plan a joint visit with the housing officer.",
        )
