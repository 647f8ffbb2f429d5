"""Passwords: argon2id hashes, the length rule, unknown accounts checked at the same cost."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from journeyscope.errors import InvalidInput
from journeyscope.workspaces import passwords


def test_hashes_are_argon2id_and_verify_only_the_right_password() -> None:
    stored = passwords.hash_password("a long passphrase")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "a long passphrase")
    assert not passwords.verify_password(stored, "a long passphrasE")


def test_production_parameters_are_rfc_9106s() -> None:
    # Tests run with cheap ones (conftest); a fresh hasher shows what production uses.
    default = PasswordHasher(type=Type.ID)
    assert (default.time_cost, default.memory_cost, default.parallelism) == (3, 65536, 4)


def test_no_account_never_verifies_yet_runs_a_hash() -> None:
    assert not passwords.verify_password(None, "anything at all")
    assert passwords._dummy is not None  # the dummy hash was computed and checked


def test_a_hash_made_with_other_parameters_verifies_and_needs_rehash() -> None:
    other = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, type=Type.ID)
    stored = other.hash("a long passphrase")
    assert passwords.verify_password(stored, "a long passphrase")
    assert passwords.needs_rehash(stored)
    assert not passwords.needs_rehash(passwords.hash_password("a long passphrase"))


def test_garbage_hashes_and_huge_input_are_refused_quietly() -> None:
    assert not passwords.verify_password("not a hash", "a long passphrase")
    stored = passwords.hash_password("a long passphrase")
    assert not passwords.verify_password(stored, "x" * 10_000)


@pytest.mark.parametrize("length", [0, 9, 1025])
def test_the_length_rule_names_the_limits(length: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        passwords.check_password_rule("x" * length)
    assert "10 to 1024" in caught.value.message


def test_generated_passwords_are_long_and_different() -> None:
    made = {passwords.generate_password() for _ in range(50)}
    assert len(made) == 50 and all(len(p) == 24 for p in made)
    for password in made:
        passwords.check_password_rule(password)
