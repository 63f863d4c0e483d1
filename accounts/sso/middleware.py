"""The sign-in page's forms post to the portal, which answers with a redirect to the
agency's identity provider. Browsers hold that redirect to the page's CSP ``form-action``,
so on the pages with those forms the offered providers' origins are added to it."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.csp import CSP

from accounts.sso.selectors import sign_ons_offered


class SignOnFormActionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path == reverse("account_login") or request.path.startswith("/accounts/oidc/"):
            origins = sorted({_origin(sign_on.issuer) for sign_on in sign_ons_offered()})
            if origins:
                policy = dict(getattr(response, "_csp_config", None) or settings.SECURE_CSP)
                policy["form-action"] = [CSP.SELF, *origins]
                response._csp_config = policy  # type: ignore[attr-defined]
        return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
