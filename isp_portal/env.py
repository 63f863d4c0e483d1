"""Small typed readers for configuration from the environment.

Every setting can also come from a file named by ``<NAME>_FILE`` so that secrets can be
mounted (Docker/Kubernetes secrets, systemd credentials) instead of exported.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def parse_key_ring(name: str, raw: str) -> dict[str, str]:
    """``id:key`` entries separated by commas or white space, as a dict of keys by id."""
    ring: dict[str, str] = {}
    for entry in re.split(r"[\s,]+", raw.strip()):
        if not entry:
            continue
        key_id, _, key = entry.partition(":")
        if not key_id or not key:
            raise ImproperlyConfigured(f"{name} entries are written id:key")
        if key_id in ring:
            raise ImproperlyConfigured(f"{name} names key id {key_id!r} twice")
        ring[key_id] = key
    return ring
