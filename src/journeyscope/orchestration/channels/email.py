"""The email channel: sends a batch of invitations over a few reused SMTP connections.

Opening an SMTP session (TCP, EHLO, STARTTLS, AUTH) costs several round trips, often more than
the message itself, so each batch runs up to ``connections`` workers that each keep one
session open for all the messages they take from a shared queue, and reconnect when the
server drops it (many relays close a session after N messages or an idle minute).

Every delivery gets an :class:`Outcome`; nothing raises for one bad delivery. A temporary
failure (4xx, a refused connection, a timeout, a dropped session) answers ``RETRY`` with the
server's words, so the dispatcher tries again later with the same ``Message-ID``; a permanent
refusal of the recipient or the message (5xx to ``RCPT`` or ``DATA``) answers ``FAILED``, and
an unknown mailbox (``5.1.x`` at ``RCPT``) also marks the contact's address bounced. A
5xx to ``MAIL FROM`` or to the login is our configuration's fault, not the recipient's, so it
answers ``RETRY``: fixing the settings then lets the invitations go out. Must not import the web.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import aiosmtplib

from journeyscope.orchestration.channels.base import (
    Delivery,
    Outcome,
    OutcomeHook,
    Result,
    log_failure,
)
from journeyscope.orchestration.channels.email_message import MessageBuilder, address_problem
from journeyscope.settings import Settings

log = logging.getLogger(__name__)

TEMPORARY_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)
"""What makes a delivery ``RETRY`` when no SMTP reply code says otherwise."""
REPLIES = (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused)
"""Errors that are the server's reply: the session stays usable for the next message."""
CLOSING = 421
"""The reply code of a server about to close the session (RFC 5321 §3.8)."""


class EmailSender:
    """Sends invitation emails through the SMTP server in the settings.

    Args:
        settings: ``smtp_host``, ``smtp_port``, ``smtp_security``, ``smtp_username``,
            ``smtp_password`` and ``mail_from`` are used.
        connections: How many SMTP sessions a batch may use at once.
        timeout: Seconds to wait for the server on each step (connect, each command).
        template_dir: A folder of brand templates that replace the built-in ones
            (``JOURNEYSCOPE_EMAIL_TEMPLATE_DIR``).
    """

    channel = "email"

    def __init__(
        self,
        settings: Settings,
        *,
        connections: int = 4,
        timeout: float = 30.0,
        template_dir: Path | None = None,
    ) -> None:
        if connections < 1:
            raise ValueError(f"connections must be at least 1, not {connections}")
        self.settings = settings
        self.connections = connections
        self.timeout = timeout
        self.template_dir = template_dir
        MessageBuilder(
            settings.mail.from_address, template_dir=template_dir
        )  # fail early on mail_from

    async def send(
        self, deliveries: Sequence[Delivery], on_outcome: OutcomeHook | None = None
    ) -> list[Outcome]:
        """Send each delivery; answer one outcome per delivery, in the batch's order.

        ``on_outcome`` hears each message's outcome as soon as the server answered it.
        """
        builder = MessageBuilder(self.settings.mail.from_address, template_dir=self.template_dir)
        outcomes = _Outcomes(on_outcome)
        queue: asyncio.Queue[tuple[int, Delivery]] = asyncio.Queue()
        for index, delivery in enumerate(deliveries):
            problem = address_problem(delivery.recipient.email)
            if problem:
                outcomes[index] = Outcome(delivery.invitation_id, Result.FAILED, problem)
            else:
                queue.put_nowait((index, delivery))
        workers = min(self.connections, queue.qsize())
        errors = await asyncio.gather(
            *(self._work(queue, builder, outcomes) for _ in range(workers))
        )
        unreached = next((error for error in errors if error), "SMTP server unreachable")
        return [
            outcomes.get(i) or Outcome(d.invitation_id, Result.RETRY, f"not sent: {unreached}")
            for i, d in enumerate(deliveries)
        ]

    async def _work(
        self,
        queue: asyncio.Queue[tuple[int, Delivery]],
        builder: MessageBuilder,
        outcomes: _Outcomes,
    ) -> str | None:
        """Send from the queue over one session; stop (and say why) when it cannot connect.

        Deliveries a stopped worker leaves in the queue are taken by the others, or answered
        ``RETRY`` by :meth:`send` when every worker stopped.
        """
        session = _Session(self._client)
        try:
            while not queue.empty():
                index, delivery = queue.get_nowait()
                try:
                    message = builder.build(delivery)
                except Exception as error:  # a bug or bad data must not stop the batch
                    log_failure(log, "could not build invitation", delivery.invitation_id, error)
                    outcomes[index] = Outcome(delivery.invitation_id, Result.FAILED, str(error))
                    continue
                try:
                    await session.ensure()
                except TEMPORARY_ERRORS as error:
                    detail = _describe(error)
                    outcomes[index] = Outcome(delivery.invitation_id, Result.RETRY, detail)
                    log.warning(
                        "SMTP connect to %s failed: %s", self.settings.mail.smtp_host, detail
                    )
                    return detail
                outcomes[index] = await self._deliver(session, builder, delivery, message)
            return None
        finally:
            await session.close()

    async def _deliver(
        self, session: _Session, builder: MessageBuilder, delivery: Delivery, message: bytes
    ) -> Outcome:
        """Send one message; on a dropped session reconnect once and try again."""
        address = (delivery.recipient.email or "").strip()
        for attempt in (1, 2):
            try:
                await session.client.sendmail(builder.envelope_from, [address], message)
            except aiosmtplib.SMTPServerDisconnected as error:
                await session.close()
                if attempt == 2 or not session.was_used:
                    return Outcome(delivery.invitation_id, Result.RETRY, _describe(error))
                try:
                    await session.ensure()
                except TEMPORARY_ERRORS as again:
                    return Outcome(delivery.invitation_id, Result.RETRY, _describe(again))
            except TEMPORARY_ERRORS as error:
                if not isinstance(error, REPLIES) or getattr(error, "code", 0) == CLOSING:
                    session.drop()  # after a timeout, a socket error or a 421 it is unusable
                return _outcome_of(delivery, error)
            except Exception as error:  # e.g. an address aiosmtplib refuses: only this one fails
                log_failure(log, "could not send invitation", delivery.invitation_id, error)
                session.drop()
                return Outcome(delivery.invitation_id, Result.FAILED, str(error))
            else:
                session.was_used = True
                return Outcome(delivery.invitation_id, Result.SENT, "")
        raise AssertionError("unreachable")  # pragma: no cover

    def _client(self) -> aiosmtplib.SMTP:
        """A new, unconnected SMTP client configured from the settings."""
        settings = self.settings
        password = (
            settings.mail.smtp_password.get_secret_value() if settings.mail.smtp_password else None
        )
        return aiosmtplib.SMTP(
            hostname=settings.mail.smtp_host,
            port=settings.mail.smtp_port,
            username=settings.mail.smtp_username or None,
            password=password,
            use_tls=settings.mail.smtp_security == "tls",
            start_tls=settings.mail.smtp_security == "starttls",
            timeout=self.timeout,
        )


class _Outcomes(dict[int, Outcome]):
    """The batch's outcomes by position, each also told to the hook when it is set."""

    def __init__(self, hook: OutcomeHook | None) -> None:
        super().__init__()
        self._hook = hook

    def __setitem__(self, index: int, outcome: Outcome) -> None:
        super().__setitem__(index, outcome)
        if self._hook is not None:
            self._hook(outcome)


class _Session:
    """One worker's SMTP session: connected on first use, reconnected after a drop."""

    def __init__(self, factory: Callable[[], aiosmtplib.SMTP]) -> None:
        self._new = factory
        self.client = factory()
        self.was_used = False

    async def ensure(self) -> None:
        """Connect (TLS, EHLO, STARTTLS and login as configured) unless connected already."""
        if self.client.is_connected:
            return
        self.client = self._new()
        self.was_used = False
        await self.client.connect()

    async def close(self) -> None:
        """Say QUIT when we can; drop the socket otherwise."""
        if not self.client.is_connected:
            return
        try:
            await self.client.quit()
        except TEMPORARY_ERRORS:
            self.drop()

    def drop(self) -> None:
        """Close the socket without a goodbye (after a timeout there is no one to hear it)."""
        if self.client.is_connected:
            self.client.close()


def _outcome_of(delivery: Delivery, error: BaseException) -> Outcome:
    """``FAILED`` for a 5xx to the recipient or the message; ``RETRY`` for anything else.

    A mailbox refused for good at ``RCPT`` (an enhanced status ``5.1.x``, or a bare 550, 551 or
    553) also answers ``address_status="bounced"``, so the contact is not tried again.
    """
    detail = _describe(error)
    refusals: list[aiosmtplib.SMTPRecipientRefused] = []
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        refusals = list(error.recipients)
        is_permanent = bool(refusals) and all(r.code >= 500 for r in refusals)
    elif isinstance(error, aiosmtplib.SMTPRecipientRefused):
        refusals = [error]
        is_permanent = error.code >= 500
    elif isinstance(error, aiosmtplib.SMTPDataError):
        is_permanent = error.code >= 500
    else:
        is_permanent = False
    if not is_permanent:
        return Outcome(delivery.invitation_id, Result.RETRY, detail)
    bounced = bool(refusals) and all(_is_unknown_mailbox(r.code, r.message) for r in refusals)
    return Outcome(delivery.invitation_id, Result.FAILED, detail, "bounced" if bounced else None)


def _is_unknown_mailbox(code: int, message: str) -> bool:
    """Whether a ``RCPT`` refusal says the address does not exist (RFC 3463 ``5.1.x``)."""
    enhanced = message.split(maxsplit=1)[0] if message.strip() else ""
    if enhanced.count(".") == 2 and enhanced[0].isdigit():
        return enhanced.startswith("5.1.")
    return code in (550, 551, 553)


def _describe(error: BaseException) -> str:
    """The server's code and words (``550 5.1.1 no such user``), else the error's message."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return _describe(error.recipients[0])
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"{error.code} {error.message}".strip()
    return str(error) or type(error).__name__
