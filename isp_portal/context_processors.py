from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.navigation import navigation_for
from requests_app.thread.selectors import changes_count, has_changes_list


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "service_name": "ISP Portal",
        "navigation": navigation_for(user, request.path) if user else [],
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        # The header's "What changed" count: one query, run only by a page that shows it.
        "what_changed": (
            SimpleLazyObject(lambda: changes_count(user)) if has_changes_list(user) else None
        ),
    }
