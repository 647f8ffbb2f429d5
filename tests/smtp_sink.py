"""A local SMTP server for tests: records every message and can refuse the next few.

    with SmtpSink() as sink:
        settings = Settings(mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port, ...})
        sink.fail_next(1, 451, "4.3.0 try again later")
        ...
        assert len(sink.messages) == 50 and sink.connections == 4

The server (aiosmtpd) runs in its own thread and event loop, so async code under test can talk
to it from ``asyncio.run``; what it records is guarded by a lock.
"""

from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Literal, Self

from aiosmtpd.controller import Controller

from parallel import free_port

Stage = Literal["mail", "rcpt", "data"]


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope, the bytes and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage
    peer: tuple[str, int]


@dataclass
class _Failure:
    remaining: int
    code: int
    text: str
    stage: Stage
    after: int = 0


class _Handler:
    """aiosmtpd hooks: count sessions, refuse on demand, keep what is accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[Received] = []
        self.refused: list[tuple[int, str]] = []
        self.peers: list[tuple[str, int]] = []
        self.failure: _Failure | None = None

    async def handle_HELO(self, server: Any, session: Any, envelope: Any, hostname: str) -> str:
        session.host_name = hostname
        self._count(session)
        return f"250 {server.hostname}"

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        self._count(session)
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        refusal = self._take_failure("mail", server)
        if refusal:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = self._take_failure("rcpt", server)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        refusal = self._take_failure("data", server)
        if refusal:
            return refusal
        raw = bytes(envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        received = Received(
            envelope.mail_from, list(envelope.rcpt_tos), raw, parsed, tuple(session.peer)[:2]
        )
        with self.lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"

    def _count(self, session: Any) -> None:
        peer = tuple(session.peer)[:2]
        with self.lock:
            if peer not in self.peers:
                self.peers.append(peer)

    def _take_failure(self, stage: Stage, server: Any) -> str | None:
        """The refusal to answer at this stage, if one is due; code 0 hangs up instead."""
        with self.lock:
            failure = self.failure
            if failure is None or failure.stage != stage or failure.remaining <= 0:
                return None
            if failure.after > 0:
                failure.after -= 1
                return None
            failure.remaining -= 1
            self.refused.append((failure.code, failure.text))
        if failure.code == 0:
            server.transport.close()
            return "421 closing"  # never reaches the client: the socket is closed
        return f"{failure.code} {failure.text}"


class SmtpSink:
    """A recording SMTP server on 127.0.0.1 and a free port, as a context manager."""

    def __init__(self) -> None:
        self._handler = _Handler()
        self.port = free_port()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        """The accepted messages, parsed, in arrival order."""
        return [received.message for received in self.received]

    @property
    def received(self) -> list[Received]:
        """The accepted messages with their envelopes."""
        with self._handler.lock:
            return list(self._handler.messages)

    @property
    def connections(self) -> int:
        """How many SMTP sessions said EHLO or HELO (one per connection without STARTTLS)."""
        with self._handler.lock:
            return len(self._handler.peers)

    @property
    def refused(self) -> list[tuple[int, str]]:
        """The refusals sent so far, as ``(code, text)``."""
        with self._handler.lock:
            return list(self._handler.refused)

    def message_ids(self) -> list[str]:
        """The ``Message-ID`` of each accepted message, in arrival order."""
        return [str(message["Message-ID"]) for message in self.messages]

    def fail_next(
        self, count: int, code: int, text: str, *, stage: Stage = "data", after: int = 0
    ) -> None:
        """Answer the next ``count`` messages with ``code text`` at ``stage``.

        ``after`` lets that many messages through first (e.g. fail the 3rd message of a batch).
        """
        with self._handler.lock:
            self._handler.failure = _Failure(count, code, text, stage, after)

    def disconnect_next(self, count: int, *, stage: Stage = "mail", after: int = 0) -> None:
        """Hang up instead of answering the next ``count`` messages at ``stage``.

        At ``data`` the client cannot know whether the message was taken (it was not): the
        window in which a resend may duplicate a message.
        """
        with self._handler.lock:
            self._handler.failure = _Failure(count, 0, "disconnect", stage, after)

    def clear(self) -> None:
        """Forget the messages, sessions and refusals recorded so far."""
        with self._handler.lock:
            self._handler.messages.clear()
            self._handler.peers.clear()
            self._handler.refused.clear()
