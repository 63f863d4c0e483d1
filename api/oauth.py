"""The OAuth 2.0 side: which scopes a client may ask for, and who may get a token at all."""

from typing import Any

from oauth2_provider.models import Application
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes

from api.models import ApiClient


def client_of(application: Application | None) -> ApiClient | None:
    """The API client behind an OAuth application, with its officer's roles, or None."""
    if application is None:
        return None
    return (
        ApiClient.objects.select_related("officer__agency", "agency", "application")
        .prefetch_related("officer__roles")
        .filter(application_id=application.pk)
        .first()
    )


class ClientScopes(SettingsScopes):
    """A client may ask only for the scopes an administrator gave it; asking for none
    gives it all of them."""

    def get_available_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kw: Any
    ) -> list[str]:
        client = client_of(application)
        return client.scope_list if client is not None else []

    def get_default_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kw: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)


class ClientValidator(OAuth2Validator):
    """Only a usable API client gets a token: one not revoked, whose officer is still an
    active officer of its agency. Everything else is django-oauth-toolkit's."""

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Application, request: Any, *a: Any, **kw: Any
    ) -> bool:
        if grant_type != "client_credentials":
            return False
        api_client = client_of(client)
        if api_client is None or not api_client.is_usable:
            return False
        return bool(super().validate_grant_type(client_id, grant_type, client, request, *a, **kw))
