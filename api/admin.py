"""API clients in Django admin: to look at only. They are made and revoked through
``api.services`` (the ``api_client`` command), which checks the officer and audits."""

from django.contrib import admin
from django.http import HttpRequest
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from api.models import ApiClient

# django-oauth-toolkit's own admin pages would make applications and tokens without an
# officer, an agency or an audit event.
for _model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "officer", "scopes", "created_at", "revoked_at")
    readonly_fields = (
        "application",
        "name",
        "agency",
        "officer",
        "scopes",
        "created_by",
        "created_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
