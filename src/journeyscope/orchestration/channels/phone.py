"""The phone channel: an outbound call that asks the survey's scored questions on the keypad.

The channel is ``call_center`` (our :class:`~journeyscope.journey.models.Channel` has no
separate "phone"): an automated survey call is the call center reaching the customer, and its
answers are reported under that channel. Placing the call is all this module does; when the
customer picks up, the provider fetches ``{base}/ivr/{token}/start`` and the web door
(:mod:`journeyscope.web.api.ivr`) leads the call with :mod:`journeyscope.orchestration.ivr`.

SENT means the provider queued the call, not that anyone answered it.
"""

from __future__ import annotations

from journeyscope.journey import Channel
from journeyscope.orchestration import ivr
from journeyscope.orchestration.channels.base import Delivery, Outcome, Result
from journeyscope.orchestration.channels.twilio import TwilioClient, TwilioSender, outcome_of


class PhoneSender(TwilioSender):
    """Calls each recipient; the provider then plays our IVR survey (see :class:`TwilioSender`).

    SENT carries the call sid. A survey without a scored question fails without a call.
    """

    channel: str = Channel.CALL_CENTER.value

    async def deliver(self, provider: TwilioClient, delivery: Delivery, phone: str) -> Outcome:
        """Place the call; when answered, the provider fetches our first IVR step."""
        if not ivr.has_phone_questions(delivery.survey.definition):
            detail = "the survey has no scored question to ask by phone"
            return Outcome(delivery.invitation_id, Result.FAILED, detail)
        url = ivr.call_url(self.base_url, delivery.token, lang=delivery.lang)
        return outcome_of(delivery, await provider.place_call(to=phone, url=url))
