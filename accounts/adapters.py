from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from accounts.encryption import fernet as _fernet
from accounts.sso.adapter import password_sign_in_refused
from audit.models import EventType, Outcome
from audit.services import audit_record


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by SPOCs and administrators, never by self-registration."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second factor accepting an identity provider's
        (accounts.sso.stages)."""
        return [
            "accounts.sso.stages.SecondFactorStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """Officers of an agency that signs in only through its identity provider do not
        sign in with a password (accounts.sso)."""
        if user.is_active:
            refused = password_sign_in_refused(request, user, kwargs.get("signal_kwargs"))
            if refused is not None:
                clear_login(request)
                return refused
        return super().pre_login(request, user, **kwargs)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a throttled attempt before Django's authenticate() runs, so no
        failed-sign-in signal fires for it: record it here, as the failure receiver would."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            audit_record(
                event_type=EventType.SIGN_IN_FAILED,
                http_request=request,
                outcome=Outcome.DENIED,
                details={
                    "username": str(credentials.get("username", ""))[:150],
                    "reason": "throttled",
                },
            )
            raise


class PortalMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with MFA_ENCRYPTION_KEY.

    Decrypting a value that is not encrypted with one of the keys raises
    ``cryptography.fernet.InvalidToken``: a secret in plain text is never used as it is.
    """

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def reencrypt(self, encrypted_text: str) -> str:
        """The same secret, encrypted with the first key (after a new one was put in front)."""
        return _fernet().rotate(encrypted_text.encode()).decode()


def mfa_secrets_rewrite(
    authenticator_model: type[models.Model], convert: Callable[[str], str]
) -> int:
    """Pass every stored TOTP secret and recovery-code seed through ``convert`` and save it;
    return how many authenticators were rewritten. Takes the model so that a migration can
    pass its historical one."""
    count = 0
    authenticator: Any
    authenticators = authenticator_model._default_manager.filter(
        type__in=["totp", "recovery_codes"]
    )
    for authenticator in authenticators:
        data = authenticator.data
        for field in ("secret", "seed"):
            if field in data:
                data[field] = convert(data[field])
        # Recovery codes carried over from django-otp are stored one by one, not as a seed.
        if "migrated_codes" in data:
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        authenticator.save(update_fields=["data"])
        count += 1
    return count
