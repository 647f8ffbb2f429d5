"""Invitation tokens: round trip, tampering, expiry, one response id per invitation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from itsdangerous import URLSafeSerializer

from journeyscope.collection import (
    InvalidToken,
    new_invitation,
    read_invitation,
    read_signed_invitation,
    sign_invitation,
)
from journeyscope.collection.tokens import _SALT
from journeyscope.journey.models import Channel

SECRET = "unit-test-secret"
NOW = dt.datetime(2031, 1, 1, 12, 0, tzinfo=dt.UTC)


def _invitation(**overrides: object):  # type: ignore[no-untyped-def]
    fields = {
        "workspace_id": uuid.uuid4(),
        "survey_id": uuid.uuid4(),
        "contact_id": uuid.uuid4(),
        "now": NOW,
    }
    return new_invitation(**{**fields, **overrides})  # type: ignore[arg-type]


def test_a_signed_invitation_reads_back_equal() -> None:
    invitation = _invitation(channel=Channel.CALL_CENTER)
    assert read_invitation(sign_invitation(invitation, SECRET), SECRET, now=NOW) == invitation


def test_an_invitation_without_contact_reads_back_equal() -> None:
    invitation = _invitation(contact_id=None)
    assert read_invitation(sign_invitation(invitation, SECRET), SECRET, now=NOW) == invitation


def test_every_click_on_one_invitation_fills_the_same_response() -> None:
    invitation = _invitation()
    token = sign_invitation(invitation, SECRET)
    first = read_invitation(token, SECRET, now=NOW).response_id
    assert read_invitation(token, SECRET, now=NOW).response_id == first
    assert _invitation().response_id != first


@pytest.mark.parametrize("position", [0, 10, -5, -1])
def test_a_changed_character_is_refused_as_not_valid(position: int) -> None:
    token = sign_invitation(_invitation(), SECRET)
    changed = "A" if token[position] != "A" else "B"
    tampered = token[:position] + changed + token[position + 1 :] if position != -1 else token[:-1]
    with pytest.raises(InvalidToken) as caught:
        read_invitation(tampered, SECRET, now=NOW)
    assert caught.value.expired is False
    assert caught.value.status == 403


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = sign_invitation(_invitation(), "another-installation")
    with pytest.raises(InvalidToken):
        read_invitation(token, SECRET, now=NOW)


def test_garbage_is_refused_without_crashing() -> None:
    for junk in ["", ".", "abc.def", "x" * 500]:
        with pytest.raises(InvalidToken):
            read_invitation(junk, SECRET, now=NOW)


def test_an_expired_invitation_says_it_expired() -> None:
    invitation = _invitation(lifetime=dt.timedelta(days=1))
    token = sign_invitation(invitation, SECRET)
    read_invitation(token, SECRET, now=invitation.expires_at - dt.timedelta(seconds=1))
    with pytest.raises(InvalidToken) as caught:
        read_invitation(token, SECRET, now=invitation.expires_at)
    assert caught.value.expired is True
    assert "expired" in caught.value.message


def test_an_invitation_lives_its_lifetime_from_the_time_it_is_given() -> None:
    invitation = _invitation(now=NOW, lifetime=dt.timedelta(days=30))
    assert invitation.expires_at == NOW + dt.timedelta(days=30)


def test_a_signed_but_expired_invitation_still_reads_for_what_works_for_ever() -> None:
    invitation = _invitation(now=NOW - dt.timedelta(days=400))
    token = sign_invitation(invitation, SECRET)
    with pytest.raises(InvalidToken):
        read_invitation(token, SECRET, now=NOW)
    assert read_signed_invitation(token, SECRET) == invitation


def _signed_with_expiry(expiry: object) -> str:
    payload = {"w": uuid.uuid4().hex, "s": uuid.uuid4().hex, "c": None, "ch": "email", "n": "x"}
    return str(URLSafeSerializer(SECRET, salt=_SALT).dumps(payload | {"e": expiry}))


ABSURD_EXPIRIES = [
    int(dt.datetime(9999, 12, 31, tzinfo=dt.UTC).timestamp()),  # year 9999
    int(dt.datetime(1, 1, 1, tzinfo=dt.UTC).timestamp()),  # year 1
    -1,  # before any link was signed
    10**12,  # past the calendar's end: fromtimestamp raises ValueError
    10**20,  # past the platform's time_t: OverflowError
    -(10**20),
    "soon",
    None,
]


@pytest.mark.parametrize("expiry", ABSURD_EXPIRIES)
def test_an_absurd_signed_expiry_is_not_valid(expiry: object) -> None:
    token = _signed_with_expiry(expiry)
    for read in (lambda: read_invitation(token, SECRET, now=NOW),
                 lambda: read_signed_invitation(token, SECRET)):  # fmt: skip
        with pytest.raises(InvalidToken) as caught:
            read()
        assert caught.value.expired is False
