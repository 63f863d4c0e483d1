"""Who may take which action on a request they can already see, and which parts of it
they see at its current stage. One condition per line.

Visibility (need to know) is checked first, by ``selectors.get_request_for``; these rules
decide which of the people who can see a request may act on it, and ``SEES`` decides what
each of them sees of it at each stage (docs/security.md, "Need to know by stage").
"""

from django.db import models

from accounts.models import AGENCY_OVERSIGHT_ROLES, Role, User
from accounts.selectors import designated_managers_of
from requests_app.models import OPEN_STATUSES, AttachmentKind, InformationRequest, Status
from requests_app.workflow import Action, allowed_from


def _is_requester(user: User, request: InformationRequest) -> bool:
    return request.requester_id == user.pk


def _works_for_target(user: User, request: InformationRequest, role: str) -> bool:
    return user.agency_id == request.target_agency_id and user.has_role(role)


def _was_referred_to(user: User, request: InformationRequest) -> bool:
    # Any referral, answered or not: a manager who advised keeps seeing what they advised on.
    return any(r.referred_to_id == user.pk for r in request.referrals.all())


def _is_referred_manager(user: User, request: InformationRequest) -> bool:
    # The manager of the referral still waiting for advice: one who advised on an earlier
    # referral keeps read access to the request, but the advice asked now is not theirs.
    return any(
        r.referred_to_id == user.pk and r.advised_at is None for r in request.referrals.all()
    )


def _has_designated_manager(request: InformationRequest) -> bool:
    # Read with the request by the request page's selector; any other read asks here.
    known = getattr(request, "target_has_designated_manager", None)
    if known is not None:
        return bool(known)
    return designated_managers_of(agency_id=request.target_agency_id).exists()


def _can_refer(user: User, request: InformationRequest) -> bool:
    # Offered only when there is somebody to refer to (ISP 4.5).
    return _works_for_target(user, request, Role.DISCLOSING_OFFICER) and _has_designated_manager(
        request
    )


_WHO: dict[Action, object] = {
    Action.SUBMIT: _is_requester,
    Action.WITHDRAW: _is_requester,
    Action.ANSWER_CLARIFICATION: _is_requester,
    Action.RETURN_INFORMATION: _is_requester,
    Action.START_REVIEW: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.ASK_CLARIFICATION: lambda u, r: _works_for_target(u, r, Role.DISCLOSING_OFFICER),
    Action.REFER: _can_refer,
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


def refers_to_nobody(user: User, request: InformationRequest) -> bool:
    """A disclosing officer who could refer this request now, but whose agency has no
    designated manager: the page says who to ask instead."""
    return (
        user.is_active
        and allowed_from(Action.REFER, request.status)
        and _works_for_target(user, request, Role.DISCLOSING_OFFICER)
        and not _has_designated_manager(request)
    )


def can_create(user: User) -> bool:
    return user.is_active and user.agency_id is not None and user.has_role(Role.REQUESTING_OFFICER)


def can_edit_draft(user: User, request: InformationRequest) -> bool:
    return request.status == Status.DRAFT and _is_requester(user, request)


def can_copy(user: User, request: InformationRequest) -> bool:
    """Copy a sent request into a new draft (ISP 9.6): requesting officers of the agency
    that made it, among those who may see it."""
    return (
        user.is_active
        and request.status != Status.DRAFT
        and user.agency_id == request.requesting_agency_id
        and user.has_role(Role.REQUESTING_OFFICER)
    )


def can_ask_onward_sharing(user: User, request: InformationRequest) -> bool:
    return _is_requester(user, request) and request.status in {"disclosed", "partially_disclosed"}


def can_answer_onward_sharing(user: User, request: InformationRequest) -> bool:
    return _works_for_target(user, request, Role.DLO) and request.decided_at is not None


def can_add_disclosure_files(user: User, request: InformationRequest) -> bool:
    return can(user, Action.DECIDE, request)


def can_remove_attachment(user: User, kind: str, request: InformationRequest) -> bool:
    """Request files while the draft is being written; draft decision files by the
    disclosing side until the decision is signed."""
    if kind == AttachmentKind.REQUEST:
        return can_edit_draft(user, request)
    if kind == AttachmentKind.MESSAGE:
        return False  # sent is sent: a message and its file stay until retention ends
    return stage_of(request) == Stage.OPEN and bool(viewers_of(user, request) & _DISCLOSING_SIDE)


# Who is working on a request ------------------------------------------------------------


def _leads_target(user: User, request: InformationRequest) -> bool:
    return _works_for_target(user, request, Role.SPOC) or _works_for_target(
        user, request, Role.DEPUTY_SPOC
    )


def may_assign(user: User, request: InformationRequest) -> bool:
    """Whether this person has any say in who works on the request, whatever its state:
    refused with 403 otherwise."""
    return user.is_active and (
        _works_for_target(user, request, Role.DISCLOSING_OFFICER) or _leads_target(user, request)
    )


def is_assignable(request: InformationRequest) -> bool:
    """Open: submitted and not yet decided, withdrawn or closed."""
    return request.status in OPEN_STATUSES


def can_take(user: User, request: InformationRequest) -> bool:
    """ "Assign to me": a disclosing officer of the target agency, while nobody else has it."""
    return (
        user.is_active
        and is_assignable(request)
        and _works_for_target(user, request, Role.DISCLOSING_OFFICER)
        and request.assigned_to_id in (None, user.pk)
    )


def can_manage_assignment(user: User, request: InformationRequest) -> bool:
    """The target agency's SPOC or deputy assigns, reassigns or unassigns."""
    return user.is_active and is_assignable(request) and _leads_target(user, request)


def can_assign(user: User, request: InformationRequest, assignee: User | None) -> bool:
    if can_manage_assignment(user, request):
        return True
    return assignee is not None and assignee.pk == user.pk and can_take(user, request)


def can_be_assigned(officer: User, request: InformationRequest) -> bool:
    """Only an active disclosing officer of the target agency works on a request."""
    return officer.is_active and _works_for_target(officer, request, Role.DISCLOSING_OFFICER)


# Need to know by stage -------------------------------------------------------------------


class Stage(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Submitted, not yet decided"
    DISCLOSED = "disclosed", "Disclosed (fully or partially)"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RETURNED = "returned", "Returned to the DLO"
    CLOSED = "closed", "Destruction confirmed"


_STAGE_OF_STATUS: dict[str, Stage] = {
    Status.DRAFT: Stage.DRAFT,
    Status.SUBMITTED: Stage.OPEN,
    Status.UNDER_REVIEW: Stage.OPEN,
    Status.AWAITING_CLARIFICATION: Stage.OPEN,
    Status.REFERRED: Stage.OPEN,
    Status.DISCLOSED: Stage.DISCLOSED,
    Status.PARTIALLY_DISCLOSED: Stage.DISCLOSED,
    Status.DECLINED: Stage.DECLINED,
    Status.WITHDRAWN: Stage.WITHDRAWN,
    Status.RETURNED: Stage.RETURNED,
    Status.CLOSED: Stage.CLOSED,
}


def stage_of(request: InformationRequest) -> Stage:
    return _STAGE_OF_STATUS[request.status]


class Viewer(models.TextChoices):
    """The part a person plays on one request. One person may play several."""

    REQUESTER = "requester", "Requesting officer"
    REQUESTING_SPOC = "requesting_spoc", "Requesting agency's SPOC or deputy"
    DISCLOSER = "discloser", "Disclosing officer"
    DISCLOSING_SPOC = "disclosing_spoc", "Disclosing agency's SPOC or deputy"
    MANAGER = "manager", "Designated manager it was referred to"
    DLO = "dlo", "Disclosing agency's DLO"


class Part(models.TextChoices):
    PART_A = "part_a", "Part A and its supporting files"
    PEOPLE = "people", "People named"
    CONSENT = "consent", "Consent position"
    DRAFT_DECISION = "draft_decision", "Draft decision: files being prepared to disclose"
    DECISION = "decision", "Part B record (outcome, reasons, Appendix G)"
    DECISION_FILES = "decision_files", "Files disclosed with the signed decision"
    DISCLOSED_CONTENT = "disclosed_content", "Information disclosed (the text)"
    MESSAGES = "messages", "Messages and clarification, referral and advice, onward sharing"


_DISCLOSING_SIDE = frozenset({Viewer.DISCLOSER, Viewer.DISCLOSING_SPOC})
_ALL = frozenset(Stage)
_SUBMITTED = _ALL - {Stage.DRAFT}
_OPEN = frozenset({Stage.OPEN})
_DECIDED = frozenset({Stage.DISCLOSED, Stage.DECLINED, Stage.RETURNED, Stage.CLOSED})
# The disclosed text and files exist from the signing of a disclosure until destruction.
_HELD = frozenset({Stage.DISCLOSED, Stage.RETURNED})
_NONE: frozenset[Stage] = frozenset()

# part: viewer: the stages in which they see it. A viewer who cannot see the request at all
# (``access``) sees none of it, whatever this says; this never shows more than access grants.
SEES: dict[Part, dict[Viewer, frozenset[Stage]]] = {
    Part.PART_A: {
        Viewer.REQUESTER: _ALL,
        Viewer.REQUESTING_SPOC: _ALL,
        Viewer.DISCLOSER: _SUBMITTED,
        Viewer.DISCLOSING_SPOC: _SUBMITTED,
        Viewer.MANAGER: _SUBMITTED,
        Viewer.DLO: _DECIDED,
    },
    Part.PEOPLE: {
        Viewer.REQUESTER: _ALL,
        Viewer.REQUESTING_SPOC: _ALL,
        Viewer.DISCLOSER: _SUBMITTED,
        Viewer.DISCLOSING_SPOC: _SUBMITTED,
        Viewer.MANAGER: _SUBMITTED,
        Viewer.DLO: _DECIDED,
    },
    Part.CONSENT: {
        Viewer.REQUESTER: _ALL,
        Viewer.REQUESTING_SPOC: _ALL,
        Viewer.DISCLOSER: _SUBMITTED,
        Viewer.DISCLOSING_SPOC: _SUBMITTED,
        Viewer.MANAGER: _SUBMITTED,
        Viewer.DLO: _DECIDED,
    },
    # The disclosing side's working papers: never the requester's, and gone at signing
    # (disclosed: they become the decision files; declined or withdrawn: discarded).
    Part.DRAFT_DECISION: {
        Viewer.REQUESTER: _NONE,
        Viewer.REQUESTING_SPOC: _NONE,
        Viewer.DISCLOSER: _OPEN,
        Viewer.DISCLOSING_SPOC: _OPEN,
        Viewer.MANAGER: _OPEN,
        Viewer.DLO: _NONE,
    },
    Part.DECISION: {
        Viewer.REQUESTER: _DECIDED,
        Viewer.REQUESTING_SPOC: _DECIDED,
        Viewer.DISCLOSER: _DECIDED,
        Viewer.DISCLOSING_SPOC: _DECIDED,
        Viewer.MANAGER: _DECIDED,
        Viewer.DLO: _DECIDED,
    },
    # Returning the information ends the requesting side's access at once; the disclosing
    # side and its DLO keep it until the DLO confirms destruction.
    Part.DECISION_FILES: {
        Viewer.REQUESTER: frozenset({Stage.DISCLOSED}),
        Viewer.REQUESTING_SPOC: frozenset({Stage.DISCLOSED}),
        Viewer.DISCLOSER: _HELD,
        Viewer.DISCLOSING_SPOC: _HELD,
        Viewer.MANAGER: _NONE,
        Viewer.DLO: _HELD,
    },
    Part.DISCLOSED_CONTENT: {
        Viewer.REQUESTER: frozenset({Stage.DISCLOSED}),
        Viewer.REQUESTING_SPOC: frozenset({Stage.DISCLOSED}),
        Viewer.DISCLOSER: _HELD,
        Viewer.DISCLOSING_SPOC: _HELD,
        Viewer.MANAGER: _NONE,
        Viewer.DLO: _HELD,
    },
    Part.MESSAGES: {
        Viewer.REQUESTER: _ALL,
        Viewer.REQUESTING_SPOC: _ALL,
        Viewer.DISCLOSER: _SUBMITTED,
        Viewer.DISCLOSING_SPOC: _SUBMITTED,
        Viewer.MANAGER: _SUBMITTED,
        Viewer.DLO: _DECIDED,
    },
}


def viewers_of(user: User, request: InformationRequest) -> frozenset[Viewer]:
    """The parts this person plays on this request, from the same facts ``access`` grants
    need to know from."""
    if not user.is_active:
        return frozenset()
    found = set()
    if _is_requester(user, request):
        found.add(Viewer.REQUESTER)
    oversees = bool(user.role_set & AGENCY_OVERSIGHT_ROLES)
    if oversees and user.agency_id == request.requesting_agency_id:
        found.add(Viewer.REQUESTING_SPOC)
    if user.agency_id == request.target_agency_id:
        if user.has_role(Role.DISCLOSING_OFFICER):
            found.add(Viewer.DISCLOSER)
        if oversees:
            found.add(Viewer.DISCLOSING_SPOC)
        if user.has_role(Role.DLO):
            found.add(Viewer.DLO)
        if user.has_role(Role.DESIGNATED_MANAGER) and _was_referred_to(user, request):
            found.add(Viewer.MANAGER)
    return frozenset(found)


def visible_parts(user: User, request: InformationRequest) -> frozenset[Part]:
    """What this person sees of this request now. Call only on a request fetched through
    need to know (``selectors.get_request_for``)."""
    stage = stage_of(request)
    viewers = viewers_of(user, request)
    return frozenset(
        part for part, by_viewer in SEES.items() if any(stage in by_viewer[v] for v in viewers)
    )


def attachment_part(kind: str, request: InformationRequest) -> Part:
    """Files supporting the request belong to Part A; disclosure files are a draft until
    a disclosure is signed, then the decision's files."""
    if kind == AttachmentKind.REQUEST:
        return Part.PART_A
    if kind == AttachmentKind.MESSAGE:
        return Part.MESSAGES
    if stage_of(request) in {Stage.DRAFT, Stage.OPEN}:
        return Part.DRAFT_DECISION
    return Part.DECISION_FILES
