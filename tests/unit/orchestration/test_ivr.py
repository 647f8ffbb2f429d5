"""The phone survey flow: keypad scheme, validation, re-prompt, skipping, languages, TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from journeyscope import surveys
from journeyscope.orchestration import ivr
from journeyscope.orchestration.channels.twilio import render_twiml, voice_language
from journeyscope.surveys import CesQuestion, CsatQuestion, NpsQuestion, SurveyDefinition

SURVEY: dict[str, Any] = {
    "title": {"en": "After your call", "fr": "Après votre appel"},
    "languages": ["fr"],
    "pages": [
        {
            "id": "score",
            "questions": [
                {
                    "id": "nps",
                    "type": "nps",
                    "required": True,
                    "text": {"en": "Would you recommend us?", "fr": "Nous recommanderiez-vous ?"},
                    "low_label": "Not at all likely",
                    "high_label": "Extremely likely",
                },
                {"id": "why", "type": "open_text", "text": "Why?"},
            ],
        },
        {
            "id": "more",
            "questions": [
                {"id": "csat", "type": "csat", "text": "How satisfied are you?"},
                {"id": "ease", "type": "ces", "text": "How easy was it?"},
            ],
        },
    ],
}


@pytest.fixture
def definition() -> SurveyDefinition:
    return SurveyDefinition.model_validate(SURVEY)


def call(definition: SurveyDefinition, lang: str = "en", **answers: Any) -> ivr.Call:
    return ivr.Call(definition=definition, answers=answers, lang=lang)


def test_phone_questions_are_the_visible_scored_ones(definition: SurveyDefinition) -> None:
    assert [q.id for q in ivr.phone_questions(definition, {})] == ["nps", "csat", "ease"]


@pytest.mark.parametrize(
    ("question", "digits"),
    [
        (NpsQuestion(id="q", text="?"), 2),
        (CsatQuestion(id="q", text="?"), 1),
        (CesQuestion(id="q", text="?"), 1),
    ],
)
def test_digits_for_fit_the_top_of_the_scale(question: Any, digits: int) -> None:
    assert ivr.digits_for(question) == digits


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        ("0", 0),
        ("9", 9),
        ("10", 10),
        ("10#", 10),
        ("7#", 7),
        ("07", 7),
        ("11", None),
        ("", None),
        (None, None),
        ("#", None),
        ("1*2", None),
        ("٣", None),
        ("999", None),
    ],
)
def test_read_score_accepts_only_the_nps_scale(typed: str | None, score: int | None) -> None:
    assert ivr.read_score(NpsQuestion(id="q", text="?"), typed) == score


@pytest.mark.parametrize(("typed", "score"), [("1", 1), ("5", 5), ("0", None), ("6", None)])
def test_read_score_accepts_only_the_csat_scale(typed: str, score: int | None) -> None:
    assert ivr.read_score(CsatQuestion(id="q", text="?"), typed) == score


def test_start_call_asks_the_first_question_with_its_keys(definition: SurveyDefinition) -> None:
    step = ivr.start_call(call(definition))
    assert step.ask == ivr.Ask(question_id="nps", num_digits=2, attempt=1)
    said = [s.text for s in step.say]
    assert said[0] == "Would you recommend us?"
    assert said[1] == "0: Not at all likely. 10: Extremely likely."
    assert "0 to 10" in said[2] and "hash" in said[2]


def test_start_call_resumes_at_the_first_unanswered_question(
    definition: SurveyDefinition,
) -> None:
    step = ivr.start_call(call(definition, nps=9))
    assert step.ask is not None and step.ask.question_id == "csat"
    assert step.ask.num_digits == 1


def test_start_call_hangs_up_when_nothing_can_be_asked_by_phone() -> None:
    text_only = SurveyDefinition.model_validate(
        {
            "title": "T",
            "pages": [{"id": "p", "questions": [{"id": "q", "type": "open_text", "text": "Say?"}]}],
        }
    )
    step = ivr.start_call(call(text_only))
    assert step.ask is None and not ivr.has_phone_questions(text_only)
    assert "cannot be answered by phone" in step.say[0].text


def test_take_answer_saves_a_valid_score_and_asks_the_next(definition: SurveyDefinition) -> None:
    step = ivr.take_answer(call(definition), question_id="nps", digits="9", attempt=1)
    assert step.answered == {"nps": 9}
    assert step.ask == ivr.Ask(question_id="csat", num_digits=1, attempt=1)
    assert not step.is_finished


def test_take_answer_reprompts_once_on_invalid_digits(definition: SurveyDefinition) -> None:
    step = ivr.take_answer(call(definition), question_id="nps", digits="42", attempt=1)
    assert step.answered == {}
    assert step.ask == ivr.Ask(question_id="nps", num_digits=2, attempt=2)
    assert step.say[0].text.startswith("Sorry")
    assert step.say[1].text == "Would you recommend us?"


def test_take_answer_skips_the_question_after_a_second_invalid_try(
    definition: SurveyDefinition,
) -> None:
    step = ivr.take_answer(call(definition), question_id="nps", digits=None, attempt=2)
    assert step.answered == {}
    assert step.ask is not None and step.ask.question_id == "csat"


def test_take_answer_finishes_after_the_last_question(definition: SurveyDefinition) -> None:
    step = ivr.take_answer(
        call(definition, nps=9, csat=4), question_id="ease", digits="6", attempt=1
    )
    assert step.is_finished and step.ask is None
    assert step.answered == {"ease": 6}
    assert [s.text for s in step.say] == ["Thank you for your feedback.", "Goodbye."]


def test_take_answer_on_an_unknown_question_carries_on_from_the_start(
    definition: SurveyDefinition,
) -> None:
    step = ivr.take_answer(call(definition, nps=3), question_id="gone", digits="1", attempt=1)
    assert step.answered == {}
    assert step.ask is not None and step.ask.question_id == "csat"


def test_take_answer_follows_branches(definition: SurveyDefinition) -> None:
    data = {
        **SURVEY,
        "pages": [
            {
                **SURVEY["pages"][0],
                "branches": [{"if": {"question": "nps", "op": "gte", "value": 9}, "goto": "end"}],
            },
            SURVEY["pages"][1],
        ],
    }
    branching = SurveyDefinition.model_validate(data)
    step = ivr.take_answer(call(branching), question_id="nps", digits="10", attempt=1)
    assert step.is_finished and step.answered == {"nps": 10}


def test_french_callers_hear_french_questions_and_prompts(definition: SurveyDefinition) -> None:
    step = ivr.start_call(call(definition, lang=surveys.match_language(definition, ["fr-CA"])))
    assert step.say[0].text == "Nous recommanderiez-vous ?"
    assert step.say[0].lang == "fr"
    assert "dièse" in step.say[2].text


def test_untranslated_prompts_fall_back_to_english_voice() -> None:
    italian = SurveyDefinition.model_validate(
        {
            "title": "T",
            "default_language": "it",
            "pages": [
                {"id": "p", "questions": [{"id": "c", "type": "csat", "text": "Soddisfatto?"}]}
            ],
        }
    )
    step = ivr.start_call(call(italian, lang="it"))
    assert (step.say[0].lang, step.say[-1].lang) == ("it", "en")


@pytest.mark.parametrize(
    ("asked", "chosen"), [("fr-CA", "fr"), ("FR", "fr"), ("de", "en"), (None, "en"), ("<x>", "en")]
)
def test_the_call_language_is_one_the_survey_has(
    definition: SurveyDefinition, asked: str | None, chosen: str
) -> None:
    assert surveys.match_language(definition, [asked]) == chosen


def test_can_complete_needs_the_required_answers(definition: SurveyDefinition) -> None:
    assert not ivr.can_complete(definition, {"csat": 4})
    assert ivr.can_complete(definition, {"nps": 9, "csat": 4})


def test_urls_carry_the_question_attempt_and_language() -> None:
    ask = ivr.Ask(question_id="nps", num_digits=2, attempt=2)
    assert ivr.answer_url("https://f.example", "a.b-c_d", ask, lang="fr") == (
        "https://f.example/ivr/a.b-c_d/answer/nps?attempt=2&lang=fr"
    )
    assert ivr.call_url("https://f.example", "tok", lang="fr-CA") == (
        "https://f.example/ivr/tok/start?lang=fr-CA"
    )


def test_render_twiml_gathers_digits_and_escapes_texts() -> None:
    step = ivr.Step(
        say=(ivr.Speech('Tom & Jerry <3 "us"?', "fr"),),
        ask=ivr.Ask(question_id="nps", num_digits=2),
    )
    xml = render_twiml(step, action="https://f.example/ivr/t/answer/nps?attempt=1&lang=fr")
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    gather = root.find("Gather")
    assert gather is not None
    assert gather.attrib["numDigits"] == "2" and gather.attrib["finishOnKey"] == "#"
    assert gather.attrib["action"].endswith("attempt=1&lang=fr")
    say = gather.find("Say")
    assert say is not None and say.text == 'Tom & Jerry <3 "us"?'
    assert say.attrib["language"] == "fr-FR"
    assert root.findtext("Redirect") == gather.attrib["action"]
    assert "&amp;" in xml and "<3" not in xml


def test_render_twiml_hangs_up_after_the_last_words() -> None:
    xml = render_twiml(ivr.unavailable())
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert "no longer available" in (root.findtext("Say") or "")


@pytest.mark.parametrize(
    ("tag", "voice"),
    [("fr", "fr-FR"), ("fr-ca", "fr-CA"), ("en", "en-US"), ("pt", "pt-BR"), ("xx", "en-US")],
)
def test_voice_language_names_a_provider_voice(tag: str, voice: str) -> None:
    assert voice_language(tag) == voice
