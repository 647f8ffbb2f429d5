"""The console email channel: what SMTP would send, printed and kept, labelled as not sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from dataclasses import replace
from pathlib import Path

from journeyscope.orchestration.channels.base import Delivery, Outcome, Recipient, Result
from journeyscope.orchestration.channels.console import LABEL, ConsoleEmailSender
from journeyscope.orchestration.channels.email_message import MessageBuilder
from journeyscope.surveys import PublishedSurvey, SurveyDefinition, Targeting

MAIL_FROM = "Acme Feedback <feedback@acme.example>"
NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
SURVEY = PublishedSurvey(
    workspace_id=uuid.UUID(int=1),
    survey_id=uuid.UUID(int=2),
    key="visit",
    name="Visit",
    public_id="pub123",
    version=1,
    version_id=uuid.UUID(int=3),
    definition=SurveyDefinition.model_validate(
        {
            "title": "After your visit",
            "pages": [
                {"id": "p", "questions": [{"id": "nps", "type": "nps", "text": "Recommend?"}]}
            ],
        }
    ),
    targeting=Targeting(),
    touchpoint_id=None,
    touchpoint_channel=None,
)


def delivery(*, number: int = 1, is_reminder: bool = False) -> Delivery:
    return Delivery(
        invitation_id=uuid.UUID(int=1000 + number),
        workspace_id=uuid.UUID(int=1),
        channel="email",
        recipient=Recipient(
            contact_id=uuid.UUID(int=number),
            external_id=f"C-{number}",
            email=f"person{number}@example.com",
            phone=None,
            name="Ana Silva",
            locale="en",
        ),
        survey=SURVEY,
        lang="en",
        link=f"https://feedback.example.com/i/TOKEN{number}",
        token=f"TOKEN{number}",
        unsubscribe_url=f"https://feedback.example.com/u/TOKEN{number}",
        message_id=f"<inv-{number}@feedback.example.com>",
        date=NOW,
        is_reminder=is_reminder,
    )


def _sender(tmp_path: Path, console: io.StringIO) -> ConsoleEmailSender:
    return ConsoleEmailSender(MAIL_FROM, folder=tmp_path / "mail", stream=console)


def test_each_invitation_is_kept_as_the_smtp_message_and_announced(tmp_path: Path) -> None:
    console = io.StringIO()
    first, reminder = delivery(number=1), delivery(number=2, is_reminder=True)
    heard: list[Outcome] = []
    outcomes = asyncio.run(_sender(tmp_path, console).send([first, reminder], heard.append))
    assert [o.result for o in outcomes] == [Result.SENT, Result.SENT] and heard == outcomes
    kept = tmp_path / "mail" / f"{first.invitation_id}.eml"
    assert kept.read_bytes() == MessageBuilder(MAIL_FROM).build(first)
    assert (tmp_path / "mail" / f"{reminder.invitation_id}-reminder.eml").exists()
    lines = console.getvalue().splitlines()
    assert lines[0] == (
        f"{LABEL} invitation to {first.recipient.email} for survey 'visit': {first.link} "
        f"(kept in {kept})"
    )
    assert lines[1].startswith(f"{LABEL} reminder to ")


def test_an_address_smtp_would_refuse_fails_here_too(tmp_path: Path) -> None:
    console = io.StringIO()
    bad = delivery()
    bad = replace(bad, recipient=replace(bad.recipient, email="no-at-sign"))
    (outcome,) = asyncio.run(_sender(tmp_path, console).send([bad]))
    assert (outcome.result, outcome.detail) == (Result.FAILED, "invalid email address")
    assert console.getvalue() == ""
    assert not (tmp_path / "mail").exists()
