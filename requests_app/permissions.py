"""Who may take which action on a request they can already see. One condition per line.

Visibility (need to know) is checked first, by ``selectors.get_request_for``; these rules
decide which of the people who can see a request may act on it.
"""

from accounts.models import Role, User
from requests_app.models import InformationRequest
from requests_app.workflow import Action, allowed_from


def _is_requester(user: User, request: InformationRequest) -> bool:
    return request.requester_id == user.pk


def _works_for_target(user: User, request: InformationRequest, role: str) -> bool:
    return user.agency_id == request.target_agency_id and user.has_role(role)


def _is_referred_manager(user: User, request: InformationRequest) -> bool:
    # The manager of the referral still waiting for advice: one who advised on an earlier
    # referral keeps read access to the request, but the advice asked now is not theirs.
    return any(
        r.referred_to_id == user.pk and r.advised_at is None for r in request.referrals.all()
    )


_WHO: dict[Action, object] = {
    Action.SUBMIT: _is_requester,
    Action.WITHDRAW: _is_requester,
    Action.ANSWER_CLARIFICATION: _is_requester,
    Action.RETURN_INFORMATION: _is_requester,
    Action.START_REVIEW: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.ASK_CLARIFICATION: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.REFER: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.DECIDE: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.GIVE_ADVICE: _is_referred_manager,
    Action.CONFIRM_DESTRUCTION: lambda u, r: _works_for_target(u, r, Role.DLO),
}


def is_actor_for(user: User, action: Action, request: InformationRequest) -> bool:
    """Whether this person is the one who takes this action, whatever the state."""
    if not user.is_active:
        return False
    return bool(_WHO[action](user, request))  # type: ignore[operator]


def can(user: User, action: Action, request: InformationRequest) -> bool:
    if not allowed_from(action, request.status):
        return False
    return is_actor_for(user, action, request)


def available_actions(user: User, request: InformationRequest) -> list[Action]:
    return [action for action in Action if can(user, action, request)]


def can_create(user: User) -> bool:
    return user.is_active and user.agency_id is not None and user.has_role(Role.REQUESTING_OFFICER)


def can_edit_draft(user: User, request: InformationRequest) -> bool:
    return request.status == "draft" and _is_requester(user, request)


def can_ask_onward_sharing(user: User, request: InformationRequest) -> bool:
    return _is_requester(user, request) and request.status in {"disclosed", "partially_disclosed"}


def can_answer_onward_sharing(user: User, request: InformationRequest) -> bool:
    return _works_for_target(user, request, Role.DLO) and request.decided_at is not None


def can_add_disclosure_files(user: User, request: InformationRequest) -> bool:
    return can(user, Action.DECIDE, request)
