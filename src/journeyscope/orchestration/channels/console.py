"""The console email channel: invitations printed and kept as files, never sent.

For ``journeyscope demo`` and trying things out without an SMTP server
(``JOURNEYSCOPE_EMAIL_DELIVERY=console``): each invitation is built exactly as the SMTP
channel would build it, written to ``<data dir>/console-mail/<invitation id>.eml`` (open it
in a mail client), and announced on the console with its link, labelled as not sent. An
address the SMTP channel would refuse is refused here too, so what the funnel shows is what a
real run would show. Links carry tokens: the console and the data folder are the operator's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from journeyscope.orchestration.channels.base import Delivery, Outcome, OutcomeHook, Result
from journeyscope.orchestration.channels.email_message import MessageBuilder, address_problem
from journeyscope.store import write_private_bytes

CONSOLE_MAIL_DIR = "console-mail"
"""The folder, in the data folder, that keeps the console's messages."""
LABEL = "[console email: not sent]"
"""What starts each console line, so nobody takes it for a sent message."""


class ConsoleEmailSender:
    """Prints each invitation email and keeps it as an ``.eml`` file instead of sending it.

    Args:
        mail_from: The From address, as for SMTP (``JOURNEYSCOPE_MAIL_FROM``).
        folder: Where the ``.eml`` files go (created on first use).
        stream: Where the one-line announcements go (the server's console).
        template_dir: Brand templates, as for SMTP (``JOURNEYSCOPE_EMAIL_TEMPLATE_DIR``).
    """

    channel = "email"

    def __init__(
        self,
        mail_from: str,
        *,
        folder: Path,
        stream: TextIO,
        template_dir: Path | None = None,
    ) -> None:
        self.builder = MessageBuilder(mail_from, template_dir=template_dir)  # fail early
        self.folder = folder
        self.stream = stream

    async def send(
        self, deliveries: Sequence[Delivery], on_outcome: OutcomeHook | None = None
    ) -> list[Outcome]:
        """Write and announce each delivery; one outcome each, in the batch's order."""
        outcomes = [self._deliver(delivery) for delivery in deliveries]
        for outcome in outcomes:
            if on_outcome is not None:
                on_outcome(outcome)
        return outcomes

    def _deliver(self, delivery: Delivery) -> Outcome:
        problem = address_problem(delivery.recipient.email)
        if problem:
            return Outcome(delivery.invitation_id, Result.FAILED, problem)
        try:
            message = self.builder.build(delivery)
        except ValueError as error:
            return Outcome(delivery.invitation_id, Result.FAILED, str(error))
        suffix = "-reminder" if delivery.is_reminder else ""
        path = self.folder / f"{delivery.invitation_id}{suffix}.eml"
        write_private_bytes(path, message)  # addresses and answers: for this account only
        kind = "reminder" if delivery.is_reminder else "invitation"
        self.stream.write(
            f"{LABEL} {kind} to {delivery.recipient.email} for survey "
            f"{delivery.survey.key!r}: {delivery.link} (kept in {path})\n"
        )
        self.stream.flush()
        return Outcome(delivery.invitation_id, Result.SENT, f"console email, not sent: {path}")
