from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.adapters import PortalMFAAdapter, mfa_secrets_rewrite
from accounts.sso.models import AgencySignOn


class Command(BaseCommand):
    help = (
        "Encrypt every TOTP secret and recovery-code seed again with the first key in "
        "MFA_ENCRYPTION_KEY, and the agencies' single sign-on client secrets, so the keys "
        "after it can be retired."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = mfa_secrets_rewrite(Authenticator, PortalMFAAdapter().reencrypt)
            reencrypt = PortalMFAAdapter().reencrypt
            sign_ons = 0
            for sign_on in AgencySignOn.objects.select_for_update():
                sign_on.client_secret_encrypted = reencrypt(sign_on.client_secret_encrypted)
                sign_on.save(update_fields=["client_secret_encrypted"])
                sign_ons += 1
        self.stdout.write(f"{count} authenticators now encrypted with the first key.")
        self.stdout.write(f"{sign_ons} single sign-on client secrets now encrypted with it.")
