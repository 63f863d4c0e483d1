from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django admin with the portal's admin site (``isp_portal.admin.PortalAdminSite``)."""

    # Not the configuration of the isp_portal app itself, which is in INSTALLED_APPS too.
    default = False
    default_site = "isp_portal.admin.PortalAdminSite"
