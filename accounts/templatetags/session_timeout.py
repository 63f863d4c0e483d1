"""``{% session_timeout %}``: the hidden timeout warning that static/js/session-timeout.js
shows before a signed-in session ends (WCAG 2.2.1)."""

from typing import Any

from django import template
from django.conf import settings

from accounts.sessions import session_can_be_extended, session_expires_in

register = template.Library()


@register.inclusion_tag("accounts/session_timeout.html", takes_context=True)
def session_timeout(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "expires_in": session_expires_in(request),
        "can_extend": session_can_be_extended(request),
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
        "next": request.get_full_path(),
    }
