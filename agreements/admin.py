"""Read-only views of the register for superusers; every change goes through the portal's
services so it is audited and signed content stays fixed."""

from django.contrib import admin

from agreements.models import Agreement, JoinApplication, Legislation, Signature


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnly):
    list_display = ["reference", "version", "minor_version", "title", "tier", "status"]
    list_filter = ["status", "tier"]
    search_fields = ["reference", "title"]


@admin.register(Signature)
class SignatureAdmin(ReadOnly):
    list_display = ["agreement", "organisation", "name", "signed_at", "content_hash"]


@admin.register(JoinApplication)
class JoinApplicationAdmin(ReadOnly):
    list_display = ["agreement", "agency", "status", "applied_at"]


@admin.register(Legislation)
class LegislationAdmin(admin.ModelAdmin):
    list_display = ["act", "provision", "code", "on_request_form", "order"]
