"""Encrypt the TOTP secrets and recovery-code seeds stored before MFA_ENCRYPTION_KEY existed.

Through allauth's MFA adapter (``accounts.adapters.PortalMFAAdapter``), so the key comes from
the settings and never from the database. Values that already decrypt are left as they are,
so running it twice changes nothing. Reversing it decrypts them back to plain text, for
going back to code that stored them that way.
"""

from allauth.mfa.adapter import get_adapter
from cryptography.fernet import InvalidToken
from django.db import migrations

from accounts.adapters import mfa_secrets_rewrite


def _is_encrypted(value: str) -> bool:
    try:
        get_adapter().decrypt(value)
    except InvalidToken:
        return False
    return True


def _encrypt(value: str) -> str:
    return value if _is_encrypted(value) else get_adapter().encrypt(value)


def _decrypt(value: str) -> str:
    return get_adapter().decrypt(value) if _is_encrypted(value) else value


def encrypt_secrets(apps, schema_editor) -> None:
    mfa_secrets_rewrite(apps.get_model("mfa", "Authenticator"), _encrypt)


def decrypt_secrets(apps, schema_editor) -> None:
    mfa_secrets_rewrite(apps.get_model("mfa", "Authenticator"), _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_terms_version_1"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
