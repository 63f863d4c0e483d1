from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Agency, OfficerRole, User


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "default_marking", "response_working_days", "left_on"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class OfficerRoleInline(admin.TabularInline):
    model = OfficerRole
    extra = 0
    readonly_fields = ["agency", "role", "granted_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Roles change through the officer pages, which keep groups and the audit log right.
        return False


# Groups follow roles (accounts.services.role_group) and carry the need-to-know object
# permissions, so adding someone to "MPS:discloser" here would open requests to them. Roles,
# groups and permissions change only on the officer pages, which check who may give what
# and record it; here they are shown, never edited, by superusers too.
admin.site.unregister(Group)


@admin.register(User)
class OfficerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "position", "is_active"]
    list_filter = ["agency", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Officer", {"fields": ("agency", "position", "department", "phone")}),
        (
            "Access (change it on the officer pages)",
            {"fields": ("is_active", "is_staff", "is_superuser", "group_names")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    # Deactivating on the officer pages also ends sessions and removes roles.
    readonly_fields = ["is_active", "is_staff", "is_superuser", "group_names"]
    inlines = [OfficerRoleInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Officers are added on the officer pages, which give them an agency and roles.
        return False

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # Passwords are changed by their owner (with the current one) or reset by email;
        # nobody sets another person's password unseen.
        raise Http404

    @admin.display(description="Groups")
    def group_names(self, obj: User) -> str:
        return ", ".join(sorted(obj.groups.values_list("name", flat=True))) or "None"


# allauth's own admin shows an authenticator's data: the TOTP secret and recovery-code seed.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which second factor and when it was last used, never its secret. Read only:
    adding, changing or removing one here would skip the officer and the audit log."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


# Single sign-on settings and linked identities (administrators only).
from accounts.sso import admin as sso_admin  # noqa: E402, F401
