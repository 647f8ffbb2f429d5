"""A small client for Twilio's REST API (and compatible providers), plus TwiML rendering.

Only two calls are needed: send a text (``Messages.json``) and place a call (``Calls.json``),
each a form POST with HTTP basic auth (account sid and auth token). What matters is telling
failures apart, because the dispatcher retries one kind and not the other:

- 2xx: accepted; the provider's sid (``SM...``, ``CA...``) is kept in the outcome's detail.
- 408, 429, 5xx, timeouts and network errors: temporary, :attr:`Result.RETRY`.
- 401: our credentials were refused; nothing is wrong with the recipient, so
  :attr:`Result.RETRY` (and an error in the log) rather than failing every invitation.
- any other 4xx (an invalid or unsubscribed number, e.g. errors 21211 and 21610):
  :attr:`Result.FAILED`, never retried. An invalid number (21211, 21614) also answers the
  address ``bounced``, and a number that texted STOP (21610) ``unsubscribed``: the dispatcher
  keeps that on the contact, so later invitations are refused before any request.

TwiML (the provider's XML for a call) is built with :mod:`xml.etree.ElementTree`, so survey
texts are always escaped.
"""

from __future__ import annotations

import asyncio
import logging
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from journeyscope import __version__
from journeyscope.errors import ConfigurationError
from journeyscope.orchestration.channels.base import (
    AddressStatus,
    Delivery,
    Outcome,
    OutcomeHook,
    Result,
    log_failure,
)
from journeyscope.orchestration.ivr import Step
from journeyscope.settings import ENV_PREFIX, Settings

log = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
TIMEOUT_S = 10.0
CONCURRENCY = 4
"""Requests in flight at once; providers limit requests per second per account."""

GATHER_TIMEOUT_S = 6
"""Seconds of silence after which the keypad answer counts as given (or missing)."""

_RETRY_STATUSES = {401, 408, 425, 429}
ADDRESS_ERRORS: dict[int, AddressStatus] = {
    21211: "bounced",
    21614: "bounced",
    21610: "unsubscribed",
}
"""Provider error codes that are about the number itself, not this message."""
_VOICES = {
    "en": "en-US",
    "fr": "fr-FR",
    "de": "de-DE",
    "es": "es-ES",
    "it": "it-IT",
    "nl": "nl-NL",
    "pt": "pt-BR",
    "da": "da-DK",
    "sv": "sv-SE",
    "nb": "nb-NO",
    "fi": "fi-FI",
    "pl": "pl-PL",
    "ru": "ru-RU",
    "ja": "ja-JP",
    "ko": "ko-KR",
    "zh": "zh-CN",
}


@dataclass(frozen=True, slots=True)
class TwilioAccount:
    """Where the provider is and who we are there."""

    api_url: str
    account_sid: str
    auth_token: str
    from_number: str

    @classmethod
    def from_settings(cls, settings: Settings) -> TwilioAccount:
        """The account from settings; :class:`ConfigurationError` naming what is missing."""
        sid, number = settings.sms.account_sid, settings.sms.from_number
        token = settings.sms.auth_token.get_secret_value() if settings.sms.auth_token else ""
        named = {"SMS_ACCOUNT_SID": sid, "SMS_AUTH_TOKEN": token, "SMS_FROM_NUMBER": number}
        missing = [ENV_PREFIX + name for name, value in named.items() if not value]
        if missing or not sid or not number:
            raise ConfigurationError(
                f"SMS and phone invitations need {', '.join(missing)}.",
                hint="set them from the provider's console (see docs/channels/sms-and-phone.md)",
            )
        return cls(
            api_url=settings.sms.provider_url.rstrip("/"),
            account_sid=sid,
            auth_token=token,
            from_number=number,
        )


@dataclass(frozen=True, slots=True)
class ProviderReply:
    """How the provider answered one request."""

    result: Result
    detail: str
    address_status: AddressStatus | None = None


class TwilioClient:
    """Sends texts and places calls for one account over an ``httpx.AsyncClient``."""

    def __init__(self, account: TwilioAccount, http: httpx.AsyncClient) -> None:
        self.account = account
        self._http = http

    async def send_message(self, *, to: str, body: str) -> ProviderReply:
        """Queue a text message to ``to`` (E.164)."""
        return await self._post("Messages.json", {"To": to, "Body": body})

    async def place_call(
        self, *, to: str, url: str, status_callback: str | None = None
    ) -> ProviderReply:
        """Place a call to ``to``; when answered, the provider fetches its TwiML from ``url``."""
        form = {"To": to, "Url": url, "Method": "POST"}
        if status_callback:
            form["StatusCallback"] = status_callback
        return await self._post("Calls.json", form)

    async def _post(self, resource: str, form: dict[str, str]) -> ProviderReply:
        account = self.account
        url = f"{account.api_url}/{API_VERSION}/Accounts/{quote(account.account_sid)}/{resource}"
        try:
            response = await self._http.post(
                url,
                data={**form, "From": account.from_number},
                auth=(account.account_sid, account.auth_token),
                headers={"User-Agent": f"journeyscope/{__version__}"},
            )
        except httpx.TransportError as exc:  # timeouts, refused connections, DNS, TLS
            return ProviderReply(Result.RETRY, f"provider unreachable: {type(exc).__name__}")
        return classify(response.status_code, _json(response))


def classify(status: int, payload: dict[str, Any]) -> ProviderReply:
    """Turn the provider's HTTP status and JSON body into a result (see the module text)."""
    if 200 <= status < 300:
        sid = payload.get("sid") or "no sid"
        return ProviderReply(Result.SENT, f"{sid} ({payload.get('status', 'accepted')})")
    code, message = payload.get("code"), str(payload.get("message") or "")[:200]
    detail = (
        f"HTTP {status}" + (f", error {code}" if code else "") + (f": {message}" if message else "")
    )
    if status == 401:
        log.error("The provider refused our credentials; check %sSMS_AUTH_TOKEN", ENV_PREFIX)
    if status in _RETRY_STATUSES or status >= 500 or status < 400:
        return ProviderReply(Result.RETRY, detail)
    known = ADDRESS_ERRORS.get(code) if isinstance(code, int) else None
    return ProviderReply(Result.FAILED, detail, known)


class TwilioSender:
    """What the SMS and phone channels share: the account, the HTTP client, the batch loop.

    A subclass says what one delivery is (:meth:`deliver`: a text, a call). A recipient without
    a phone number fails without a request; the policies already refuse those (``no_address``)
    before a delivery is built, so this only guards direct callers and blank numbers.

    Args:
        settings: Provider URL, account sid, auth token and sending number (a missing one is a
            :class:`~journeyscope.errors.ConfigurationError` here, at start-up), and
            ``base_url``, the public address the provider fetches a call's instructions from.
        client: An ``httpx.AsyncClient`` to reuse (tests, connection pooling); by default one
            is opened per batch.
    """

    channel: str

    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.account = TwilioAccount.from_settings(settings)
        self.base_url = settings.web.base_url
        self._client = client

    async def send(
        self, deliveries: Sequence[Delivery], on_outcome: OutcomeHook | None = None
    ) -> list[Outcome]:
        """One request per delivery; each answers SENT (with the provider's sid), RETRY, FAILED."""
        async with http_client(self._client) as http:
            provider = TwilioClient(self.account, http)

            async def send_one(delivery: Delivery) -> Outcome:
                phone = (delivery.recipient.phone or "").strip()
                if not phone:
                    return Outcome(delivery.invitation_id, Result.FAILED, "no phone number")
                outcome = await self.deliver(provider, delivery, phone)
                log.info(
                    "%s for invitation %s: %s", self.channel, delivery.invitation_id, outcome.result
                )
                return outcome

            return await send_each(deliveries, send_one, on_outcome)

    async def deliver(self, provider: TwilioClient, delivery: Delivery, phone: str) -> Outcome:
        """Send one delivery to ``phone`` (E.164) through ``provider``."""
        raise NotImplementedError  # pragma: no cover - each channel says what it sends


def outcome_of(delivery: Delivery, reply: ProviderReply) -> Outcome:
    """The dispatcher's outcome for the provider's reply to one delivery."""
    return Outcome(delivery.invitation_id, reply.result, reply.detail, reply.address_status)


@asynccontextmanager
async def http_client(given: httpx.AsyncClient | None) -> AsyncIterator[httpx.AsyncClient]:
    """``given`` as is (its owner closes it), or a new client closed at the end of the block."""
    if given is not None:
        yield given
        return
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
        yield client


async def send_each(
    deliveries: Sequence[Delivery],
    send_one: Callable[[Delivery], Awaitable[Outcome]],
    on_outcome: OutcomeHook | None = None,
) -> list[Outcome]:
    """Run ``send_one`` on every delivery, a few at a time; a crash in one fails only that one."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def guarded(delivery: Delivery) -> Outcome:
        async with gate:
            try:
                outcome = await send_one(delivery)
            except Exception as error:  # a bug must not lose the other outcomes of the batch
                log_failure(log, "Sending crashed for invitation", delivery.invitation_id, error)
                outcome = Outcome(delivery.invitation_id, Result.FAILED, "internal error")
        if on_outcome is not None:
            on_outcome(outcome)
        return outcome

    return list(await asyncio.gather(*(guarded(d) for d in deliveries)))


def render_twiml(step: Step, *, action: str | None = None) -> str:
    """The TwiML for one IVR step; ``action`` is where the keypad answer is posted."""
    root = ET.Element("Response")
    parent = root
    if step.ask is not None and action is not None:
        parent = ET.SubElement(
            root,
            "Gather",
            input="dtmf",
            numDigits=str(step.ask.num_digits),
            finishOnKey="#",
            timeout=str(GATHER_TIMEOUT_S),
            action=action,
            method="POST",
        )
    for speech in step.say:
        ET.SubElement(parent, "Say", language=voice_language(speech.lang)).text = speech.text
    if parent is not root:  # no key pressed: the provider goes on here, and we ask again
        ET.SubElement(root, "Redirect", method="POST").text = action
    else:
        ET.SubElement(root, "Hangup")
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")


def voice_language(lang: str) -> str:
    """The provider's voice for a BCP 47 tag: ``fr-ca`` → ``fr-CA``, ``fr`` → ``fr-FR``."""
    base, _, region = lang.partition("-")
    if len(region) == 2:
        return f"{base.lower()}-{region.upper()}"
    return _VOICES.get(base.lower(), "en-US")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:  # an HTML error page from a proxy
        return {}
    return payload if isinstance(payload, dict) else {}
