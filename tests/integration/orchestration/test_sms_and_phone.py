"""SMS and phone senders against a fake Twilio-compatible provider on loopback."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from browser_support import ThreadedServer, free_port
from journeyscope.errors import ConfigurationError
from journeyscope.orchestration.channels.base import Delivery, Outcome, Recipient, Result
from journeyscope.orchestration.channels.phone import PhoneSender
from journeyscope.orchestration.channels.sms import SmsSender, sms_body
from journeyscope.settings import Settings
from journeyscope.surveys import PublishedSurvey, SurveyDefinition, Targeting

SID = "AC0123456789abcdef0123456789abcdef"
AUTH = "provider-auth-token"
FROM = "+33100000000"


@dataclass
class FakeProvider:
    """Records every request; answers ``status`` (201 with a sid, or a Twilio-shaped error)."""

    status: int = 201
    code: int = 21211
    requests: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def create(request: Request) -> JSONResponse:
            form = await request.form()
            resource = request.path_params["resource"]
            self.requests.append(
                {
                    "path": request.url.path,
                    "resource": resource,
                    "auth": request.headers.get("authorization"),
                    "form": {k: str(v) for k, v in form.items()},
                }
            )
            if self.status >= 400:
                error = {"code": self.code, "message": "The 'To' number is refused.", "status": 400}
                return JSONResponse(error, status_code=self.status)
            prefix = "SM" if resource == "Messages.json" else "CA"
            sid = f"{prefix}{len(self.requests):032d}"
            return JSONResponse({"sid": sid, "status": "queued"}, status_code=201)

        return Starlette(
            routes=[Route("/2010-04-01/Accounts/{sid}/{resource}", create, methods=["POST"])]
        )


@pytest.fixture(scope="module")
def provider() -> Iterator[tuple[FakeProvider, str]]:
    fake = FakeProvider()
    with ThreadedServer(fake.app()) as server:
        yield fake, server.url


@pytest.fixture
def fake(provider: tuple[FakeProvider, str]) -> FakeProvider:
    provider[0].requests.clear()
    provider[0].status = 201
    provider[0].code = 21211
    return provider[0]


def account_settings(url: str, **sms: Any) -> Settings:
    account = {"account_sid": SID, "auth_token": SecretStr(AUTH), "from_number": FROM}
    return Settings(
        sms={"provider_url": url, **account, **sms},
        web={"base_url": "https://feedback.example.com"},
        security={"secret_key": SecretStr("k")},
    )


@pytest.fixture
def settings_for(provider: tuple[FakeProvider, str]) -> Settings:
    return account_settings(provider[1])


SURVEY = SurveyDefinition.model_validate(
    {
        "title": {"en": "Your call with Acme", "fr": "Votre appel avec Acme"},
        "languages": ["fr"],
        "pages": [{"id": "p", "questions": [{"id": "nps", "type": "nps", "text": "Recommend?"}]}],
    }
)


def delivery(phone: str | None = "+33612345678", lang: str = "en", **changes: Any) -> Delivery:
    survey = PublishedSurvey(
        workspace_id=uuid.uuid4(), survey_id=uuid.uuid4(), key="call", name="Call",
        public_id="pub", version=1, version_id=uuid.uuid4(), definition=SURVEY,
        targeting=Targeting(), touchpoint_id=None, touchpoint_channel=None,
    )  # fmt: skip
    recipient = Recipient(uuid.uuid4(), "c-1", None, phone, "Ana", lang)
    token = "tok.en-" + uuid.uuid4().hex[:8]
    made = Delivery(
        invitation_id=uuid.uuid4(), workspace_id=survey.workspace_id, channel="sms",
        recipient=recipient, survey=survey, lang=lang,
        link=f"https://feedback.example.com/i/{token}", token=token,
        unsubscribe_url="https://feedback.example.com/u/x", message_id="<m@x>",
        date=dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    return replace(made, **changes)


def send(sender: SmsSender | PhoneSender, *deliveries: Delivery) -> list[Outcome]:
    return asyncio.run(sender.send(list(deliveries)))


def test_sms_posts_the_message_with_basic_auth_and_the_link(
    fake: FakeProvider, settings_for: Settings
) -> None:
    sent = delivery()
    [outcome] = send(SmsSender(settings_for), sent)
    assert outcome == Outcome(sent.invitation_id, Result.SENT, f"SM{1:032d} (queued)")
    [request] = fake.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{AUTH}".encode()).decode()
    assert request["form"]["To"] == "+33612345678" and request["form"]["From"] == FROM
    assert sent.link in request["form"]["Body"]
    assert request["form"]["Body"].startswith("Your call with Acme:")


def test_sms_speaks_the_recipients_language_and_reminds(settings_for: Settings) -> None:
    body = sms_body(delivery(lang="fr-CA", is_reminder=True))
    assert body.startswith("Rappel - Votre appel avec Acme")
    assert "STOP" in body


def test_sms_without_a_phone_fails_without_calling_the_provider(
    fake: FakeProvider, settings_for: Settings
) -> None:
    [outcome] = send(SmsSender(settings_for), delivery(phone=None))
    assert (outcome.result, outcome.detail) == (Result.FAILED, "no phone number")
    assert fake.requests == []


@pytest.mark.parametrize(
    ("status", "result"),
    [(500, Result.RETRY), (503, Result.RETRY), (429, Result.RETRY), (401, Result.RETRY),
     (400, Result.FAILED), (404, Result.FAILED)],
)  # fmt: skip
def test_sms_classifies_provider_errors(
    fake: FakeProvider, settings_for: Settings, status: int, result: Result
) -> None:
    fake.status = status
    [outcome] = send(SmsSender(settings_for), delivery())
    assert outcome.result is result
    assert outcome.detail.startswith(f"HTTP {status}, error 21211")


def test_sms_to_an_unreachable_provider_is_retried() -> None:
    settings = account_settings(f"http://127.0.0.1:{free_port()}")
    [outcome] = send(SmsSender(settings), delivery())
    assert outcome.result is Result.RETRY
    assert outcome.detail.startswith("provider unreachable")


def test_sms_sends_a_whole_batch_with_one_outcome_each(
    fake: FakeProvider, settings_for: Settings
) -> None:
    batch = [delivery(), delivery(phone=""), delivery()]
    outcomes = send(SmsSender(settings_for), *batch)
    by_id = {o.invitation_id: o.result for o in outcomes}
    assert [by_id[d.invitation_id] for d in batch] == [Result.SENT, Result.FAILED, Result.SENT]
    assert len(fake.requests) == 2


def test_senders_refuse_to_start_without_an_account() -> None:
    with pytest.raises(ConfigurationError, match="JOURNEYSCOPE_SMS_AUTH_TOKEN"):
        SmsSender(account_settings("http://127.0.0.1:9", auth_token=None))
    with pytest.raises(ConfigurationError, match="JOURNEYSCOPE_SMS_FROM_NUMBER"):
        PhoneSender(account_settings("http://127.0.0.1:9", from_number=None))


def test_phone_places_a_call_that_opens_our_voice_webhook(
    fake: FakeProvider, settings_for: Settings
) -> None:
    sent = delivery(lang="fr", channel="call_center")
    sender = PhoneSender(settings_for)
    [outcome] = send(sender, sent)
    assert sender.channel == "call_center"
    assert outcome.result is Result.SENT and outcome.detail.startswith("CA")
    [request] = fake.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Calls.json"
    form = request["form"]
    assert (form["To"], form["From"], form["Method"]) == ("+33612345678", FROM, "POST")
    url = urlsplit(form["Url"])
    assert (url.scheme, url.netloc) == ("https", "feedback.example.com")
    assert url.path == f"/ivr/{sent.token}/start"
    assert parse_qs(url.query) == {"lang": ["fr"]}


def test_phone_fails_a_survey_without_questions_for_the_keypad(
    fake: FakeProvider, settings_for: Settings
) -> None:
    question = {"id": "q", "type": "open_text", "text": "Why?"}
    text_only = SurveyDefinition.model_validate(
        {"title": "T", "pages": [{"id": "p", "questions": [question]}]}
    )
    base = delivery()
    survey = replace(base.survey, definition=text_only)
    [outcome] = send(PhoneSender(settings_for), replace(base, survey=survey))
    assert outcome.result is Result.FAILED
    assert fake.requests == []


def test_phone_errors_are_classified_like_sms(fake: FakeProvider, settings_for: Settings) -> None:
    fake.status = 502
    [outcome] = send(PhoneSender(settings_for), delivery())
    assert outcome.result is Result.RETRY


@pytest.mark.parametrize(
    ("code", "status"),
    [(21211, "bounced"), (21614, "bounced"), (21610, "unsubscribed"), (21408, None)],
)
def test_errors_about_the_number_itself_say_so_in_the_outcome(
    fake: FakeProvider, settings_for: Settings, code: int, status: str | None
) -> None:
    fake.status, fake.code = 400, code
    [text] = send(SmsSender(settings_for), delivery())
    [call] = send(PhoneSender(settings_for), delivery(channel="call_center"))
    assert (text.result, text.address_status) == (Result.FAILED, status)
    assert (call.result, call.address_status) == (Result.FAILED, status)


def test_one_sms_setting_turns_the_channels_on_and_names_what_is_missing() -> None:
    from journeyscope.orchestration.channels import senders_from_settings

    none = Settings(sms={"account_sid": None, "auth_token": None, "from_number": None})
    assert set(senders_from_settings(none)) == {"email"}
    half = Settings(sms={"account_sid": SID, "auth_token": None, "from_number": None})
    with pytest.raises(ConfigurationError, match="JOURNEYSCOPE_SMS_AUTH_TOKEN"):
        senders_from_settings(half)
    full = account_settings("http://127.0.0.1:9")
    assert set(senders_from_settings(full)) == {"email", "sms", "call_center"}
