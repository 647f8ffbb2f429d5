"""Run at the start of every Python process with this folder on ``PYTHONPATH``: follow the
test run's moved clock (see ``clock_shift.py``). Only ``tests/time_travel.py`` puts it there."""

import clock_shift

clock_shift.follow_environment()
