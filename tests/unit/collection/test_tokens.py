"""Invitation tokens: round trip, tampering, expiry, one response id per invitation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from journeyscope.collection import InvalidToken, new_invitation, read_invitation, sign_invitation
from journeyscope.journey.models import Channel

SECRET = "unit-test-secret"


def _invitation(**overrides: object):  # type: ignore[no-untyped-def]
    fields = {"workspace_id": uuid.uuid4(), "survey_id": uuid.uuid4(), "contact_id": uuid.uuid4()}
    return new_invitation(**{**fields, **overrides})  # type: ignore[arg-type]


def test_a_signed_invitation_reads_back_equal() -> None:
    invitation = _invitation(channel=Channel.CALL_CENTER)
    assert read_invitation(sign_invitation(invitation, SECRET), SECRET) == invitation


def test_an_invitation_without_contact_reads_back_equal() -> None:
    invitation = _invitation(contact_id=None)
    assert read_invitation(sign_invitation(invitation, SECRET), SECRET) == invitation


def test_every_click_on_one_invitation_fills_the_same_response() -> None:
    invitation = _invitation()
    token = sign_invitation(invitation, SECRET)
    first = read_invitation(token, SECRET).response_id
    assert read_invitation(token, SECRET).response_id == first
    assert _invitation().response_id != first


@pytest.mark.parametrize("position", [0, 10, -5, -1])
def test_a_changed_character_is_refused_as_not_valid(position: int) -> None:
    token = sign_invitation(_invitation(), SECRET)
    changed = "A" if token[position] != "A" else "B"
    tampered = token[:position] + changed + token[position + 1 :] if position != -1 else token[:-1]
    with pytest.raises(InvalidToken) as caught:
        read_invitation(tampered, SECRET)
    assert caught.value.expired is False
    assert caught.value.status == 403


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = sign_invitation(_invitation(), "another-installation")
    with pytest.raises(InvalidToken):
        read_invitation(token, SECRET)


def test_garbage_is_refused_without_crashing() -> None:
    for junk in ["", ".", "abc.def", "x" * 500]:
        with pytest.raises(InvalidToken):
            read_invitation(junk, SECRET)


def test_an_expired_invitation_says_it_expired() -> None:
    invitation = _invitation(lifetime=dt.timedelta(days=1))
    token = sign_invitation(invitation, SECRET)
    read_invitation(token, SECRET, now=invitation.expires_at - dt.timedelta(seconds=1))
    with pytest.raises(InvalidToken) as caught:
        read_invitation(token, SECRET, now=invitation.expires_at)
    assert caught.value.expired is True
    assert "expired" in caught.value.message
