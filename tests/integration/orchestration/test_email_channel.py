"""The email channel against a real SMTP server on 127.0.0.1: batches, reuse, failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from journeyscope.errors import ConfigurationError
from journeyscope.orchestration.channels import senders_from_settings
from journeyscope.orchestration.channels.base import (
    Delivery,
    Outcome,
    Recipient,
    Result,
    Sender,
)
from journeyscope.orchestration.channels.email import EmailSender
from journeyscope.settings import Settings, load_settings
from journeyscope.surveys import PublishedSurvey, SurveyDefinition, Targeting
from smtp_sink import SmtpSink, Stage, free_port

MAIL_FROM = "Acme Feedback <feedback@acme.example>"


def survey() -> PublishedSurvey:
    definition = SurveyDefinition.model_validate(
        {
            "title": "After your visit",
            "pages": [{"id": "p1", "questions": [{"id": "nps", "type": "nps", "text": "Hi?"}]}],
        }
    )
    return PublishedSurvey(
        workspace_id=uuid.UUID(int=1),
        survey_id=uuid.UUID(int=2),
        key="visit",
        name="Visit",
        public_id="pub123",
        version=1,
        version_id=uuid.uuid4(),
        definition=definition,
        targeting=Targeting(),
        touchpoint_id=None,
        touchpoint_channel=None,
    )


SURVEY = survey()


def delivery(number: int, *, email: str | None = "", lang: str = "en") -> Delivery:
    invitation = uuid.UUID(int=10_000 + number)
    return Delivery(
        invitation_id=invitation,
        workspace_id=uuid.UUID(int=1),
        channel="email",
        recipient=Recipient(
            contact_id=uuid.UUID(int=number),
            external_id=f"C-{number}",
            email=f"person{number}@example.com" if email == "" else email,
            phone=None,
            name=f"Person {number}",
            locale=lang,
        ),
        survey=SURVEY,
        lang=lang,
        link=f"https://feedback.example.com/i/TOKEN{number}",
        token=f"TOKEN{number}",
        unsubscribe_url=f"https://feedback.example.com/u/TOKEN{number}",
        message_id=f"<inv-{invitation}@feedback.example.com>",
        date=dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC),
    )


def sender(port: int, **kwargs: Any) -> EmailSender:
    settings = Settings(
        mail={"smtp_host": "127.0.0.1", "smtp_port": port, "from_address": MAIL_FROM}
    )
    return EmailSender(settings, **kwargs)


def send(channel: Sender, deliveries: Sequence[Delivery]) -> list[Outcome]:
    return asyncio.run(channel.send(deliveries))


def by_result(outcomes: list[Outcome]) -> dict[Result, int]:
    return {result: sum(o.result is result for o in outcomes) for result in Result}


def test_email_sender_is_a_sender() -> None:
    channel: Sender = sender(25)
    assert channel.channel == "email"


def test_batch_of_fifty_arrives_once_each() -> None:
    deliveries = [delivery(n) for n in range(50)]
    with SmtpSink() as sink:
        outcomes = send(sender(sink.port), deliveries)
    assert [o.invitation_id for o in outcomes] == [d.invitation_id for d in deliveries]
    assert all(o.result is Result.SENT for o in outcomes)
    assert sorted(sink.message_ids()) == sorted(d.message_id for d in deliveries)
    assert len(set(sink.message_ids())) == 50


def test_batch_messages_have_envelope_to_and_both_parts() -> None:
    with SmtpSink() as sink:
        send(sender(sink.port), [delivery(n) for n in range(5)])
    received = sorted(sink.received, key=lambda r: r.rcpt_tos)
    assert [r.rcpt_tos for r in received] == [[f"person{n}@example.com"] for n in range(5)]
    assert {r.mail_from for r in received} == {"feedback@acme.example"}
    first = received[0].message
    assert first["To"] == "Person 0 <person0@example.com>"
    html = first.get_body(preferencelist=("html",))
    assert html is not None and "https://feedback.example.com/i/TOKEN0?nps=10" in html.get_content()
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]


def test_connections_are_reused_across_the_batch() -> None:
    with SmtpSink() as sink:
        send(sender(sink.port, connections=4), [delivery(n) for n in range(50)])
    assert 1 <= sink.connections <= 4
    assert len(sink.messages) == 50


def test_one_connection_sends_the_whole_batch() -> None:
    with SmtpSink() as sink:
        send(sender(sink.port, connections=1), [delivery(n) for n in range(20)])
    assert sink.connections == 1


def test_temporary_error_answers_retry_for_that_one() -> None:
    with SmtpSink() as sink:
        sink.fail_next(1, 451, "4.3.0 Try again later")
        outcomes = send(sender(sink.port, connections=2), [delivery(n) for n in range(10)])
    retried = [o for o in outcomes if o.result is Result.RETRY]
    assert by_result(outcomes) == {Result.SENT: 9, Result.RETRY: 1, Result.FAILED: 0}
    assert retried[0].detail == "451 4.3.0 Try again later"
    assert len(sink.messages) == 9


def test_permanent_error_answers_failed() -> None:
    with SmtpSink() as sink:
        sink.fail_next(1, 550, "5.7.1 Message rejected")
        outcomes = send(sender(sink.port, connections=1), [delivery(n) for n in range(3)])
    assert outcomes[0] == Outcome(
        outcomes[0].invitation_id, Result.FAILED, "550 5.7.1 Message rejected"
    )
    assert [o.result for o in outcomes[1:]] == [Result.SENT, Result.SENT]


@pytest.mark.parametrize(
    ("code", "result"), [(550, Result.FAILED), (452, Result.RETRY)], ids=["550", "452"]
)
def test_refused_recipient_is_judged_by_its_code(code: int, result: Result) -> None:
    with SmtpSink() as sink:
        sink.fail_next(1, code, "no such mailbox", stage="rcpt")
        outcomes = send(sender(sink.port, connections=1), [delivery(n) for n in range(3)])
    assert outcomes[0].result is result and outcomes[0].detail == f"{code} no such mailbox"
    assert [o.result for o in outcomes[1:]] == [Result.SENT, Result.SENT]
    assert sink.connections == 1


def test_server_closing_session_reconnects_for_the_rest() -> None:
    with SmtpSink() as sink:
        sink.fail_next(1, 421, "4.7.0 Too many messages, closing")
        outcomes = send(sender(sink.port, connections=1), [delivery(n) for n in range(5)])
    assert [o.result for o in outcomes] == [Result.RETRY] + [Result.SENT] * 4
    assert sink.connections == 2


@pytest.mark.parametrize("stage", ["mail", "data"])
def test_dropped_session_is_reopened_and_the_message_sent(stage: Stage) -> None:
    items = [delivery(n) for n in range(4)]
    with SmtpSink() as sink:
        sink.disconnect_next(1, stage=stage, after=1)
        outcomes = send(sender(sink.port, connections=1), items)
    assert [o.result for o in outcomes] == [Result.SENT] * 4
    assert sorted(sink.message_ids()) == sorted(d.message_id for d in items)
    assert sink.connections == 2


def test_drop_on_a_fresh_session_answers_retry() -> None:
    with SmtpSink() as sink:
        sink.disconnect_next(1)
        outcomes = send(sender(sink.port, connections=1), [delivery(n) for n in range(3)])
    assert [o.result for o in outcomes] == [Result.RETRY, Result.SENT, Result.SENT]


def test_server_down_answers_retry_for_all() -> None:
    started = time.perf_counter()
    outcomes = send(sender(free_port(), timeout=5), [delivery(n) for n in range(12)])
    assert all(o.result is Result.RETRY for o in outcomes)
    assert all(o.detail for o in outcomes)
    assert time.perf_counter() - started < 5


def test_missing_email_fails_without_connecting() -> None:
    with SmtpSink() as sink:
        outcomes = send(sender(sink.port), [delivery(1, email=None), delivery(2, email="nope")])
    assert [(o.result, o.detail) for o in outcomes] == [
        (Result.FAILED, "no email address"),
        (Result.FAILED, "invalid email address"),
    ]
    assert sink.connections == 0


def test_missing_email_does_not_stop_the_others() -> None:
    with SmtpSink() as sink:
        outcomes = send(sender(sink.port), [delivery(1, email=None), delivery(2)])
    assert [o.result for o in outcomes] == [Result.FAILED, Result.SENT]
    assert len(sink.messages) == 1


def test_resend_reuses_the_message_id() -> None:
    item = delivery(7)
    with SmtpSink() as sink:
        channel = sender(sink.port)
        send(channel, [item])
        send(channel, [item])
    assert sink.message_ids() == [item.message_id, item.message_id]


def test_languages_in_one_batch_each_get_their_subject() -> None:
    items = [delivery(1, lang="fr"), delivery(2, lang="de"), delivery(3, lang="en")]
    with SmtpSink() as sink:
        send(sender(sink.port), items)
    subjects = {r.rcpt_tos[0]: str(r.message["Subject"]) for r in sink.received}
    assert subjects == {
        "person1@example.com": "Votre avis nous intéresse",
        "person2@example.com": "Wie waren wir?",
        "person3@example.com": "How did we do?",
    }


def test_bad_delivery_fails_alone_without_raising() -> None:
    bad = replace(delivery(1), unsubscribe_url="https://x.example/u\r\nBcc: a@example.com")
    with SmtpSink() as sink:
        outcomes = send(sender(sink.port), [bad, delivery(2)])
    assert [o.result for o in outcomes] == [Result.FAILED, Result.SENT]
    assert "line break" in outcomes[0].detail and sink.message_ids() == [delivery(2).message_id]


def test_starttls_on_a_server_without_it_answers_retry() -> None:
    with SmtpSink() as sink:
        settings = Settings(
            mail={
                "smtp_host": "127.0.0.1",
                "smtp_port": sink.port,
                "smtp_security": "starttls",
                "from_address": MAIL_FROM,
            }
        )
        outcomes = send(EmailSender(settings), [delivery(n) for n in range(3)])
    assert all(o.result is Result.RETRY for o in outcomes)
    assert "STARTTLS" in outcomes[0].detail.upper()
    assert sink.messages == []


def test_the_brand_folder_setting_reaches_the_sent_email(tmp_path: Path) -> None:
    (tmp_path / "invitation.txt").write_text("ACME SAYS {{ greeting }}\n{{ link }}\n")
    with SmtpSink() as sink:
        settings = Settings(
            mail={"smtp_host": "127.0.0.1", "smtp_port": sink.port, "template_dir": tmp_path}
        )
        outcomes = send(senders_from_settings(settings)["email"], [delivery(1)])
        [message] = sink.messages
    assert by_result(outcomes)[Result.SENT] == 1
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and str(text.get_content()).startswith("ACME SAYS Hi")


def test_a_brand_folder_that_does_not_exist_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="EMAIL_TEMPLATE_DIR"):
        load_settings(mail={"template_dir": tmp_path / "missing"})
