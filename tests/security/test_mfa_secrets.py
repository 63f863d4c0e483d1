"""TOTP secrets and recovery-code seeds are encrypted at rest with a key held outside the
database, and nobody reads them in Django admin."""

import importlib
import io
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.models import User
from tests.factories import TEST_PASSWORD
from tests.security.conftest import TOTP_SECRET, current_code, sign_in, sign_in_with_second_factor
from tests.world import World

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("accounts.migrations.0004_encrypt_mfa_secrets")


def _stored(user: User, kind: str) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def _decrypted(value: str) -> str:
    return Fernet(settings.MFA_ENCRYPTION_KEYS[0]).decrypt(value.encode()).decode()


def test_the_stored_totp_secret_is_not_the_secret(world: World) -> None:
    TOTP.activate(world.requester, TOTP_SECRET)
    data = _stored(world.requester, Authenticator.Type.TOTP)
    assert TOTP_SECRET not in json.dumps(data)
    assert _decrypted(data["secret"]) == TOTP_SECRET


def test_the_stored_recovery_code_seed_is_not_the_seed(world: World) -> None:
    codes = RecoveryCodes.activate(world.requester).generate_codes()
    data = _stored(world.requester, Authenticator.Type.RECOVERY_CODES)
    assert _decrypted(data["seed"]) not in json.dumps(data)
    # Read back from the database, the same codes come out.
    assert RecoveryCodes.activate(world.requester).generate_codes() == codes


def test_setting_up_totp_and_signing_in_with_it_works_end_to_end(
    world: World, settings: Settings
) -> None:
    settings.MFA_REQUIRED = True
    client = Client()
    sign_in(client, "requester")
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    # Setting up two-factor authentication asks for the password again.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert secret not in json.dumps(_stored(world.requester, Authenticator.Type.TOTP))
    client.post(reverse("account_logout"))

    again = Client()
    sign_in(again, "requester")
    assert "_auth_user_id" not in again.session
    again.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert again.session["_auth_user_id"] == str(world.requester.pk)
    assert again.get(reverse("home")).status_code == 200


def test_django_admin_shows_no_secret(root: User) -> None:
    RecoveryCodes.activate(root)
    client = Client()
    sign_in_with_second_factor(client, "root")
    authenticators = list(Authenticator.objects.filter(user=root))
    stored = [a.data.get("secret") or a.data["seed"] for a in authenticators]
    secrets = [TOTP_SECRET, *(_decrypted(value) for value in stored), *stored]

    pages = [client.get(reverse("admin:mfa_authenticator_changelist"))]
    pages += [
        client.get(reverse("admin:mfa_authenticator_change", args=[a.pk])) for a in authenticators
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    for page in pages:
        assert not [secret for secret in secrets if secret in page.content.decode()]


def test_the_migration_encrypts_plain_secrets_and_reverses(world: World) -> None:
    # As stored before the key existed.
    Authenticator.objects.create(
        user=world.requester, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    Authenticator.objects.create(
        user=world.requester,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 0},
    )

    MIGRATION.encrypt_secrets(apps, None)
    MIGRATION.encrypt_secrets(apps, None)  # a second run changes nothing

    totp = _stored(world.requester, Authenticator.Type.TOTP)
    seeds = _stored(world.requester, Authenticator.Type.RECOVERY_CODES)
    assert _decrypted(totp["secret"]) == TOTP_SECRET
    assert _decrypted(seeds["seed"]) == "ab" * 40
    authenticator = Authenticator.objects.get(user=world.requester, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(current_code())

    MIGRATION.decrypt_secrets(apps, None)

    assert _stored(world.requester, Authenticator.Type.TOTP) == {"secret": TOTP_SECRET}
    assert _stored(world.requester, Authenticator.Type.RECOVERY_CODES)["seed"] == "ab" * 40


def test_after_reencrypting_the_old_key_can_be_retired(world: World, settings: Settings) -> None:
    old, new = settings.MFA_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    TOTP.activate(world.requester, TOTP_SECRET)
    settings.MFA_ENCRYPTION_KEYS = [new, old]

    call_command("reencrypt_mfa_secrets", stdout=io.StringIO())

    settings.MFA_ENCRYPTION_KEYS = [new]
    authenticator = Authenticator.objects.get(user=world.requester, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(current_code())
