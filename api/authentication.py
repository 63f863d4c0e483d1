"""Who is calling: the officer an API client acts for, from its bearer token."""

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.oauth import client_of

# What the audit log's user-agent column records for a call through the API.
AGENT_LENGTH = 300


class ClientAuthentication(OAuth2Authentication):
    """A valid token of a usable client authenticates as the client's officer, loaded
    with their agency and roles, so every need-to-know rule applies to them as on a page.
    The client rides along as ``request.auth.application.api_client``; the audit log's
    user agent names it, so every event the call records says which system acted."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        _user, token = found
        client = client_of(token.application)
        if client is None or not client.is_usable:
            raise AuthenticationFailed("This API client can no longer be used")
        officer = client.officer
        officer._role_set = frozenset(r.role for r in officer.roles.all())
        http_request = request._request
        agent = http_request.META.get("HTTP_USER_AGENT", "")
        http_request.META["HTTP_USER_AGENT"] = (
            f"API client {client.application.client_id} ({client.name}); {agent}"
        )[:AGENT_LENGTH]
        http_request.api_client = client  # type: ignore[attr-defined]
        return officer, token
