"""Signed, expiring invitation tokens: a personal survey link that needs no login.

A token carries the workspace, the survey, the contact, the channel, an invitation nonce and an
expiry, signed with the installation's ``SECRET_KEY`` (HMAC via itsdangerous). Nothing in it is
secret, but nothing can be changed: a tampered or expired token is refused before any data is
read. The response id derives from the nonce, so one invitation yields at most one response —
every click, resend and resume lands on the same row, and a completed one stays as it is.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from journeyscope.errors import JourneyscopeError
from journeyscope.journey import Channel

_SALT = "journeyscope.invitation.v1"
_RESPONSE_NAMESPACE = uuid.UUID("5b1d3c3e-2b8f-4f0e-9a57-6c1f0d8f4a21")
DEFAULT_LIFETIME = dt.timedelta(days=30)
EXPIRIES = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 1, 1, tzinfo=dt.UTC))
"""The expiries a token may carry (from, to): none was signed before 2000, and dates near the
calendar's end would overflow the day arithmetic done with them (a reminder, a cookie)."""


class InvalidToken(JourneyscopeError):
    """A survey link whose signature does not verify, or that has expired."""

    status = 403

    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True, slots=True)
class Invitation:
    """What a personal survey link grants: answering one survey, once, as one contact."""

    workspace_id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID | None
    channel: Channel
    nonce: str
    expires_at: dt.datetime

    @property
    def response_id(self) -> uuid.UUID:
        """The one response this invitation may fill, the same on every click."""
        return uuid.uuid5(_RESPONSE_NAMESPACE, f"{self.workspace_id}:{self.nonce}")


def new_invitation(
    *,
    workspace_id: uuid.UUID,
    survey_id: uuid.UUID,
    contact_id: uuid.UUID | None = None,
    channel: Channel = Channel.EMAIL,
    now: dt.datetime,
    lifetime: dt.timedelta = DEFAULT_LIFETIME,
    nonce: str | None = None,
) -> Invitation:
    """An invitation valid for ``lifetime`` from ``now``; ``nonce`` defaults to a random one."""
    return Invitation(
        workspace_id=workspace_id,
        survey_id=survey_id,
        contact_id=contact_id,
        channel=channel,
        nonce=nonce or secrets.token_urlsafe(12),
        expires_at=(now + lifetime).replace(microsecond=0),
    )


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def sign_invitation(invitation: Invitation, secret_key: str) -> str:
    """The URL-safe token for ``invitation``."""
    payload = {
        "w": invitation.workspace_id.hex,
        "s": invitation.survey_id.hex,
        "c": invitation.contact_id.hex if invitation.contact_id else None,
        "ch": invitation.channel.value,
        "n": invitation.nonce,
        "e": int(invitation.expires_at.timestamp()),
    }
    return str(_serializer(secret_key).dumps(payload))


def read_signed_invitation(token: str, secret_key: str) -> Invitation:
    """The invitation in ``token`` if its signature verifies, expired or not.

    For what must work for ever, such as an unsubscribe link (RFC 8058): only a tampered
    token is refused. An expiry outside :data:`EXPIRIES` (year 1, 9999, or beyond what the
    platform's timestamps hold) makes the token not valid, never a server error.

    Raises:
        InvalidToken: The token is tampered with or malformed (``expired=False``).
    """
    try:
        payload = _serializer(secret_key).loads(token)
        invitation = Invitation(
            workspace_id=uuid.UUID(hex=payload["w"]),
            survey_id=uuid.UUID(hex=payload["s"]),
            contact_id=uuid.UUID(hex=payload["c"]) if payload["c"] else None,
            channel=Channel(payload["ch"]),
            nonce=str(payload["n"]),
            expires_at=dt.datetime.fromtimestamp(int(payload["e"]), dt.UTC),
        )
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        invitation = None
    if invitation is None or not EXPIRIES[0] <= invitation.expires_at < EXPIRIES[1]:
        raise InvalidToken("This survey link is not valid.", expired=False)
    return invitation


def read_invitation(token: str, secret_key: str, *, now: dt.datetime) -> Invitation:
    """The invitation in ``token`` at time ``now`` (the reader's ``db.clock.now()``).

    Raises:
        InvalidToken: The token is tampered with or malformed (``expired=False``), or its
            time is up at ``now`` (``expired=True``).
    """
    invitation = read_signed_invitation(token, secret_key)
    if now >= invitation.expires_at:
        raise InvalidToken("This survey link has expired.", expired=True)
    return invitation
