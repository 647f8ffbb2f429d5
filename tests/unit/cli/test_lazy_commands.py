"""The CLI starts without importing what only some commands need (``--help`` stays fast)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from journeyscope.cli import run
from journeyscope.cli.app import COMMANDS
from journeyscope.cli.lazy import load_command

HEAVY = (
    "onnxruntime",
    "sklearn",
    "numpy",
    "tokenizers",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "celery",
    "docx",
    "fpdf",
    "jinja2",
    "segno",
    "argon2",
    "aiosmtplib",
    "pydantic_settings",
)
"""Packages that each cost tenths of a second or more to import, none needed by --help."""

PROBE = """
import json, sys
from journeyscope.cli import run
codes = [run(["--help"]), run(["--version"])]
print(json.dumps({"codes": codes, "modules": sorted(sys.modules)}))
"""


def test_help_and_version_import_none_of_the_heavy_packages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["codes"] == [0, 0]
    tops = {name.split(".")[0] for name in result["modules"]}
    assert [name for name in HEAVY if name in tops] == []
    assert "journeyscope.cli.interviews" not in result["modules"]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_line_of_the_commands_own_help(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert command.name == name
    assert (command.help or "").splitlines()[0] == COMMANDS[name].summary


def test_help_lists_every_command_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    listed = capsys.readouterr().out.split("Commands:")[1]
    names = [line.split()[0] for line in listed.strip().splitlines()]
    assert names == list(COMMANDS)
    assert "Database schema commands." in listed


def test_a_mistyped_command_suggests_the_lazy_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["jurney", "list"]) == 2
    assert "Did you mean 'journey'" in capsys.readouterr().err


def test_a_lazy_group_shows_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["journey", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: journeyscope journey" in out
    assert "validate" in out and "apply" in out
