"""Who reads and who writes a request's thread: the request's need to know by stage, as for
every other part of it (``permissions.SEES``, ``Part.MESSAGES``). One condition per line."""

from accounts.models import User
from requests_app.models import InformationRequest, Side
from requests_app.permissions import Part, Stage, Viewer, stage_of, viewers_of, visible_parts

_REQUESTING_SIDE = frozenset({Viewer.REQUESTER, Viewer.REQUESTING_SPOC})
_DISCLOSING_SIDE = frozenset({Viewer.DISCLOSER, Viewer.DISCLOSING_SPOC, Viewer.MANAGER, Viewer.DLO})
# A draft has nobody to write to yet; once the DLO confirms destruction the request is over.
_WRITABLE = frozenset(Stage) - {Stage.DRAFT, Stage.CLOSED}


def can_read_thread(user: User, request: InformationRequest) -> bool:
    return Part.MESSAGES in visible_parts(user, request)


def side_of(user: User, request: InformationRequest) -> Side | None:
    """The side this person writes for on this request (an officer belongs to one agency,
    and a request is between two)."""
    viewers = viewers_of(user, request)
    if viewers & _REQUESTING_SIDE:
        return Side.REQUESTING
    if viewers & _DISCLOSING_SIDE:
        return Side.DISCLOSING
    return None


def can_write(user: User, request: InformationRequest) -> bool:
    return (
        stage_of(request) in _WRITABLE
        and can_read_thread(user, request)
        and side_of(user, request) is not None
    )


def other_side(side: Side) -> Side:
    return Side.DISCLOSING if side == Side.REQUESTING else Side.REQUESTING
