"""The production install holds only what production runs, and every file is pinned by hash."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if match := PIN.match(line):
            pins[match[1].lower()] = match[2].rstrip(" \\")
    return pins


def _blocks(lock: str) -> list[str]:
    """One block of text per pinned package: its pin line and the lines that follow it."""
    text = (ROOT / "requirements" / lock).read_text()
    return [block for block in re.split(r"\n(?=\S)", text) if PIN.match(block)]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_every_pin_in_both_locks_carries_a_hash() -> None:
    for lock in ("runtime.lock", "dev.lock"):
        blocks = _blocks(lock)
        assert blocks, lock
        unhashed = [b.splitlines()[0] for b in blocks if "--hash=sha256:" not in b]
        assert unhashed == [], f"{lock}: {unhashed}"


def test_runtime_lock_has_no_development_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev_only = _names(project["optional-dependencies"]["dev"])
    runtime = _pins("runtime.lock")
    assert dev_only & set(runtime) == set()
    # What the development tools pull in (Flask through locust, greenlet through Playwright).
    assert {"flask", "greenlet", "gevent", "werkzeug"} & set(runtime) == set()
    assert _names(project["dependencies"]) <= set(runtime)


def test_development_lock_pins_the_runtime_packages_at_the_same_versions() -> None:
    runtime, dev = _pins("runtime.lock"), _pins("dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
