"""The ``--at-date`` option: run the tests on another date, subprocesses included.

``pytest --at-date=2027-06-01`` moves the wall clock (``time.time``, ``datetime.now`` ...) of
the whole run to 00:00 UTC on that day, ticking on from there, with time-machine; a full ISO
time (``2027-06-01T23:59:30+02:00``) picks the moment. xdist workers and the CLI and
``journeyscope serve`` subprocesses the tests start move by the same shift (see
``time_travel_site/clock_shift.py``), so a link signed in the test process is read at the same
date by the server. Tests that need a moment of their own still use a ``FixedClock``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import pytest

SITE = Path(__file__).parent / "time_travel_site"
if str(SITE) not in sys.path:
    sys.path.insert(0, str(SITE))
clock_shift = importlib.import_module("clock_shift")  # the module sitecustomize.py uses


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--at-date``."""
    parser.addoption(
        "--at-date",
        metavar="YYYY-MM-DD",
        default=None,
        help="run the tests with the wall clock moved to this date (00:00 UTC) or ISO time, "
        "subprocesses included",
    )


def parse_moment(value: str) -> dt.datetime:
    """``2027-06-01`` → 00:00 UTC that day; an ISO time without a zone is taken as UTC."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--at-date={value!r}: give YYYY-MM-DD or an ISO time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def pytest_configure(config: pytest.Config) -> None:
    """Move the clock: the run's process picks the shift; its xdist workers follow it."""
    value = config.getoption("at_date")
    if not value:
        return
    moment = parse_moment(value)
    if hasattr(config, "workerinput"):  # an xdist worker: sitecustomize has followed already
        clock_shift.follow_environment()
        return
    clock_shift.travel_to(moment)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say at the top of the run that the clock was moved."""
    value = config.getoption("at_date")
    return f"wall clock moved to {parse_moment(value).isoformat()} (--at-date)" if value else None
