"""Who is calling: the officer an API client acts for, from its bearer token."""

from typing import Any

from django.conf import settings
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.request import Request

from accounts.models import User
from accounts.selectors import terms_accepted, terms_current
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
        if not _accepted_terms(officer):
            raise PermissionDenied(
                "The officer this client acts for has not accepted the current terms of use: "
                "they must sign in to the portal and accept them",
                code="terms_not_accepted",
            )
        http_request = request._request
        agent = http_request.META.get("HTTP_USER_AGENT", "")
        http_request.META["HTTP_USER_AGENT"] = (
            f"API client {client.application.client_id} ({client.name}); {agent}"
        )[:AGENT_LENGTH]
        http_request.api_client = client
        return officer, token


def _accepted_terms(officer: User) -> bool:
    """The officer a client acts for has accepted the terms of use in force (ISP 8.8), as
    the pages ask of them before anything else (``accounts.middleware``)."""
    if not settings.TERMS_REQUIRED:
        return True
    version = terms_current()
    return version is None or terms_accepted(user=officer, version=version)
