"""The token endpoint: django-oauth-toolkit's, throttled per address, with every refused
attempt in the audit log (the client id tried, never the secret)."""

import base64
import binascii
import json
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider.views import TokenView
from rest_framework.throttling import SimpleRateThrottle

from audit.models import EventType, Outcome
from audit.services import audit_record

_CLIENT_ID_LENGTH = 100


class TokenRateThrottle(SimpleRateThrottle):
    """``API_TOKEN_RATE_LIMIT`` token requests per client address: checking a secret costs
    a password hash, so guessing is slow and cannot tie up the workers."""

    scope = "api_token"

    def get_rate(self) -> str:
        return str(settings.API_TOKEN_RATE_LIMIT)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        try:
            address = get_adapter(request).get_client_ip(request)
        except PermissionDenied:
            address = "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


def _client_id_tried(request: HttpRequest) -> str:
    """The client id sent, by HTTP Basic or in the body, for the log."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[0][:_CLIENT_ID_LENGTH]
    return str(request.POST.get("client_id", ""))[:_CLIENT_ID_LENGTH]


class ThrottledTokenView(TokenView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = TokenRateThrottle()
        if not throttle.allow_request(request, self):
            wait = int(throttle.wait() or 1)
            self._refused(request, "throttled")
            return JsonResponse(
                {"error": "too_many_requests", "error_description": "Try again later"},
                status=429,
                headers={"Retry-After": str(max(wait, 1))},
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code >= 400:
            try:
                error = str(json.loads(response.content).get("error", ""))[:40]
            except (ValueError, AttributeError):
                error = ""
            self._refused(request, error or str(response.status_code))
        return response

    def _refused(self, request: HttpRequest, error: str) -> None:
        audit_record(
            event_type=EventType.SIGN_IN_FAILED,
            http_request=request,
            outcome=Outcome.DENIED,
            details={"reason": "api token", "error": error, "client_id": _client_id_tried(request)},
        )
