"""What the dispatcher hands a channel, and what a channel answers.

A channel never touches the database: the dispatcher claims due invitations, builds one
:class:`Delivery` per invitation (the personal link is already signed), calls the channel, and
records each :class:`Outcome` in the invitation's state. So a channel is easy to test against a
local server, and a crash between send and commit is the only window for a duplicate.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from journeyscope.surveys import PublishedSurvey


class Result(enum.StrEnum):
    """How one delivery went."""

    SENT = "sent"  # accepted by the server or provider
    RETRY = "retry"  # a temporary failure (4xx SMTP, timeout, 5xx provider): try again later
    FAILED = "failed"  # a permanent failure (5xx SMTP, invalid number): never retried


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who receives it, as the contact record has it."""

    contact_id: uuid.UUID
    external_id: str
    email: str | None
    phone: str | None
    name: str | None
    locale: str | None
    attributes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One invitation ready to go out.

    ``message_id`` is stable per invitation (a retry reuses it), so a receiving server or the
    test sink can tell a resend from a new message. ``link`` is the personal survey page;
    ``unsubscribe_url`` is the one-click (RFC 8058) endpoint for this invitation. ``date`` is
    when this pass sends it, from the dispatcher's clock (an email's ``Date`` header).
    """

    invitation_id: uuid.UUID
    workspace_id: uuid.UUID
    channel: str
    recipient: Recipient
    survey: PublishedSurvey
    lang: str
    link: str
    token: str
    unsubscribe_url: str
    message_id: str
    date: dt.datetime
    is_reminder: bool = False


AddressStatus = Literal["bounced", "unsubscribed"]
"""What a channel learnt about the address itself, kept as the contact's channel status."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The channel's answer for one delivery; ``detail`` is kept on the invitation.

    ``address_status`` is set when the failure is the address's for good, not this message's:
    ``bounced`` for a mailbox refused at ``RCPT`` (5xx) or a number the provider calls invalid,
    ``unsubscribed`` for a number that texted STOP. The dispatcher stores it on the contact,
    so policies refuse later invitations on that channel before anything is sent.
    """

    invitation_id: uuid.UUID
    result: Result
    detail: str = ""
    address_status: AddressStatus | None = None


OutcomeHook = Callable[[Outcome], None]
"""Hears each outcome as soon as it is known, before the batch ends."""


class Sender(Protocol):
    """A channel: sends a batch, answers one outcome per delivery, in any order."""

    channel: str

    async def send(
        self, deliveries: Sequence[Delivery], on_outcome: OutcomeHook | None = None
    ) -> list[Outcome]:
        """Deliver each one; never raise for a single bad delivery, answer its outcome.

        ``on_outcome`` is told each outcome the moment it is known, so the dispatcher can
        commit a sent message while the rest of the batch goes out: a crash then can only
        repeat the messages whose commit had not happened yet.
        """
        ...  # pragma: no cover - protocol


def log_failure(
    log: logging.Logger, what: str, invitation_id: uuid.UUID, error: BaseException
) -> None:
    """Log that one delivery failed, keeping the error's own words to DEBUG.

    Errors about one message often quote its recipient (the address an SMTP server refused,
    a phone number in a provider's answer), and contacts' details stay out of logs above
    DEBUG: ERROR names the invitation and the kind of error, DEBUG adds the traceback.
    """
    log.error("%s %s (%s; details at DEBUG)", what, invitation_id, type(error).__name__)
    log.debug("%s %s", what, invitation_id, exc_info=error)
