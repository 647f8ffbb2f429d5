"""Keys checked recently, so that a request with a known key reads nothing from the database.

Each process checks a token against the database (the key's row, its hash) at most once
every :data:`AUTH_CACHE_SECONDS`; in between, the principal found then is reused. Revoking a
key, or changing a workspace, in this process forgets its entries at once; a change made by
another process (``journeyscope keys revoke``, another server) takes effect here within
:data:`AUTH_CACHE_SECONDS`. Entries are keyed by the token's SHA-256, never by the token.

A generation counter closes the race between a check that read the key row just before a
revocation and stores its result just after it: results read before a forget are not stored.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable

from journeyscope.workspaces.models import Principal

AUTH_CACHE_SECONDS = 2.0
MAX_ENTRIES = 10_000


class PrincipalCache:
    """Principals by token digest, each kept for ``ttl`` seconds of ``monotonic`` time."""

    def __init__(
        self, ttl: float = AUTH_CACHE_SECONDS, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._entries: dict[bytes, tuple[Principal, float]] = {}
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by every forget; read it before the database, hand it to :meth:`put`."""

    def get(self, token: str) -> Principal | None:
        """The principal of ``token`` if it was checked less than ``ttl`` seconds ago."""
        entry = self._entries.get(_digest(token))
        if entry is None or entry[1] <= self._monotonic():
            return None
        return entry[0]

    def put(self, token: str, principal: Principal, generation: int) -> None:
        """Remember a check made at ``generation``, unless something was forgotten since."""
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[_digest(token)] = (principal, self._monotonic() + self._ttl)

    def forget_key(self, key_id: uuid.UUID) -> None:
        """Drop every entry of this key (it was revoked)."""
        self._forget(lambda p: p.key.id == key_id)

    def forget_workspace(self, workspace_id: uuid.UUID) -> None:
        """Drop every entry of this workspace (its settings changed)."""
        self._forget(lambda p: p.workspace.id == workspace_id)

    def _forget(self, matches: Callable[[Principal], bool]) -> None:
        with self._lock:
            self.generation += 1
            for digest in [d for d, (p, _) in self._entries.items() if matches(p)]:
                del self._entries[digest]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
