"""ARCHITECTURE.md names every package and top-level module of ``src/journeyscope``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "src" / "journeyscope"
TEXT = (ROOT / "ARCHITECTURE.md").read_text()

PACKAGES = sorted(p.name for p in SOURCE.iterdir() if (p / "__init__.py").is_file())
MODULES = sorted(p.name for p in SOURCE.glob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_is_named(package: str) -> None:
    assert f"\n{package}/ " in TEXT, f"ARCHITECTURE.md does not describe {package}/"


@pytest.mark.parametrize("module", MODULES)
def test_every_top_level_module_is_named(module: str) -> None:
    assert f"\n{module} " in TEXT, f"ARCHITECTURE.md does not describe {module}"


def test_the_layers_shown_are_the_layers_enforced() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    shown = "\n".join(layer.replace("journeyscope.", "") for layer in layers)
    assert f"```\n{shown}\n```" in TEXT
