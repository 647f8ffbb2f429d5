import re

import pytest

from journeyscope.nlp.minimization import find_minimization
from journeyscope.nlp.probes import suggest_follow_ups

CLOSED_OR_LEADING = re.compile(
    r"^(?:did|do|does|was|were|is|are|would|will|have|has|had|don't|isn't|wasn't)\b"
    r"|\b(?:right|wasn't it|didn't it|don't you think)\?$",
    re.IGNORECASE,
)

PLAYED_DOWN = [
    "The onboarding was a bit confusing, but whatever, it's fine.",
    "It's fine, I guess, but the wait was annoying",
    "I was frustrated, but it's not really important.",
    "The app crashed twice. No big deal though.",
    "Support took forever to answer. I got used to it.",
    "It was a bit of a hassle to sign up.",
    "The checkout was a bit slow.",
    "My order was late again, but it\u2019s fine.",
    "I had to call twice, but honestly it doesn't matter.",
    "I couldn't find the cancel button, meh.",
]


def quoted(question: str) -> list[str]:
    return re.findall(r'"([^"]+)"', question)


def follow_ups_for(text: str) -> tuple[str, ...]:
    return suggest_follow_ups(text, find_minimization(text))


def test_the_issue_example_quotes_the_customer() -> None:
    text = "The onboarding was a bit confusing, but whatever, it's fine."

    questions = follow_ups_for(text)

    assert "the onboarding was" in questions[0]
    assert quoted(questions[0]) == ["a bit confusing"]
    assert "confusing" in questions[1]
    assert len(questions) == 3


@pytest.mark.parametrize("text", PLAYED_DOWN)
def test_follow_ups_are_open_questions(text: str) -> None:
    questions = follow_ups_for(text)

    assert 2 <= len(questions) <= 3
    for question in questions:
        assert question.endswith("?")
        assert not CLOSED_OR_LEADING.search(question), question


@pytest.mark.parametrize("text", PLAYED_DOWN)
def test_the_first_follow_up_quotes_the_customer_verbatim(text: str) -> None:
    questions = follow_ups_for(text)

    quotes = quoted(questions[0])
    assert quotes
    assert all(quote in text for quote in quotes)


@pytest.mark.parametrize("text", PLAYED_DOWN)
def test_the_dismissal_is_not_what_is_quoted(text: str) -> None:
    minimization = find_minimization(text)
    assert minimization is not None

    quote = quoted(suggest_follow_ups(text, minimization)[0])[0]

    assert minimization.concern.text in quote or quote in minimization.concern.text


def test_a_downtoner_stays_inside_the_quote() -> None:
    questions = follow_ups_for("The checkout was a bit slow.")

    assert quoted(questions[0]) == ["a bit slow"]
    assert "slow" in questions[1]


def test_a_bare_event_is_quoted_with_its_clause() -> None:
    questions = follow_ups_for("The app crashed twice. No big deal though.")

    assert quoted(questions[0]) == ["The app crashed twice"]


def test_first_person_is_turned_to_second_person_outside_the_quote() -> None:
    questions = follow_ups_for("I was frustrated, but it's not really important.")

    assert 'you were "frustrated"' in questions[0]


def test_a_feeling_gets_a_feeling_question() -> None:
    questions = follow_ups_for("I was frustrated, but it's not really important.")

    assert "frustrated" in questions[1]


def test_a_strong_emotion_without_minimization_quotes_the_feeling() -> None:
    text = "Honestly I was really frustrated when the card got declined."

    questions = suggest_follow_ups(text, emotion="anger")

    assert quoted(questions[0]) == ["really frustrated"]
    assert questions[0].startswith("You ")
    assert all(question.endswith("?") for question in questions)


def test_an_emotion_without_a_feeling_word_quotes_the_first_clause() -> None:
    text = "The new dashboard saved me hours every week!"

    questions = suggest_follow_ups(text, emotion="joy")

    assert quoted(questions[0]) == ["The new dashboard saved me hours every week"]


@pytest.mark.parametrize("emotion", [None, "", "neutral", "Neutral"])
def test_nothing_to_probe_gives_no_questions(emotion: str | None) -> None:
    assert suggest_follow_ups("The delivery came on Tuesday.", emotion=emotion) == ()


@pytest.mark.parametrize("limit", [0, 1, 2])
def test_limit_caps_the_questions(limit: int) -> None:
    text = "The checkout was a bit slow."

    assert len(suggest_follow_ups(text, find_minimization(text), limit=limit)) == limit


def test_the_same_text_gets_the_same_questions() -> None:
    text = "The checkout was a bit slow."

    assert follow_ups_for(text) == follow_ups_for(text)


def test_the_phrasing_varies_between_texts() -> None:
    openers = {follow_ups_for(text)[0].split('"')[0].split()[0:2][1] for text in PLAYED_DOWN}

    assert len(openers) > 1


def test_long_concerns_are_cut_to_a_readable_quote() -> None:
    text = (
        "Honestly, when I tried to export the quarterly report for my manager the whole page "
        "froze and I lost everything, but whatever."
    )

    quote = quoted(follow_ups_for(text)[0])[0]

    assert len(quote.split()) <= 8
    assert "froze" in quote
    assert quote in text
