"""API key tokens: ``js_<prefix>_<secret>``, looked up by prefix, verified with argon2.

The prefix is public and indexed, so a request costs one primary-key-like lookup and one
hash check. Argon2 is slow on purpose (~tens of ms), so a verified token's SHA-256 is
remembered in memory for a short while; the key's row is still read on every request, so a
revoked key stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "js_"  # noqa: S105 - the public marker of our tokens, not a secret
VERIFIED_TTL_SECONDS = 300.0
_hasher = PasswordHasher()


def new_token() -> tuple[str, str]:
    """Return ``(prefix, token)`` for a new key; 256 bits of secret."""
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """The argon2 hash stored instead of the token."""
    return _hasher.hash(token)


def parse_prefix(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else ``None``."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    return prefix if sep and prefix and secret else None


class VerifiedTokens:
    """Remembers which (key id, token) pairs passed argon2 recently, by SHA-256 only."""

    def __init__(self, ttl: float = VERIFIED_TTL_SECONDS) -> None:
        self._ttl = ttl
        self._seen: dict[tuple[uuid.UUID, bytes], float] = {}
        self._lock = threading.Lock()

    def verify(self, key_id: uuid.UUID, token: str, stored_hash: str) -> bool:
        """Whether ``token`` matches ``stored_hash``, skipping argon2 when seen recently."""
        entry = (key_id, hashlib.sha256(token.encode()).digest())
        now = time.monotonic()
        with self._lock:
            expires = self._seen.get(entry)
        if expires is not None and expires > now:
            return True
        try:
            _hasher.verify(stored_hash, token)
        except (VerificationError, InvalidHashError):
            return False
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[entry] = now + self._ttl
        return True
