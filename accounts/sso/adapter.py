"""allauth's social-account adapter for the portal: apps come from the agencies' sign-on
settings (never from allauth's own SocialApp table or settings), nobody signs up, and a
sign-in is let through only to the account ``sso_match`` finds."""

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.sso.claims import kept_claims, second_factor_used
from accounts.sso.matching import Refusal, sso_match
from accounts.sso.models import AgencySignOn
from accounts.sso.selectors import sign_on_for_provider, sign_ons_offered
from accounts.sso.services import sso_link, sso_refused
from accounts.sso.stages import IDP_SECOND_FACTOR


def password_sign_in_refused(
    request: HttpRequest, user: Any, signal_kwargs: dict[str, Any] | None
) -> HttpResponse | None:
    """An officer whose agency signs in only through its provider (``passwords_allowed``
    off) is refused a sign-in with a portal password, with a page that points to the
    provider. Called by the account adapter's ``pre_login``, after the password checked."""
    if signal_kwargs and signal_kwargs.get("sociallogin") is not None:
        return None
    sign_on = getattr(getattr(user, "agency", None), "sign_on", None) if user.agency_id else None
    if sign_on is None or sign_on.passwords_allowed or not sign_on.enabled:
        return None
    sso_refused(
        http_request=request,
        provider_id=sign_on.provider_id,
        reason="password sign-in not allowed for the agency",
        user=user,
    )
    return render(
        request, "socialaccount/use_provider.html", {"agency": sign_on.agency}, status=403
    )


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[Any]:
        apps = []
        for sign_on in sign_ons_offered():
            if provider not in (None, "openid_connect", sign_on.provider_id):
                continue
            if client_id is not None and client_id != sign_on.client_id:
                continue
            apps.append(sign_on.social_app())
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        account = sociallogin.account
        sign_on = sign_on_for_provider(account.provider)
        linked_user = sociallogin.user if account.pk is not None else None
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            self._refuse(request, account.provider, Refusal.CONNECT, linked_user, sign_on)
        match = sso_match(sign_on=sign_on, linked_user=linked_user, extra_data=account.extra_data)
        if match.refusal is not None:
            self._refuse(request, account.provider, match.refusal, match.user, sign_on)
        assert sign_on is not None and match.user is not None  # nosec: a match has both
        second_factor = second_factor_used(sign_on, account.extra_data)
        account.extra_data = kept_claims(account.extra_data)
        if match.link:
            if not sso_link(
                sign_on=sign_on, user=match.user, account=account, http_request=request
            ):
                self._refuse(request, account.provider, Refusal.DEACTIVATED, match.user, sign_on)
        else:
            account.save(update_fields=["extra_data"])
        sociallogin.user = match.user
        sociallogin.state[IDP_SECOND_FACTOR] = second_factor

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """The provider refused, the person cancelled, or the answer did not check out (a
        token with a bad signature, expired, for another client): recorded, then allauth
        shows its error page."""
        reason = f"provider error: {error or 'unknown'}"
        if exception is not None:
            reason += f" ({type(exception).__name__})"
        sso_refused(
            http_request=request, provider_id=getattr(provider, "sub_id", ""), reason=reason[:120]
        )

    def _refuse(
        self,
        request: HttpRequest,
        provider_id: str,
        reason: str,
        user: Any,
        sign_on: AgencySignOn | None,
    ) -> None:
        sso_refused(http_request=request, provider_id=provider_id, reason=reason, user=user)
        agency = sign_on.agency if sign_on is not None else None
        response = render(
            request,
            "socialaccount/not_linked.html",
            {"agency": agency, "deactivated": reason == Refusal.DEACTIVATED},
            status=403,
        )
        raise ImmediateHttpResponse(response)
