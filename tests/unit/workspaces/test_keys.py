"""API key hashing: HMAC for keys, argon2 only for legacy hashes, and bounded when it runs."""

from __future__ import annotations

import uuid

import argon2

from factories import legacy_key_hash
from journeyscope.workspaces.keys import (
    HASH_SCHEME,
    LEGACY_FAILURE_PAUSE_SECONDS,
    TokenChecker,
    hash_token,
    is_legacy,
    new_token,
)


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_new_key_is_stored_as_an_hmac_digest_not_argon2() -> None:
    _, token = new_token()
    stored = hash_token(token)
    assert stored.startswith(HASH_SCHEME)
    assert len(stored) == len(HASH_SCHEME) + 64
    assert not is_legacy(stored)
    assert hash_token(token) == stored  # no salt: found and checked by the public prefix


def test_the_hmac_check_accepts_the_token_and_refuses_any_other() -> None:
    checker = TokenChecker()
    _, token = new_token()
    stored = hash_token(token)
    key_id = uuid.uuid4()
    assert checker.verify(key_id, token, stored)
    assert not checker.verify(key_id, token[:-1] + ("A" if token[-1] != "A" else "B"), stored)
    assert not checker.verify(key_id, token, "something-else")


def test_a_legacy_argon2_hash_still_verifies() -> None:
    _, token = new_token()
    stored = legacy_key_hash(token)
    assert is_legacy(stored)
    assert TokenChecker().verify(uuid.uuid4(), token, stored)


def test_legacy_hashes_made_for_tests_are_cheap_and_checked_as_in_production() -> None:
    stored = legacy_key_hash("js_abc_secret")
    cost = argon2.extract_parameters(stored)
    assert (cost.time_cost, cost.memory_cost, cost.parallelism) == (1, 8, 1)
    checker = TokenChecker()
    assert checker._argon2.memory_cost == argon2.PasswordHasher().memory_cost
    assert checker.verify(uuid.uuid4(), "js_abc_secret", stored)


def test_a_failed_legacy_check_pauses_argon2_for_that_key_only() -> None:
    clock = Clock()
    checker = TokenChecker(monotonic=clock)
    _, token = new_token()
    stored = legacy_key_hash(token)
    attacked, other = uuid.uuid4(), uuid.uuid4()
    assert not checker.verify(attacked, "js_wrong_guess", stored)
    # Within the pause even the right token is refused: argon2 is not run at all.
    assert not checker.verify(attacked, token, stored)
    assert checker.verify(other, token, stored)
    clock.now += LEGACY_FAILURE_PAUSE_SECONDS
    assert checker.verify(attacked, token, stored)
