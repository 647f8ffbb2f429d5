"""Delivery channels: how a due invitation reaches a person (email, SMS, phone)."""

from __future__ import annotations

from journeyscope.orchestration.channels.base import Sender
from journeyscope.settings import Settings


def senders_from_settings(settings: Settings) -> dict[str, Sender]:
    """The channels this installation can send on: email always, SMS and calls if configured.

    Setting any of ``SMS_ACCOUNT_SID``, ``SMS_AUTH_TOKEN`` or ``SMS_FROM_NUMBER`` asks for the
    SMS and phone channels, so one missing among them is a
    :class:`~journeyscope.errors.ConfigurationError` naming it at start-up, not a channel that
    silently never sends.
    """
    from journeyscope.orchestration.channels.email import EmailSender

    senders: dict[str, Sender] = {
        "email": EmailSender(settings, template_dir=settings.email_template_dir)
    }
    if settings.sms_account_sid or settings.sms_auth_token or settings.sms_from_number:
        from journeyscope.orchestration.channels.phone import PhoneSender
        from journeyscope.orchestration.channels.sms import SmsSender

        senders["sms"] = SmsSender(settings)
        senders["call_center"] = PhoneSender(settings)
    return senders
