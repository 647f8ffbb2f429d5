"""The phone channel: an outbound call that asks the survey's scored questions on the keypad.

The channel is ``call_center`` (our :class:`~journeyscope.journey.models.Channel` has no
separate "phone"): an automated survey call is the call center reaching the customer, and its
answers are reported under that channel. Placing the call is all this module does; when the
customer picks up, the provider fetches ``{base}/ivr/{token}/start`` and the web door
(:mod:`journeyscope.web.api.ivr`) leads the call with :mod:`journeyscope.orchestration.ivr`.

SENT means the provider queued the call, not that anyone answered it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx

from journeyscope.journey.models import Channel
from journeyscope.orchestration import ivr
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.channels.twilio import (
    TwilioAccount,
    TwilioClient,
    http_client,
    send_each,
)
from journeyscope.settings import Settings

log = logging.getLogger(__name__)


class PhoneSender:
    """Calls each recipient; the provider then plays our IVR survey.

    Args:
        settings: Provider account (as for SMS) and ``base_url``, the public address the
            provider fetches the call's instructions from.
        client: An ``httpx.AsyncClient`` to reuse; by default one is opened per batch.
    """

    channel: str = Channel.CALL_CENTER.value

    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.account = TwilioAccount.from_settings(settings)
        self.base_url = settings.base_url
        self._client = client

    async def send(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """Place one call per delivery; SENT carries the call sid."""
        async with http_client(self._client) as http:
            provider = TwilioClient(self.account, http)

            async def send_one(delivery: Delivery) -> Outcome:
                phone = (delivery.recipient.phone or "").strip()
                if not phone:
                    return Outcome(delivery.invitation_id, Result.FAILED, "no phone number")
                if not ivr.has_phone_questions(delivery.survey.definition):
                    detail = "the survey has no scored question to ask by phone"
                    return Outcome(delivery.invitation_id, Result.FAILED, detail)
                url = ivr.call_url(self.base_url, delivery.token, lang=delivery.lang)
                reply = await provider.place_call(to=phone, url=url)
                log.info("Call for invitation %s: %s", delivery.invitation_id, reply.result)
                return Outcome(delivery.invitation_id, reply.result, reply.detail)

            return await send_each(deliveries, send_one)
