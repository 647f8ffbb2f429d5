"""Invitation emails: headers (RFC 8058, stable Message-ID), both parts, escaping, languages."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import uuid
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from journeyscope.orchestration.channels.base import Delivery, Recipient
from journeyscope.orchestration.channels.email_message import MessageBuilder, address_problem
from journeyscope.surveys import PublishedSurvey, SurveyDefinition, Targeting

MAIL_FROM = "Acme Feedback <feedback@acme.example>"
SENT_AT = dt.datetime(2031, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
NPS = {"id": "nps", "type": "nps", "text": {"en": "How likely are you to recommend us?"}}


def published(*questions: dict[str, Any], version: int = 1, **extra: Any) -> PublishedSurvey:
    definition = SurveyDefinition.model_validate(
        {
            "title": "After your visit",
            "languages": ["fr", "de"],
            "pages": [{"id": "p1", "questions": list(questions or [NPS])}],
            **extra,
        }
    )
    return PublishedSurvey(
        workspace_id=uuid.UUID(int=1),
        survey_id=uuid.UUID(int=2),
        key="visit",
        name="Visit",
        public_id="pub123",
        version=version,
        version_id=uuid.uuid4(),
        definition=definition,
        targeting=Targeting(),
        touchpoint_id=None,
        touchpoint_channel=None,
    )


def delivery(
    survey: PublishedSurvey | None = None,
    *,
    number: int = 1,
    lang: str = "en",
    name: str | None = "Ana Silva",
    **overrides: Any,
) -> Delivery:
    invitation = uuid.UUID(int=1000 + number)
    made = Delivery(
        invitation_id=invitation,
        workspace_id=uuid.UUID(int=1),
        channel="email",
        recipient=Recipient(
            contact_id=uuid.UUID(int=number),
            external_id=f"C-{number}",
            email=f"person{number}@example.com",
            phone=None,
            name=name,
            locale=lang,
            attributes={"tier": "gold"},
        ),
        survey=survey or published(),
        lang=lang,
        link=f"https://feedback.example.com/i/TOKEN{number}",
        token=f"TOKEN{number}",
        unsubscribe_url=f"https://feedback.example.com/u/TOKEN{number}",
        message_id=f"<inv-{invitation}@feedback.example.com>",
        date=SENT_AT,
    )
    return replace(made, **overrides)


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def build(item: Delivery, **kwargs: Any) -> EmailMessage:
    return parse(MessageBuilder(MAIL_FROM, **kwargs).build(item))


def test_message_has_one_click_unsubscribe_headers() -> None:
    message = build(delivery())
    assert message["List-Unsubscribe"] == "<https://feedback.example.com/u/TOKEN1>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_message_addresses_and_identity_headers() -> None:
    item = delivery()
    message = build(item)
    assert message["From"] == MAIL_FROM
    assert message["To"] == "Ana Silva <person1@example.com>"
    assert message["Message-ID"] == item.message_id
    assert message["X-Journeyscope-Invitation"] == str(item.invitation_id)
    assert message["Date"].datetime == SENT_AT  # the dispatcher's clock, not the wall's
    assert message["Auto-Submitted"] is None


def test_message_is_alternative_text_then_html_in_utf8() -> None:
    message = build(delivery())
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())


def test_both_parts_carry_link_score_links_and_unsubscribe() -> None:
    text, html = parts(build(delivery()))
    link = "https://feedback.example.com/i/TOKEN1"
    assert re.findall(r'href="([^"]+\?nps=\d+)"', html) == [f"{link}?nps={n}" for n in range(11)]
    assert f'href="{link}"' in html and link in text
    assert 'href="https://feedback.example.com/u/TOKEN1"' in html
    assert "https://feedback.example.com/u/TOKEN1" in text
    assert "How likely are you to recommend us?" in text and "Hi Ana," in text


def test_link_with_query_joins_score_with_ampersand() -> None:
    item = delivery(link="https://feedback.example.com/i/T?lang=fr")
    text, html = parts(build(item))
    assert 'href="https://feedback.example.com/i/T?lang=fr&amp;nps=9"' in html
    assert "Answer here: https://feedback.example.com/i/T?lang=fr" in text.splitlines()


def test_survey_text_with_script_is_escaped() -> None:
    evil = {"id": "nps", "type": "nps", "text": "<script>alert(1)</script> & more"}
    text, html = parts(build(delivery(published(evil), name="<b>Eve</b>")))
    assert "<script>" not in html and "<b>Eve" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "<script>alert(1)</script> & more" in text


@pytest.mark.parametrize(
    ("lang", "subject"),
    [
        ("en", "How did we do?"),
        ("fr", "Votre avis nous intéresse"),
        ("de-AT", "Wie waren wir?"),
        ("es", "¿Qué tal lo hicimos?"),
        ("ja", "How did we do?"),
    ],
)
def test_subject_is_in_the_recipient_language(lang: str, subject: str) -> None:
    assert build(delivery(lang=lang))["Subject"] == subject


def test_reminder_subject_says_it_is_a_reminder() -> None:
    message = build(delivery(lang="fr", is_reminder=True))
    assert message["Subject"] == "Petit rappel : Votre avis nous intéresse"


def test_question_is_localized() -> None:
    question = {"id": "nps", "type": "nps", "text": {"en": "Recommend?", "fr": "Recommander ?"}}
    text, html = parts(build(delivery(published(question), lang="fr")))
    assert "Recommander ?" in html and "Recommander ?" in text and "Bonjour Ana," in text


def test_message_id_is_stable_across_builds() -> None:
    item = delivery()
    first, again = build(item), build(item)
    assert first["Message-ID"] == again["Message-ID"] == item.message_id


def test_bare_message_id_gets_angle_brackets() -> None:
    assert build(delivery(message_id="inv-1@host"))["Message-ID"] == "<inv-1@host>"


def test_non_ascii_name_is_encoded_in_to_header() -> None:
    message = build(delivery(name="Zoë Ünal"))
    assert message["To"].addresses[0].display_name == "Zoë Ünal"
    assert b"Zo\xc3" not in MessageBuilder(MAIL_FROM).build(delivery(name="Zoë Ünal"))[:600]


def test_name_with_line_break_cannot_add_a_header() -> None:
    message = build(delivery(name="Eve\r\nBcc: victim@example.com"))
    assert message["Bcc"] is None


def test_unsubscribe_url_with_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        MessageBuilder(MAIL_FROM).build(delivery(unsubscribe_url="https://x/u\r\nBcc: a@b.c"))


def test_recipient_values_do_not_leak_between_messages() -> None:
    builder = MessageBuilder(MAIL_FROM)
    first, second = (parse(builder.build(delivery(number=n))) for n in (1, 2))
    text, html = parts(second)
    assert "TOKEN1" not in html and "TOKEN2" in html and "TOKEN2" in text
    assert "TOKEN1" in parts(first)[1]


def test_contact_pipe_in_question_is_rendered_per_recipient() -> None:
    question = {"id": "nps", "type": "nps", "text": "{{contact.first_name|You}}, recommend us?"}
    survey = published(question)
    builder = MessageBuilder(MAIL_FROM)
    ana = parts(parse(builder.build(delivery(survey, name="Ana Silva"))))[0]
    bo = parts(parse(builder.build(delivery(survey, number=2, name="Bo Li"))))[0]
    assert "Ana, recommend us?" in ana and "Bo, recommend us?" in bo


def test_open_text_first_question_gets_a_start_button() -> None:
    question = {"id": "why", "type": "open_text", "text": "Tell us more"}
    text, html = parts(build(delivery(published(question))))
    assert "Start the survey" in html and "nps=" not in html
    assert "Start the survey: https://feedback.example.com/i/TOKEN1" in text


def test_brand_template_dir_overrides_html_only(tmp_path: Path) -> None:
    (tmp_path / "invitation.html").write_text(
        "<p>ACME {{ greeting }}</p>{{ snippet_html }}<a href='{{ unsubscribe_url }}'>x</a>"
    )
    text, html = parts(build(delivery(), template_dir=tmp_path))
    assert html.startswith("<p>ACME Hi Ana,</p><table")
    assert "https://feedback.example.com/u/TOKEN1" in html and "Hi Ana," in text


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        (None, "no email address"),
        ("  ", "no email address"),
        ("no-at-sign", "invalid email address"),
        ("a b@example.com", "invalid email address"),
        ("zoë@example.com", "invalid email address"),
        ("ana@example.com", None),
    ],
)
def test_address_problem(address: str | None, problem: str | None) -> None:
    assert address_problem(address) == problem


def test_a_batch_renders_its_shared_texts_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages of one survey, version and language reuse one rendering (its cost is measured
    in bench/delivery.py, not here): each message only fills in its link and greeting."""
    builder = MessageBuilder(MAIL_FROM)
    rendered: list[Delivery] = []
    render = builder._render

    def counting(item: Delivery, contact: dict[str, Any]) -> Any:
        rendered.append(item)
        return render(item, contact)

    monkeypatch.setattr(builder, "_render", counting)
    items = [delivery(number=n) for n in range(200)]
    messages = [builder.build(item) for item in items]
    assert len(rendered) == 1
    assert len(set(messages)) == len(items)  # each its own link, Message-ID and boundary
