"""The time the orchestration domain reads: injected, so tests move it instead of sleeping."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from journeyscope.store import utcnow


class Clock(Protocol):
    """Anything that tells the current time, aware and in UTC."""

    def now(self) -> dt.datetime:
        """The current time."""
        ...  # pragma: no cover - protocol


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        """The current time, from the system."""
        return utcnow()


class FixedClock:
    """A clock that moves only when told to: delays, windows and periods without sleeping."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("give the clock an aware datetime")
        self.current = start

    def now(self) -> dt.datetime:
        """The time it was last set to."""
        return self.current

    def advance(self, **delta: float) -> dt.datetime:
        """Move forward by ``timedelta(**delta)``; the new time."""
        self.current += dt.timedelta(**delta)
        return self.current
