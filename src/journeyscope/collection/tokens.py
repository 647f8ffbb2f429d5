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
from journeyscope.journey.models import Channel
from journeyscope.store import utcnow

_SALT = "journeyscope.invitation.v1"
_RESPONSE_NAMESPACE = uuid.UUID("5b1d3c3e-2b8f-4f0e-9a57-6c1f0d8f4a21")
DEFAULT_LIFETIME = dt.timedelta(days=30)


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
    lifetime: dt.timedelta = DEFAULT_LIFETIME,
    nonce: str | None = None,
) -> Invitation:
    """An invitation valid for ``lifetime`` from now; ``nonce`` defaults to a random one."""
    return Invitation(
        workspace_id=workspace_id,
        survey_id=survey_id,
        contact_id=contact_id,
        channel=channel,
        nonce=nonce or secrets.token_urlsafe(12),
        expires_at=(utcnow() + lifetime).replace(microsecond=0),
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


def read_invitation(token: str, secret_key: str, *, now: dt.datetime | None = None) -> Invitation:
    """The invitation in ``token``; :class:`InvalidToken` if tampered with or expired."""
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
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidToken("This survey link is not valid.", expired=False) from None
    if (now or utcnow()) >= invitation.expires_at:
        raise InvalidToken("This survey link has expired.", expired=True)
    return invitation
