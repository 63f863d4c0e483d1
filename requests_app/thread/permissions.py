"""Who reads and who writes a request's thread: the request's need to know by stage, as for
every other part of it (``permissions.SEES``, ``Part.MESSAGES``). One condition per line."""

from accounts.models import User
from requests_app.models import InformationRequest, Side
from requests_app.permissions import Part, Stage, stage_of, visible_parts

# A draft has nobody to write to yet; once the DLO confirms destruction the request is over.
_WRITABLE = frozenset(Stage) - {Stage.DRAFT, Stage.CLOSED}


def can_read_thread(user: User, request: InformationRequest, *, reads: bool | None = None) -> bool:
    """``reads``: whether this person sees the request's messages, when the caller already
    knows it (the request page works out every part once)."""
    return reads if reads is not None else Part.MESSAGES in visible_parts(user, request)


def side_of(user: User, request: InformationRequest) -> Side | None:
    """The side this person writes for: their agency's. An officer belongs to one agency,
    and a request is between two."""
    if user.agency_id == request.requesting_agency_id:
        return Side.REQUESTING
    if user.agency_id == request.target_agency_id:
        return Side.DISCLOSING
    return None


def can_write(user: User, request: InformationRequest, *, reads: bool | None = None) -> bool:
    return (
        stage_of(request) in _WRITABLE
        and can_read_thread(user, request, reads=reads)
        and side_of(user, request) is not None
    )
