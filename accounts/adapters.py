from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from audit.models import EventType, Outcome
from audit.services import audit_record


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by SPOCs and administrators, never by self-registration."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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


def _fernet() -> MultiFernet:
    # Built from settings on each use, so a rotated key takes effect without a code change.
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])
