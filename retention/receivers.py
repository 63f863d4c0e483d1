"""The disposal record of what the requests app destroys on an officer's instruction
(``requests_app.signals``); the schedule's own disposals are recorded in services."""

from typing import Any

from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from requests_app.models import InformationRequest
from requests_app.signals import disclosed_content_destroyed, draft_files_discarded
from retention.models import DisposalRule
from retention.services import record_disposal


@receiver(disclosed_content_destroyed)
def record_destruction(
    *,
    request: InformationRequest,
    destroyed: list[str],
    actor: User,
    http_request: HttpRequest | None,
    **kwargs: Any,
) -> None:
    record_disposal(
        request=request,
        destroyed=destroyed,
        rule=DisposalRule.DLO_CONFIRMED,
        actor=actor,
        http_request=http_request,
    )


@receiver(draft_files_discarded)
def record_discarded_drafts(
    *,
    request: InformationRequest,
    destroyed: list[str],
    actor: User,
    http_request: HttpRequest | None,
    **kwargs: Any,
) -> None:
    record_disposal(
        request=request,
        destroyed=destroyed,
        rule=DisposalRule.DRAFT_DISCARDED,
        actor=actor,
        http_request=http_request,
    )
