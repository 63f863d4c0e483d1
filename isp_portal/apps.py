from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django admin with the portal's admin site (``isp_portal.admin.PortalAdminSite``)."""

    # Not the configuration of the isp_portal app itself, which is in INSTALLED_APPS too.
    default = False
    default_site = "isp_portal.admin.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        # After every app's admin module: this replaces django_tasks_db's registration.
        import isp_portal.outbox_admin  # noqa: F401
