"""The settings refuse unsafe production configurations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django import Settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!production-grade-secret-key-with-enough-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "isp.example.gov.uk",
    "SECURE_HTTPS": "true",
    "MFA_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1ncmFkZS1tZmEta2V5LTAxMjM0NTY=",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    test_only = {
        "SECRET_KEY",
        "DEBUG",
        "SECURE_HTTPS",
        "MFA_REQUIRED",
        "MFA_ENCRYPTION_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    base = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_refuses_default_secret_key() -> None:
    result = _run(["check"], {"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is the development default" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"])
    env = {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(key_file)}
    env.pop("SECRET_KEY")
    result = _run(["check"], env)
    assert result.returncode == 0, result.stderr


def test_debug_off_refuses_to_start_without_the_mfa_encryption_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "MFA_ENCRYPTION_KEY"}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY is not set" in result.stderr


def test_the_mfa_encryption_keys_can_come_from_a_file(tmp_path: Path) -> None:
    new_key, old_key = (
        "bmV3LW1mYS1rZXktZm9yLXJvdGF0aW9uLTAxMjM0NTY=",
        PRODUCTION_ENV["MFA_ENCRYPTION_KEY"],
    )
    key_file = tmp_path / "mfa_key"
    key_file.write_text(f"{new_key},{old_key}\n")
    env = {**PRODUCTION_ENV, "MFA_ENCRYPTION_KEY_FILE": str(key_file)}
    env.pop("MFA_ENCRYPTION_KEY")
    code = "from django.conf import settings as s; print(*s.MFA_ENCRYPTION_KEYS)"
    result = _run(["shell", "-v", "0", "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [new_key, old_key]


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_require_mfa_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.MFA_REQUIRED, s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    result = _run(["shell", "-v", "0", "-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "__Host-sessionid", "True", "True", "Lax"]


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings: Settings) -> None:
    from django.core.management import CommandError, call_command

    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="Refusing to load demo accounts"):
        call_command("seed_demo")


def test_the_trusted_proxy_count_comes_from_the_environment() -> None:
    code = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = _run(["shell", "-v", "0", "-c", code], {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1"]
