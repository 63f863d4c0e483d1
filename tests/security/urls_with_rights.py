"""The project's URLs with the rights pages in the requests namespace, as the lead wires
them (``*rights_views.RIGHTS_URLS`` in ``requests_app.urls``). Once wired this adds nothing."""

from django.urls import include, path

from isp_portal import urls as project
from requests_app import rights_views
from requests_app import urls as request_urls

_wired = {p.name for p in request_urls.urlpatterns}
_requests = (
    [
        *request_urls.urlpatterns,
        *(p for p in rights_views.RIGHTS_URLS if p.name not in _wired),
    ],
    "requests",
)

urlpatterns = [
    path("requests/", include(_requests)) if str(p.pattern) == "requests/" else p
    for p in project.urlpatterns
]
handler404 = project.handler404
handler500 = project.handler500
