"""``--at-date`` moves the wall clock of the whole run, and of the subprocesses it starts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyscope.clock import SYSTEM_CLOCK

TESTS = Path(__file__).parents[1]
INNER_TEST = """
import datetime as dt
import subprocess
import sys

from journeyscope.clock import SYSTEM_CLOCK

READ_DATE = "import datetime as dt; print(dt.datetime.now(dt.UTC).date())"


def test_the_clock_reads_the_moved_date() -> None:
    assert SYSTEM_CLOCK.now().date() == dt.date(2031, 1, 1)
    assert dt.date.today() in (dt.date(2030, 12, 31), dt.date(2031, 1, 1))  # local time


def test_a_subprocess_reads_the_moved_date_too() -> None:
    done = subprocess.run([sys.executable, "-c", READ_DATE], capture_output=True, text=True)
    assert done.stdout.strip() == "2031-01-01", done.stderr
"""


def test_at_date_moves_the_test_process_and_its_subprocesses(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER_TEST, encoding="utf-8")
    paths = [str(TESTS), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, "-m", "pytest", "-p", "time_travel", "--at-date=2031-01-01"]
    done = subprocess.run(
        [*command, "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_this_run_reads_the_date_it_was_given(pytestconfig: pytest.Config) -> None:
    value = pytestconfig.getoption("at_date")
    if not value:
        pytest.skip("run without --at-date")
    asked = dt.datetime.fromisoformat(value)
    asked = asked if asked.tzinfo else asked.replace(tzinfo=dt.UTC)
    assert asked <= SYSTEM_CLOCK.now() < asked + dt.timedelta(days=1)
