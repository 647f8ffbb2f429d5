"""The SMS channel: a short text with the personal survey link, sent through the provider.

A text has no room for the survey itself, so it says who asks and links to the hosted page
(``/i/{token}``), which knows the respondent from the signed link. The words are kept short and
in plain letters (GSM-7, no typographic dots) because a single emoji or curly quote switches the
whole message to UCS-2 and halves the characters per billed segment. The survey title is cut
to :data:`TITLE_MAX` characters. The opt-out line is required by carriers in many countries;
the provider stops texts to anyone who replies STOP, and a later send to them fails for good
(provider error 21610), which the dispatcher records.
"""

from __future__ import annotations

from journeyscope import surveys
from journeyscope.journey import Channel
from journeyscope.orchestration.channels.base import Delivery, Outcome
from journeyscope.orchestration.channels.twilio import TwilioClient, TwilioSender, outcome_of

TITLE_MAX = 40
"""Characters of the survey title kept in a text."""

SMS_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "invite": "{title}: how did we do? It takes a minute: {link}",
        "reminder": "Reminder - {title}: a minute to tell us how we did: {link}",
        "stop": "Reply STOP to opt out.",
    },
    "fr": {
        "invite": "{title} : votre avis compte, 1 minute suffit : {link}",
        "reminder": "Rappel - {title} : 1 minute pour nous donner votre avis : {link}",
        "stop": "STOP pour ne plus recevoir de SMS.",
    },
    "de": {
        "invite": "{title}: Wie war es? Eine Minute genuegt: {link}",
        "reminder": "Erinnerung - {title}: eine Minute fuer Ihre Meinung: {link}",
        "stop": "Antworten Sie STOP zum Abmelden.",
    },
    "es": {
        "invite": "{title}: que tal lo hicimos? Solo un minuto: {link}",
        "reminder": "Recordatorio - {title}: un minuto para darnos su opinion: {link}",
        "stop": "Responda STOP para darse de baja.",
    },
}
"""The words of a text, by language; other languages fall back to English."""


def sms_body(delivery: Delivery) -> str:
    """The text for one delivery: the survey title, a line of invitation, the link, opt-out."""
    definition = delivery.survey.definition
    words = SMS_TEXT[surveys.best_language(list(SMS_TEXT), [delivery.lang], "en")]
    title = _shorten(surveys.localize(definition.title, delivery.lang, definition.default_language))
    line = words["reminder" if delivery.is_reminder else "invite"]
    return line.format(title=title, link=delivery.link) + "\n" + words["stop"]


class SmsSender(TwilioSender):
    """Texts the personal survey link to each recipient's phone (see :class:`TwilioSender`)."""

    channel: str = Channel.SMS.value

    async def deliver(self, provider: TwilioClient, delivery: Delivery, phone: str) -> Outcome:
        """Send the text of :func:`sms_body`."""
        return outcome_of(delivery, await provider.send_message(to=phone, body=sms_body(delivery)))


def _shorten(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 3].rstrip() + "..."
