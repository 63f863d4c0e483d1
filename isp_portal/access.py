"""The one way a view gets a protected object: from the person's need-to-know queryset."""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from audit.models import EventType, Outcome
from audit.services import audit_record


def get_visible_or_404[M: Model](
    visible: QuerySet[M],
    pk: int,
    *,
    user: Any,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
) -> M:
    """The object, if it is in ``visible`` (what this person may see); otherwise 404, with
    the attempt in the audit log. Nobody learns whether something they cannot see exists."""
    if for_update:
        visible = visible.select_for_update(of=("self",))
    found = visible.filter(pk=pk).first()
    if found is None:
        audit_record(
            event_type=EventType.ACCESS_DENIED,
            actor=user,
            http_request=http_request,
            outcome=Outcome.DENIED,
            details={"object_type": visible.model._meta.model_name, "object_id": str(pk)},
        )
        raise Http404
    return found
