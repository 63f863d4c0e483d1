from functools import partial

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from accounts.navigation import navigation_for
from agreements.models import AgreementStatus
from audit.models import Outcome as AuditOutcome
from consent.models import ConsentStatus
from requests_app.models import AttachmentKind, MessageKind, OnwardStatus, Status
from requests_app.thread.selectors import changes_count, has_changes_list
from rights.models import RightsKind, RightsStatus

# The states templates compare with, by name ({% if req.status == Status.DRAFT %}), never
# as strings. Django's choices are not called by templates (do_not_call_in_templates).
STATES = {
    "Status": Status,
    "AgreementStatus": AgreementStatus,
    "ConsentStatus": ConsentStatus,
    "OnwardStatus": OnwardStatus,
    "RightsStatus": RightsStatus,
    "RightsKind": RightsKind,
    "AttachmentKind": AttachmentKind,
    "MessageKind": MessageKind,
    "AuditOutcome": AuditOutcome,
}


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "service_name": "ISP Portal",
        "navigation": navigation_for(user, request.path) if user else [],
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        **STATES,
        # The header's "What changed" count: one query, run only by a page that shows it.
        "what_changed": (
            SimpleLazyObject(partial(changes_count, user))
            if isinstance(user, User) and has_changes_list(user)
            else None
        ),
    }
