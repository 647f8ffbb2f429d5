"""API key tokens: ``js_<prefix>_<secret>``, looked up by prefix, checked with HMAC-SHA-256.

Threat model. A token is 256 bits from :mod:`secrets`; the prefix (48 bits) is public and
indexed, so a request costs one lookup and one hash check. What is stored is
``hmac-sha256$`` + HMAC-SHA-256(label, token) with a fixed, public label as the key (domain
separation: the digest cannot be confused with any other SHA-256 the house computes).

- *The database leaks* (a backup, a replica): the attacker holds digests of 256-bit random
  secrets. Inverting one is a 2^256 preimage search, so no slow hash is needed; argon2's
  slowness only protects low-entropy secrets such as passwords. A digest is not a credential:
  the server hashes whatever is presented.
- *Someone sends guesses*: a guess with an unknown prefix costs one indexed lookup; with a
  real key's prefix, one HMAC (about a microsecond) and a constant-time comparison
  (:func:`hmac.compare_digest`), so bad keys cannot make the server slow.
- *No pepper.* A server-side pepper derived from ``JOURNEYSCOPE_SECRET_KEY`` would add nothing
  against either threat above (the secrets already have full entropy) and would tie every key
  to that secret: rotating it (it also signs survey links), or restoring a dump on a server
  whose CLI runs with another secret, would silently turn every API key invalid. The label is
  therefore public and key-independent, and keys survive secret rotation.

Keys made before this scheme are stored as argon2 hashes (*legacy*). They keep working; the
first successful check replaces the stored hash with the HMAC form, after which the key
costs what new ones do. Until then, guesses at a legacy key's prefix are bounded: one argon2
check at a time per process (each takes ~64 MiB; others wait their turn), and after a failed
one that key gets no argon2 check for :data:`LEGACY_FAILURE_PAUSE_SECONDS` (a request in
that pause is answered 401, the holder's own included: the price of a key nobody has used
since the upgrade while someone floods its prefix).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "js_"  # noqa: S105 - the public marker of our tokens, not a secret
HASH_SCHEME = "hmac-sha256$"
LEGACY_SCHEME = "$argon2"
LEGACY_FAILURE_PAUSE_SECONDS = 1.0
_LABEL = b"journeyscope api key v1"
"""The HMAC key: public on purpose (see the module's threat model)."""


def new_token() -> tuple[str, str]:
    """Return ``(prefix, token)`` for a new key; 256 bits of secret."""
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """What is stored instead of the token: ``hmac-sha256$<64 hex digits>``."""
    digest = hmac.new(_LABEL, token.encode(), hashlib.sha256).hexdigest()
    return HASH_SCHEME + digest


def parse_prefix(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else ``None``."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    return prefix if sep and prefix and secret else None


def is_legacy(stored_hash: str) -> bool:
    """Whether ``stored_hash`` is an argon2 hash from before the HMAC scheme."""
    return stored_hash.startswith(LEGACY_SCHEME)


class TokenChecker:
    """Checks a token against its stored hash: HMAC for current keys, argon2 for legacy ones.

    Only legacy checks keep state: which one runs now, and when each key last failed one.
    ``monotonic`` is injectable so tests can move time.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._argon2 = PasswordHasher()
        self._legacy_running = threading.Lock()
        self._legacy_failed: dict[uuid.UUID, float] = {}

    def verify(self, key_id: uuid.UUID, token: str, stored_hash: str) -> bool:
        """Whether ``token`` is the secret behind ``stored_hash`` (constant time for HMAC)."""
        if stored_hash.startswith(HASH_SCHEME):
            return hmac.compare_digest(hash_token(token).encode(), stored_hash.encode())
        if is_legacy(stored_hash):
            return self._verify_legacy(key_id, token, stored_hash)
        return False

    def _verify_legacy(self, key_id: uuid.UUID, token: str, stored_hash: str) -> bool:
        if self._paused(key_id):
            return False
        with self._legacy_running:  # one argon2 check at a time (each takes ~64 MiB)
            if self._paused(key_id):  # a check for this key failed while we waited
                return False
            try:
                self._argon2.verify(stored_hash, token)
            except (VerificationError, InvalidHashError):
                if len(self._legacy_failed) > 10_000:
                    self._legacy_failed.clear()
                self._legacy_failed[key_id] = self._monotonic()
                return False
        return True

    def _paused(self, key_id: uuid.UUID) -> bool:
        failed_at = self._legacy_failed.get(key_id)
        return (
            failed_at is not None and self._monotonic() - failed_at < LEGACY_FAILURE_PAUSE_SECONDS
        )
