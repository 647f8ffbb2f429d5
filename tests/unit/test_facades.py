"""Packages talk through their ``__init__`` (the facade), and lint-imports holds them to it."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "journeyscope"
PACKAGES = sorted(p.name for p in SOURCE.iterdir() if (p / "__init__.py").is_file())


def _contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _facade_contract(package: str) -> dict[str, Any] | None:
    """The ``protected`` contract that keeps ``package``'s modules behind its ``__init__``."""
    for contract in _contracts():
        if (
            contract["type"] == "protected"
            and contract["protected_modules"] == [f"journeyscope.{package}.*"]
            and contract["allowed_importers"] == [f"journeyscope.{package}"]
        ):
            return contract
    return None


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_has_a_facade_contract(package: str) -> None:
    assert _facade_contract(package) is not None, f"no facade contract for {package}"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_facade_export_resolves(package: str) -> None:
    module = importlib.import_module(f"journeyscope.{package}")
    exported = getattr(module, "__all__", [])
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == []


LAZY_PROBE = """
import json, sys
import journeyscope.collection, journeyscope.orchestration, journeyscope.web, journeyscope.worker
before = sorted(m for m in ("segno", "httpx", "fastapi", "celery") if m in sys.modules)
from journeyscope.collection import render_qr
print(json.dumps({"before": before, "after": "segno" in sys.modules}))
"""


def test_lazy_exports_import_nothing_until_read() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"before": [], "after": True}


def _write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _lint(tmp_path: Path, importer: str) -> subprocess.CompletedProcess[str]:
    """lint-imports with our collection contract, renamed onto a two-package toy project."""
    contract = dict(_facade_contract("collection") or {})
    renamed = json.loads(json.dumps(contract).replace("journeyscope.collection", "toy.inner"))
    lines = [f"{key} = {json.dumps(value)}" for key, value in renamed.items()]
    config = '[tool.importlinter]\nroot_package = "toy"\n\n[[tool.importlinter.contracts]]\n'
    (tmp_path / "pyproject.toml").write_text(config + "\n".join(lines) + "\n")
    _write_package(
        tmp_path,
        {
            "toy/__init__.py": "",
            "toy/inner/__init__.py": "from toy.inner.parts import PART\n",
            "toy/inner/parts.py": "PART = 1\n",
            "toy/outer/__init__.py": "",
            "toy/outer/user.py": importer,
        },
    )
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [lint, "--no-cache", str(tmp_path / "pyproject.toml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_facade_contract_refuses_an_import_past_an_init(tmp_path: Path) -> None:
    done = _lint(tmp_path, "from toy.inner.parts import PART\n")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "toy.outer.user -> toy.inner.parts" in done.stdout


def test_the_facade_contract_accepts_an_import_of_the_init(tmp_path: Path) -> None:
    done = _lint(tmp_path, "from toy.inner import PART\n")
    assert done.returncode == 0, done.stdout + done.stderr
