"""Administrators set up an agency's single sign-on in the Django admin; every change goes
through accounts.sso.services and is audited. allauth's own app and token tables are not
used (the apps come from these settings), so their admin pages are removed; linked
identities are listed without their claims, and an administrator may unlink one."""

from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from accounts.signed_in import signed_in_user
from accounts.sso import services
from accounts.sso.models import AgencySignOn
from audit.models import EventType
from audit.services import audit_record

for model in (SocialApp, SocialToken, SocialAccount):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class AgencySignOnForm(forms.ModelForm):
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current one.",
    )

    class Meta:
        model = AgencySignOn
        fields = [
            "agency",
            "enabled",
            "passwords_allowed",
            "issuer",
            "client_id",
            "email_domains",
            "mfa_amr",
            "mfa_acr",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.instance.pk and not cleaned.get("client_secret"):
            self.add_error("client_secret", "Enter the client secret from the identity provider")
        return cleaned


class SuperuserOnly:
    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(AgencySignOn)
class AgencySignOnAdmin(SuperuserOnly, admin.ModelAdmin):
    form = AgencySignOnForm
    list_display = ["agency", "enabled", "issuer", "email_domains", "updated_at"]
    readonly_fields = ["sign_in_urls"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["sign_in_urls"] if obj is not None else []

    @admin.display(description="Redirect URI to register with the identity provider")
    def sign_in_urls(self, obj: AgencySignOn) -> str:
        return reverse("openid_connect_callback", kwargs={"provider_id": obj.provider_id})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.sign_on_save(
            actor=signed_in_user(request),
            sign_on=obj,
            client_secret=form.cleaned_data.get("client_secret") or None,
            changed=list(form.changed_data),
            http_request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.sign_on_delete(actor=signed_in_user(request), sign_on=obj, http_request=request)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(SocialAccount)
class LinkedIdentityAdmin(SuperuserOnly, admin.ModelAdmin):
    """Which officer is linked at which agency's provider; an administrator may unlink one
    (the officer is linked again by verified email at their next sign-in)."""

    list_display = ["user", "provider", "date_joined", "last_login"]
    list_filter = ["provider"]
    fields = ["user", "provider", "date_joined", "last_login"]
    readonly_fields = ["user", "provider", "date_joined", "last_login"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                event_type=EventType.SSO_LINKED,
                http_request=request,
                obj=obj.user,
                details={"provider": obj.provider, "change": "removed by an administrator"},
            )
            obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
