"""`.ci/run` runs exactly the README's test command, installs once, and keeps its lint steps."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _variable(name: str) -> str:
    [value] = re.findall(rf'^{name}="([^"]*)"$', CI, flags=re.MULTILINE)
    return value


def _readme_test_command() -> str:
    block = README.split("# 2. run the whole test suite", 1)[1]
    return next(line for line in block.splitlines() if line.startswith("python3 -m venv"))


def test_the_readme_test_command_is_what_ci_installs_then_runs() -> None:
    assert _readme_test_command() == f"{_variable('INSTALL')} && {_variable('TESTS')}"


def test_the_suite_runs_in_parallel_by_file() -> None:
    assert "-n auto --dist loadfile" in _variable("TESTS")


def test_ci_installs_once_and_runs_the_tests_today_then_at_a_later_date() -> None:
    commands = [line for line in CI.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(line for line in commands if not line.startswith(("INSTALL=", "TESTS=")))
    assert body.count('eval "$INSTALL"') == 1
    assert body.count('eval "$TESTS"') == 1
    assert body.count('eval "$TESTS --at-date=$FUTURE_DATE"') == 1
    assert "${FUTURE_DATE:=2027-06-01}" in body
    assert "pip install" not in body
    assert "-m venv" not in body
    assert "pytest" not in body


def test_ci_keeps_its_lint_and_type_steps() -> None:
    steps = ["ruff check .", "ruff format --check .", "mypy src", "lint-imports"]
    assert all(f".venv/bin/{step}" in CI for step in steps)
