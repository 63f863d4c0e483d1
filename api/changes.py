"""Changes by polling a cursor: which requests this officer may see changed since the
cursor, each with its status now.

The cursor is the position in the requests' history (django-simple-history), signed so a
client can neither read nor forge one. Each request changed since appears once, as it is
now, and only if the officer may see it now (``selectors.requests_visible_to``); what
changed is read from the request itself, so a change never shows more than its page.
"""

from dataclasses import dataclass

from django.core import signing

from accounts.models import User
from requests_app.models import InformationRequest
from requests_app.selectors import requests_visible_to

_SALT = "api.changes"
# History rows read by one poll: a poll answers quickly however busy the portal was.
HISTORY_PAGE = 200


class BadCursor(ValueError):
    pass


def cursor_for(position: int) -> str:
    return signing.dumps(position, salt=_SALT, compress=False)


def position_of(cursor: str) -> int:
    try:
        position = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as exc:
        raise BadCursor from exc
    if not isinstance(position, int) or position < 0:
        raise BadCursor
    return position


@dataclass(frozen=True)
class Changes:
    requests: list[InformationRequest]
    cursor: str
    more: bool


def changes_since(user: User, position: int) -> Changes:
    history = InformationRequest.history.model
    rows = list(
        history.objects.filter(
            history_id__gt=position, id__in=requests_visible_to(user).values("pk")
        )
        .order_by("history_id")
        .values_list("history_id", "id")[: HISTORY_PAGE + 1]
    )
    more = len(rows) > HISTORY_PAGE
    rows = rows[:HISTORY_PAGE]
    # Nothing new: the cursor stays where it was.
    last = rows[-1][0] if rows else position
    ids = {request_id for _history_id, request_id in rows}
    found = (
        InformationRequest.objects.filter(pk__in=ids)
        .select_related("requesting_agency", "target_agency")
        .order_by("updated_at", "pk")
    )
    return Changes(requests=list(found), cursor=cursor_for(last), more=more)
