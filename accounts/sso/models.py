"""One agency's single sign-on settings."""

import re
from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accounts.encryption import secret_decrypt

# RFC 8176 methods that, named in ``amr``, say the sign-in used more than a password:
# "mfa" itself, or a second factor that is not a password (one-time code, hardware or
# software key, smart card). Entra ID sends ["pwd", "mfa"] after multi-factor sign-in.
DEFAULT_MFA_AMR = "mfa otp hwk swk sc"
PROVIDER_PREFIX = "agency-"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SPLIT = re.compile(r"[\s,]+")


def words(text: str) -> list[str]:
    """The values of a list typed with spaces, commas or new lines between them."""
    return [word for word in _SPLIT.split(text.strip()) if word]


class AgencySignOn(models.Model):
    """An agency's OpenID Connect identity provider. Officers of the agency may sign in
    through it; their portal accounts and roles are still made by the SPOC or an
    administrator. Edited only by administrators (Django admin), every change audited."""

    agency = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="sign_on"
    )
    # The allauth provider id, in the sign-in and redirect URLs and on every linked identity
    # (SocialAccount.provider): "agency-" and the agency's code when the settings were made,
    # kept if the code changes later, so links and the registered redirect URI stay valid.
    provider_id = models.SlugField(max_length=40, unique=True, editable=False)
    enabled = models.BooleanField(
        "offered on the sign-in page", default=True, help_text="Untick to stop sign-ins."
    )
    passwords_allowed = models.BooleanField(
        "officers may also sign in with an ISP Portal password",
        default=True,
        help_text="Untick once every officer signs in through the provider: then an officer "
        "who has left the agency (and whose organisation account is closed) cannot sign in "
        "with a portal password either.",
    )
    issuer = models.URLField(
        "issuer URL",
        max_length=300,
        help_text="For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0",
    )
    client_id = models.CharField("client ID", max_length=200)
    client_secret_encrypted = models.TextField(max_length=2000, editable=False)
    email_domains = models.CharField(
        "email domains",
        max_length=500,
        help_text="The agency's email domains, separated by spaces, for example met.police.uk",
    )
    mfa_amr = models.CharField(
        "amr values accepted as a second factor",
        max_length=200,
        default=DEFAULT_MFA_AMR,
        blank=True,
        help_text="If the ID token's amr claim holds one of these, the portal does not ask "
        "for its own code.",
    )
    mfa_acr = models.CharField(
        "acr values accepted as a second factor",
        max_length=500,
        blank=True,
        help_text="If the ID token's acr claim is one of these (optional).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "single sign-on (OpenID Connect)"
        verbose_name_plural = "single sign-on (OpenID Connect)"

    def __str__(self) -> str:
        return f"Single sign-on for {self.agency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.provider_id:
            self.provider_id = f"{PROVIDER_PREFIX}{self.agency.code.lower()}"
        super().save(*args, **kwargs)

    @property
    def domains(self) -> set[str]:
        return {domain.lower() for domain in words(self.email_domains)}

    def clean(self) -> None:
        errors: dict[str, str] = {}
        parts = urlsplit(self.issuer or "")
        http_allowed = getattr(settings, "SSO_HTTP_ISSUER_ALLOWED", False) and parts.hostname in (
            "127.0.0.1",
            "localhost",
        )
        if parts.scheme != "https" and not (parts.scheme == "http" and http_allowed):
            errors["issuer"] = "Enter an issuer URL that starts with https://"
        elif parts.query or parts.fragment:
            errors["issuer"] = "Enter the issuer URL without a query or fragment"
        domains = words(self.email_domains)
        if not domains:
            errors["email_domains"] = "Enter at least one email domain, like met.police.uk"
        elif bad := [d for d in domains if not _DOMAIN.match(d.lower())]:
            errors["email_domains"] = (
                f"Enter domains only, like met.police.uk, not {', '.join(bad[:3])[:80]}"
            )
        if errors:
            raise ValidationError(errors)

    def social_app(self) -> SocialApp:
        """The allauth app for this provider, built from these settings (never stored)."""
        return SocialApp(
            provider="openid_connect",
            provider_id=self.provider_id,
            name=self.agency.name,
            client_id=self.client_id,
            secret=secret_decrypt(self.client_secret_encrypted),
            settings={
                "server_url": self.issuer,
                # The client secret is sent in the body: Entra, Google and most issuers take it.
                "token_auth_method": "client_secret_post",
                "oauth_pkce_enabled": True,
            },
        )
