"""The project's URLs with the PDF routes, until the lead adds them to requests_app/urls.py.

Once ``requests_app.urls`` holds these names this adds nothing, and the tests run against
the real URL configuration.
"""

from django.urls import URLPattern, include, path

from isp_portal import urls as project_urls
from requests_app import pdf_views
from requests_app import urls as request_urls

PDF_PATTERNS = [
    path("<int:pk>/pdf/", pdf_views.request_pdf, name="request_pdf"),
    path("forms/", pdf_views.blank_forms, name="blank_forms"),
    path(
        "forms/request-disclosure.pdf",
        pdf_views.blank_request_form,
        name="blank_request_form_pdf",
    ),
    path("forms/consent.pdf", pdf_views.blank_consent_form, name="blank_consent_form_pdf"),
]

_wired = {p.name for p in request_urls.urlpatterns if isinstance(p, URLPattern)}

urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) != "requests/"]
urlpatterns.append(
    path(
        "requests/",
        include(
            (
                [*request_urls.urlpatterns, *(p for p in PDF_PATTERNS if p.name not in _wired)],
                "requests",
            )
        ),
    )
)

handler404 = project_urls.handler404
handler500 = project_urls.handler500
