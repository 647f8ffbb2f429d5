"""Sign-in throttling: how long to wait after too many failed attempts. Pure.

Failures are counted per account (the address typed, whether it exists or not, so a refusal
says nothing about existence) and per client address, each over a sliding window. Once a
count reaches its limit, every attempt is refused — before any password is checked — until
the oldest failure in the window leaves it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    """At most ``per_account`` failures per address and ``per_ip`` per client in ``window``."""

    per_account: int = 5
    per_ip: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


DEFAULT_LIMITS = ThrottleLimits()


def retry_after(
    failures: Sequence[dt.datetime], *, limit: int, window: dt.timedelta, now: dt.datetime
) -> int | None:
    """Seconds until another attempt is allowed, or ``None`` if one is allowed now.

    ``failures`` are the times of failed attempts (any order, older ones ignored).
    """
    recent = sorted(t for t in failures if t > now - window)
    if len(recent) < limit:
        return None
    frees_at = recent[len(recent) - limit] + window  # when the count drops below the limit
    return max(1, math.ceil((frees_at - now).total_seconds()))
