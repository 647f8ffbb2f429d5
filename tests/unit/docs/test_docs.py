"""Docs are tests: every setting, CLI command and route is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from journeyscope.cli.app import app as cli_app
from journeyscope.settings import ENV_PREFIX, Settings, variables
from journeyscope.web.app import create_app

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"


def _command_paths(group: Any, prefix: str = "journeyscope") -> list[str]:
    """Every command path, loading lazy command groups as running them would."""
    paths = []
    context = group.make_context(prefix, ["--help"], resilient_parsing=True)
    for name in sorted(group.list_commands(context)):
        command = group.get_command(context, name)
        path = f"{prefix} {name}"
        paths += _command_paths(command, path) if hasattr(command, "commands") else [path]
    return paths


def _documented_rows() -> dict[str, tuple[str, str]]:
    """``{variable: (its group's heading, its table row)}`` from docs/configuration.md."""
    rows, heading = {}, ""
    for line in (DOCS / "configuration.md").read_text().splitlines():
        if line.startswith("#"):
            heading = line
        found = re.match(rf"\| `({ENV_PREFIX}[A-Z0-9_]+)` \|", line)
        if found:
            rows[found[1]] = (heading, line)
    return rows


def test_every_setting_is_documented_in_its_group_with_its_variable() -> None:
    rows = _documented_rows()
    for variable in variables():
        assert variable.info.description, f"{variable.name} has no description"
        heading, _ = rows[variable.name]
        place = "settings" + (f".{variable.group}" if variable.group else "")
        assert heading.endswith(f"`{place}`"), (variable.name, heading)


def test_every_documented_variable_is_a_setting() -> None:
    text = (DOCS / "configuration.md").read_text()
    named = {v.name for v in variables()}
    assert set(re.findall(rf"{ENV_PREFIX}[A-Z0-9_]+", text)) - named == set()


def test_secrets_and_only_secrets_are_marked_in_the_docs() -> None:
    rows = _documented_rows()
    marked = {name for name, (_, row) in rows.items() if "**secret**" in row}
    assert marked == {v.name for v in variables() if v.is_secret}


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    paths = _command_paths(typer.main.get_command(cli_app))
    assert "journeyscope journey apply" in paths
    missing = [p for p in paths if f"`{p}" not in text]
    assert missing == []


def test_every_route_is_documented(tmp_path: Path) -> None:
    text = (DOCS / "api.md").read_text()
    app = create_app(Settings(data_dir=tmp_path, database={"url": "sqlite://"}))
    operations = [
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
    ]
    assert len(operations) > 30
    missing = [op for op in operations if f"`{op}`" not in text]
    assert missing == []


def test_every_route_has_a_summary_docstring(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, database={"url": "sqlite://"}))
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            assert operation.get("description"), f"{method} {path}"


def test_docs_site_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_page_of_the_web_ui_is_documented(tmp_path: Path) -> None:
    from starlette.routing import Route

    text = (DOCS / "roles.md").read_text()
    app = create_app(Settings(data_dir=tmp_path, database={"url": "sqlite://"}))
    pages = [
        f"{method} {route.path}"
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith(("/login", "/logout", "/app"))
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]
    assert len(pages) >= 8
    missing = [page for page in pages if f"`{page}`" not in text]
    assert missing == []
