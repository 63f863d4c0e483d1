"""The floor plan (docs/architecture.md) holds: import-linter's layers contract passes on the
code, and fails as soon as a lower floor imports a higher one."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_of_the_code(tmp_path: Path) -> Path:
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_go_from_oversight_down_to_audit() -> None:
    [contract] = CONFIG["contracts"]
    floors = [layer for layer in contract["layers"] if not layer.startswith("isp_portal.")]
    assert floors == [
        "oversight | api",
        "rights | retention",
        "requests_app",
        "consent",
        "agreements",
        "accounts",
        "audit",
    ]


def test_the_code_keeps_the_floor_plan() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_lower_floor_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    project = _copy_of_the_code(tmp_path)
    (project / "audit" / "upstairs.py").write_text("from oversight import selectors  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0
    assert "audit is not allowed to import oversight" in result.stdout
    assert "audit.upstairs -> oversight.selectors" in result.stdout


def test_a_domain_app_importing_the_api_breaks_the_contract(tmp_path: Path) -> None:
    project = _copy_of_the_code(tmp_path)
    (project / "requests_app" / "upstairs.py").write_text("from api import views  # noqa\n")
    result = _lint(project)
    assert result.returncode != 0
