"""Secrets kept in the database, encrypted (Fernet) with MFA_ENCRYPTION_KEY: the TOTP
secrets and recovery-code seeds (accounts.adapters.PortalMFAAdapter) and the agencies'
single sign-on client secrets. The first key encrypts; every key decrypts."""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def secret_encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def secret_decrypt(encrypted_text: str) -> str:
    return fernet().decrypt(encrypted_text.encode()).decode()
