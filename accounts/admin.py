from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
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

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        # Roles change through the officer pages, which keep groups and the audit log right.
        return False


@admin.register(User)
class OfficerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "position", "is_active"]
    list_filter = ["agency", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Officer", {"fields": ("agency", "position", "department", "phone")}),
    )
    inlines = [OfficerRoleInline]
