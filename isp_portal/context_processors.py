from django.conf import settings
from django.http import HttpRequest

from accounts.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "service_name": "ISP Portal",
        "navigation": navigation_for(user, request.path) if user else [],
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
    }
