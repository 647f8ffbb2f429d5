"""The example journeys shipped with the package (retail, SaaS app, airline, B2B)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).parent / "examples"


def example_paths() -> list[Path]:
    """The bundled example journey files, by name."""
    return sorted(EXAMPLES_DIR.glob("*.yaml"))
