"""The project's URLs with the PDF routes, until the lead adds them to ``requests_app/urls.py``
and ``consent/urls.py``.

Routes already wired under the same name are not added again, so once the lead has added
them this changes nothing and the tests run against the real URL configuration.
"""

from django.urls import URLPattern, include, path

from consent import urls as consent_urls
from isp_portal import urls as project_urls
from requests_app import pdf_views
from requests_app import urls as request_urls

REQUEST_PDF_PATTERNS = [
    path("<int:pk>/pdf/", pdf_views.request_pdf, name="request_pdf"),
    path("forms/", pdf_views.blank_forms, name="blank_forms"),
    path(
        "forms/request-disclosure.pdf",
        pdf_views.blank_request_form,
        name="blank_request_form_pdf",
    ),
    path("forms/consent.pdf", pdf_views.blank_consent_form, name="blank_consent_form_pdf"),
]
CONSENT_PDF_PATTERNS = [path("<int:pk>/pdf/", pdf_views.consent_pdf, name="pdf")]


def _with(module: object, extra: list[URLPattern], namespace: str) -> tuple[list, str]:
    patterns = module.urlpatterns  # type: ignore[attr-defined]
    wired = {p.name for p in patterns if isinstance(p, URLPattern)}
    return [*patterns, *(p for p in extra if p.name not in wired)], namespace


_replaced = {"requests/", "consents/"}
urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) not in _replaced]
urlpatterns += [
    path("requests/", include(_with(request_urls, REQUEST_PDF_PATTERNS, "requests"))),
    path("consents/", include(_with(consent_urls, CONSENT_PDF_PATTERNS, "consent"))),
]

handler404 = project_urls.handler404
handler500 = project_urls.handler500
