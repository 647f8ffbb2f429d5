"""People's passwords: argon2id hashes, generated passwords, and the length rule.

Passwords are low-entropy secrets, so unlike API keys (``keys.py``) they get a slow,
memory-hard hash: argon2id with RFC 9106's second recommended set (t=3, m=64 MiB, p=4),
argon2-cffi's defaults. A stored hash names its own parameters, so a hash made with other
ones (tests use cheap ones, see :func:`use_parameters`) still verifies, and
:func:`needs_rehash` tells when to store it again with the current ones.

An unknown account is checked against a dummy hash made with the same parameters, so a
sign-in costs the same whether the address exists or not (no timing oracle).
"""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from journeyscope.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024
"""Longer input is refused before hashing: a megabyte "password" would only cost CPU."""

_lock = threading.Lock()
_hasher = PasswordHasher(type=Type.ID)
_dummy: str | None = None


def use_parameters(*, time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Hash new passwords with these argon2id parameters (memory in KiB).

    For test suites, which need thousands of hashes to be cheap; production keeps the
    defaults. Hashes made before keep verifying.
    """
    global _hasher, _dummy
    with _lock:
        _hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
        )
        _dummy = None


def check_password_rule(password: str, *, field: str = "password") -> None:
    """Refuse a password that is too short or too long, saying the rule."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(
            f"A password needs {MIN_LENGTH} to {MAX_LENGTH} characters "
            f"(this one has {len(password)}).",
            field=field,
            hint="use a passphrase of a few words, or let Journeyscope generate one",
        )


def generate_password() -> str:
    """A random password to show once: 24 URL-safe characters (144 bits)."""
    return secrets.token_urlsafe(18)


def hash_password(password: str) -> str:
    """The argon2id hash to store (``$argon2id$v=19$m=...``)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; ``None`` (no account) costs the same."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with other parameters than the current ones."""
    return _hasher.check_needs_rehash(stored_hash)


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = _hasher.hash(secrets.token_urlsafe(18))
    return _dummy
