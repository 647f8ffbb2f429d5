"""Rate limits on the anonymous endpoints (hosted pages, widget, kiosk), per client address.

Counters live in the ``limits`` library's storage: in memory for one process, or Redis
(``JOURNEYSCOPE_RATE_LIMIT_STORAGE``) so several workers and servers share one budget.
A moving window, so a burst at a window's edge cannot double the allowance.
"""

from __future__ import annotations

from typing import Annotated

import limits
from fastapi import Depends, Request
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from journeyscope.clock import SYSTEM_CLOCK, Clock
from journeyscope.errors import TooManyRequests


class PublicRateLimiter:
    """One limit (e.g. ``120/minute``) applied per client address and endpoint group.

    ``clock`` is the app's (``db.clock``): the wait it asks for is the window's end less its
    now. The ``limits`` library keeps its window on the operating system's time, which the
    system clock reads too.
    """

    def __init__(self, limit: str, storage_uri: str, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.item = limits.parse(limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.clock = clock

    def check(self, group: str, client: str) -> None:
        """Count one request; :class:`TooManyRequests` once the budget is spent."""
        if self.limiter.hit(self.item, group, client):
            return
        reset_at, _ = self.limiter.get_window_stats(self.item, group, client)
        retry_after = max(1, int(reset_at - self.clock.now().timestamp()) + 1)
        raise TooManyRequests(
            f"Too many requests from this address (limit {self.item}).",
            retry_after=retry_after,
            hint=f"wait {retry_after} s before retrying",
        )


def _client_address(request: Request) -> str:
    # Behind a proxy, run uvicorn with --forwarded-allow-ips so this is the real client.
    return request.client.host if request.client else "unknown"


def limit_public(request: Request) -> None:
    """Dependency: count this request against its address's public budget."""
    limiter: PublicRateLimiter = request.app.state.rate_limiter
    limiter.check("public", _client_address(request))


PublicRateLimit = Annotated[None, Depends(limit_public)]
