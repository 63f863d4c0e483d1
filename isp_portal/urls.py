from django.contrib import admin
from django.urls import include, path

from isp_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("guidance/", views.guidance, name="guidance"),
    path("guidance/<slug:page>/", views.guidance, name="guidance_page"),
    path("accounts/", include("allauth.urls")),
    path("officers/", include("accounts.urls")),
    path("requests/rights/", include("rights.urls")),
    path("requests/", include("requests_app.urls")),
    path("consents/", include("consent.urls")),
    path("agreements/", include("agreements.urls")),
    path("audit/", include("oversight.urls")),
    path("django-admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api-clients/", include("api.client_urls")),
]

handler404 = "isp_portal.views.not_found"
handler500 = "isp_portal.views.server_error"
