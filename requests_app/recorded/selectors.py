"""Reads of recorded disclosures, filtered by need to know."""

from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from audit.models import EventType
from isp_portal.access import Read, get_visible_or_404
from requests_app.recorded import permissions
from requests_app.recorded.models import RecordedDisclosure


def recorded_for(user: User) -> QuerySet[RecordedDisclosure]:
    """The agency's recorded disclosures, newest first, for its recording officers."""
    if not permissions.can_record(user) or user.agency is None:
        return RecordedDisclosure.objects.none()
    return (
        RecordedDisclosure.objects.filter(agency=user.agency)
        .select_related("decision", "decision__requesting_agency", "agreement", "recorded_by")
        .prefetch_related("legislation")
        .order_by("-recorded_at", "-pk")
    )


RECORDED_VIEWED = Read(EventType.RECORD_VIEWED, lambda rec: {"recorded": rec.reference})


RECORDED_PRINTED = Read(
    EventType.PDF_DOWNLOADED,
    lambda rec: {"document": "recorded_disclosure", "recorded": rec.reference},
)


def get_recorded_for(
    user: User, pk: int, *, http_request: HttpRequest | None = None, read: Read = RECORDED_VIEWED
) -> RecordedDisclosure:
    """The record, for its agency's recording officers; 404 for anyone else, audited."""
    return get_visible_or_404(
        recorded_for(user), pk, user=user, http_request=http_request, read=read
    )
