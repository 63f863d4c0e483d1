"""Reads of requests, always filtered by need to know."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import User
from audit.models import EventType, Outcome
from audit.services import audit_record
from requests_app.models import (
    InformationRequest,
    RequestGroupPermission,
    RequestUserPermission,
)

_CODENAME = "see_request"


def requests_visible_to(user: User) -> QuerySet[InformationRequest]:
    """Every request this person may see. One query; no per-row permission checks.

    The two EXISTS subqueries use the (user, content_object) and (group, content_object)
    indexes on guardian's direct foreign-key permission tables.
    """
    if not user.is_authenticated or not user.is_active:
        return InformationRequest.objects.none()
    by_user = RequestUserPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=_CODENAME
    )
    by_group = RequestGroupPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__user=user,
        permission__codename=_CODENAME,
    )
    return InformationRequest.objects.filter(Q(Exists(by_user)) | Q(Exists(by_group)))


def can_see_request(user: User, request: InformationRequest) -> bool:
    return requests_visible_to(user).filter(pk=request.pk).exists()


def get_request_for(
    user: User, pk: int, *, http_request: HttpRequest | None = None, for_update: bool = False
) -> InformationRequest:
    """The request, if this person may see it; otherwise 404, and the attempt is audited.

    Nobody learns whether a request they cannot see exists.
    """
    queryset = requests_visible_to(user).select_related(
        "requester", "requesting_agency", "target_agency", "agreement"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    found = queryset.filter(pk=pk).first()
    if found is None:
        audit_record(
            event_type=EventType.ACCESS_DENIED,
            actor=user,
            http_request=http_request,
            outcome=Outcome.DENIED,
            details={"object_type": "informationrequest", "object_id": str(pk)},
        )
        raise Http404
    return found
