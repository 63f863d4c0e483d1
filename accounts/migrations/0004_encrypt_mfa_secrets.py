"""Encrypt the TOTP secrets and recovery-code seeds stored before MFA_ENCRYPTION_KEY existed.

Through allauth's MFA adapter (``accounts.adapters.PortalMFAAdapter``), so the key comes from
the settings and never from the database. Values that already decrypt are left as they are,
so running it twice changes nothing. Reversing it decrypts them back to plain text, for
going back to code that stored them that way.
"""

from collections.abc import Callable

from allauth.mfa.adapter import get_adapter
from cryptography.fernet import InvalidToken
from django.db import migrations


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


def _convert_all(apps, convert: Callable[[str], str]) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = authenticator.data
        for field in ("secret", "seed"):
            if field in data:
                data[field] = convert(data[field])
        # Codes carried over from django-otp are stored one by one instead of as a seed.
        if "migrated_codes" in data:
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor) -> None:
    _convert_all(apps, _encrypt)


def decrypt_secrets(apps, schema_editor) -> None:
    _convert_all(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_terms_version_1"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
