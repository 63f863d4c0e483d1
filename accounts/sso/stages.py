"""The second factor at sign-in, with single sign-on.

allauth asks for the portal's own code (TOTP) after any sign-in of an officer who has
set one up. After a sign-in through an agency's provider whose ID token says a second
factor was used (``amr``/``acr``, see ``accounts.sso.claims.second_factor_used``), the
provider's is accepted instead: the session records it as the second factor (method
``mfa``, type ``idp``), which the admin site and ``RequireMFAMiddleware`` accept.
"""

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest

IDP = "idp"
# Set on the sign-in (allauth's SocialLogin.state) by accounts.sso.adapter when the
# provider vouched for a second factor.
IDP_SECOND_FACTOR = "portal_idp_second_factor"


class SecondFactorStage(AuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin: Any = (self.login.signal_kwargs or {}).get("sociallogin")
        state = getattr(sociallogin, "state", None) or {}
        if self.login.user is not None and state.get(IDP_SECOND_FACTOR):
            record_authentication(
                request, self.login.user, "mfa", type=IDP, provider=sociallogin.account.provider
            )
            return False
        return super()._should_handle(request)
