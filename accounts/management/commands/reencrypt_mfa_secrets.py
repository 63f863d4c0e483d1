from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.adapters import PortalMFAAdapter, mfa_secrets_rewrite


class Command(BaseCommand):
    help = (
        "Encrypt every TOTP secret and recovery-code seed again with the first key in "
        "MFA_ENCRYPTION_KEY, so the keys after it can be retired."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = mfa_secrets_rewrite(Authenticator, PortalMFAAdapter().reencrypt)
        self.stdout.write(f"{count} authenticators now encrypted with the first key.")
