"""Delivery channels: how a due invitation reaches a person (email, SMS, phone)."""

from __future__ import annotations

import sys
from typing import TextIO

from journeyscope.orchestration.channels.base import Sender
from journeyscope.settings import Settings


def senders_from_settings(
    settings: Settings, *, console: TextIO | None = None
) -> dict[str, Sender]:
    """The channels this installation can send on: email always, SMS and calls if configured.

    Email goes over SMTP, or with ``EMAIL_DELIVERY=console`` is printed on ``console``
    (default: standard output) and kept in the data folder instead (see ``channels.console``).

    Setting any of ``SMS_ACCOUNT_SID``, ``SMS_AUTH_TOKEN`` or ``SMS_FROM_NUMBER`` asks for the
    SMS and phone channels, so one missing among them is a
    :class:`~journeyscope.errors.ConfigurationError` naming it at start-up, not a channel that
    silently never sends.
    """
    senders: dict[str, Sender] = {"email": _email_sender(settings, console)}
    if settings.sms.account_sid or settings.sms.auth_token or settings.sms.from_number:
        from journeyscope.orchestration.channels.phone import PhoneSender
        from journeyscope.orchestration.channels.sms import SmsSender

        senders["sms"] = SmsSender(settings)
        senders["call_center"] = PhoneSender(settings)
    return senders


def _email_sender(settings: Settings, console: TextIO | None) -> Sender:
    if settings.mail.delivery == "console":
        from journeyscope.orchestration.channels.console import CONSOLE_MAIL_DIR, ConsoleEmailSender

        return ConsoleEmailSender(
            settings.mail.from_address,
            folder=settings.data_dir / CONSOLE_MAIL_DIR,
            stream=console or sys.stdout,
            template_dir=settings.mail.template_dir,
        )
    from journeyscope.orchestration.channels.email import EmailSender

    return EmailSender(settings, template_dir=settings.mail.template_dir)
