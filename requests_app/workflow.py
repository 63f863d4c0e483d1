"""The request workflow: every action, the states it may start from, and where it leads.

This table is the only place the allowed transitions are written down. Services consult it
(under a row lock) before changing anything; templates consult it to offer actions.
"""

from django.db import models

from requests_app.models import Status


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit"
    START_REVIEW = "start_review", "Start review"
    ASK_CLARIFICATION = "ask_clarification", "Ask the requester for clarification"
    ANSWER_CLARIFICATION = "answer_clarification", "Answer clarification"
    REFER = "refer", "Refer to designated manager"
    GIVE_ADVICE = "give_advice", "Give advice"
    DECIDE = "decide", "Record decision"
    WITHDRAW = "withdraw", "Withdraw request"
    RETURN_INFORMATION = "return_information", "Return information for destruction"
    CONFIRM_DESTRUCTION = "confirm_destruction", "Confirm destruction"


_BEFORE_DECISION = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.AWAITING_CLARIFICATION,
        Status.REFERRED,
    }
)

# action: (states it may start from, state it leads to; None when the action decides it)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT}), Status.SUBMITTED),
    Action.START_REVIEW: (frozenset({Status.SUBMITTED}), Status.UNDER_REVIEW),
    Action.ASK_CLARIFICATION: (
        frozenset({Status.SUBMITTED, Status.UNDER_REVIEW}),
        Status.AWAITING_CLARIFICATION,
    ),
    Action.ANSWER_CLARIFICATION: (
        frozenset({Status.AWAITING_CLARIFICATION}),
        Status.UNDER_REVIEW,
    ),
    Action.REFER: (frozenset({Status.UNDER_REVIEW}), Status.REFERRED),
    Action.GIVE_ADVICE: (frozenset({Status.REFERRED}), Status.UNDER_REVIEW),
    Action.DECIDE: (frozenset({Status.UNDER_REVIEW}), None),
    Action.WITHDRAW: (_BEFORE_DECISION, Status.WITHDRAWN),
    Action.RETURN_INFORMATION: (
        frozenset({Status.DISCLOSED, Status.PARTIALLY_DISCLOSED}),
        Status.RETURNED,
    ),
    Action.CONFIRM_DESTRUCTION: (frozenset({Status.RETURNED}), Status.CLOSED),
}


def allowed_from(action: Action, status: str) -> bool:
    return status in TRANSITIONS[action][0]


def target_state(action: Action) -> Status:
    """The state ``action`` leads to. A decision has none of its own: its outcome says."""
    target = TRANSITIONS[action][1]
    if target is None:
        raise ValueError(f"where {action} leads depends on its outcome")
    return target
