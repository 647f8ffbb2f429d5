"""Move this process's wall clock by a fixed shift, with time-machine; used by ``--at-date``.

Every process of a test run moves by the same shift (the ``--at-date`` target minus the real
time when the run began), so the pytest process, its xdist workers and the CLI and server
subprocesses the tests start all agree on the date and keep ticking together. The shift
travels in :data:`SHIFT_VARIABLE`; ``sitecustomize.py`` next to this module applies it at the
start of every Python process that has this folder on ``PYTHONPATH``. Only ``time_travel.py``
(the pytest plugin) sets either, so nothing outside a test run is ever moved.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import time_machine

SHIFT_VARIABLE = "TESTS_CLOCK_SHIFT_SECONDS"
"""Seconds to add to the real time (not ``JOURNEYSCOPE_*``: tests clear those for subprocesses)."""
FOLDER = Path(__file__).parent

_travel: time_machine.travel | None = None


def _back_to_real_time() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def follow(shift_seconds: float) -> None:
    """Move this process's clock to the real time plus ``shift_seconds``, ticking on."""
    global _travel
    _back_to_real_time()  # a process started by a moved run may be moved again, elsewhere
    _travel = time_machine.travel(time.time() + shift_seconds, tick=True)
    _travel.start()


def travel_to(moment: dt.datetime) -> float:
    """Move this process to ``moment`` and have every subprocess started later follow it.

    Returns the shift in seconds.
    """
    _back_to_real_time()
    shift = moment.timestamp() - time.time()
    follow(shift)
    os.environ[SHIFT_VARIABLE] = repr(shift)
    paths = [str(FOLDER), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return shift


def follow_environment() -> None:
    """Apply :data:`SHIFT_VARIABLE` if it is set (the start of a subprocess)."""
    shift = os.environ.get(SHIFT_VARIABLE)
    if shift:
        follow(float(shift))
