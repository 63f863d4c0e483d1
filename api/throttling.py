"""Rate limits per API client, counted in the shared cache across workers."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` calls per client, whichever officer or token it uses; a call
    without a usable token is refused before this counts anything."""

    scope = "api_client"

    def get_rate(self) -> str:
        # Read on each call, not at import, so the setting can be changed (and tested).
        return str(settings.API_RATE_LIMIT)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if token is None or getattr(token, "application_id", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.application_id}
