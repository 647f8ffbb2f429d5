import re

import pytest

from journeyscope.nlp import QuestionCheck, QuestionKind, classify_question
from journeyscope.nlp.question_rewrites import base_form, gerund, past
from journeyscope.nlp.questions import question_form

OPEN = [
    "How did the checkout go?",
    "What happened when you got to the till?",
    "Why does that matter to you?",
    "How did that make you feel?",
    "Tell me about the last time you shopped with us.",
    "Walk me through what happened.",
    "Talk me through your first week with the app.",
    "Describe the moment you opened the parcel.",
    "Could you tell me about your first visit?",
    "What would you say was the hardest part?",
    "How easy or difficult was it to check out?",
    "What about you?",
    "Where do you think this is going?",
    "Thanks. So how did the checkout go?",
    "To start, tell me a little about yourself.",
    "Looking back over everything we talked about, what stands out most?",
    "What, if anything, surprised you?",
    "You went where?",
]
CLOSED = [
    "Did you like the checkout?",
    "Do you use the app every day?",
    "Is it easy to find products?",
    "Are you happy with the service?",
    "Was the delivery on time?",
    "Have you ever returned a product?",
    "Can you find what you need on the site?",
    "Do you pay by card or cash?",
    "You liked it?",
    "The delivery was late?",
    "When did you buy the phone?",
    "How many times did you call?",
    "Which store did you visit?",
    "do you live right in the city itself",
]
LEADING = [
    "Don't you think the app is great?",
    "Wouldn't you agree that the staff were helpful?",
    "Isn't it great that the checkout is so fast?",
    "The checkout was easy, wasn't it?",
    "You found it quickly, right?",
    "Do you agree that the prices are fair?",
    "How frustrating was the checkout?",
    "What did you love about the new app?",
    "How easy was it to find the store?",
]
DOUBLE = [
    "Was the staff friendly and helpful?",
    "What did you think of the price and the quality?",
    "How did you find the website and what did you buy?",
    "How did it go? What happened next?",
]
HYPOTHETICAL = [
    "Would you use the app again?",
    "If you could change one thing about the app, what would it be?",
    "How likely are you to recommend us to a friend?",
    "Would you like a dark mode?",
    "Imagine you are a new customer. How would you sign up?",
    "Will you shop with us in the future?",
    "Suppose the store closed. Where would you go?",
]
NOT_A_QUESTION = [
    "I bought a phone last week.",
    "Okay.",
    "Really?",
    "Is that right?",
    "Thanks for your time.",
    "Take care.",
    "When I started teaching, I had a dog.",
]


@pytest.mark.parametrize("text", OPEN)
def test_open_questions_are_open(text: str) -> None:
    check = classify_question(text)

    assert check.kind is QuestionKind.OPEN, check
    assert check.rewrite is None


@pytest.mark.parametrize(
    ("cases", "kind"),
    [
        (CLOSED, QuestionKind.CLOSED),
        (LEADING, QuestionKind.LEADING),
        (DOUBLE, QuestionKind.DOUBLE_BARRELLED),
        (HYPOTHETICAL, QuestionKind.HYPOTHETICAL),
    ],
)
def test_flawed_questions_get_their_kind_and_a_reason(cases: list[str], kind: QuestionKind) -> None:
    checks = {text: classify_question(text) for text in cases}

    assert {t: c.kind for t, c in checks.items()} == dict.fromkeys(cases, kind)
    assert all(c.reason and "\n" not in c.reason for c in checks.values())


@pytest.mark.parametrize("text", NOT_A_QUESTION)
def test_statements_and_backchannels_are_not_questions(text: str) -> None:
    check = classify_question(text)

    assert check.kind is QuestionKind.NOT_A_QUESTION
    assert check.rewrite is None


@pytest.mark.parametrize("text", CLOSED + LEADING + HYPOTHETICAL)
def test_rewrites_are_open(text: str) -> None:
    rewrite = classify_question(text).rewrite

    assert rewrite is not None
    assert classify_question(rewrite).kind is QuestionKind.OPEN, rewrite


@pytest.mark.parametrize("text", DOUBLE)
def test_double_barrelled_rewrites_are_open_questions_one_by_one(text: str) -> None:
    rewrite = classify_question(text).rewrite
    assert rewrite is not None

    parts = re.split(r"(?<=[.?])\s+", rewrite)

    assert all(classify_question(p).kind is QuestionKind.OPEN for p in parts), parts


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("Did you like the checkout?", "How did you find the checkout?"),
        ("Don't you think the app is great?", "What do you think of the app?"),
        ("Was the delivery on time?", "How was the delivery?"),
        ("The checkout was easy, wasn't it?", "What did you think of the checkout?"),
        ("How easy was it to find the store?", "How easy or difficult was it to find the store?"),
        ("Would you use the app again?", "Tell me about a time when you used the app."),
        ("Does the app crash often?", "Tell me about the app crashing often."),
        (
            "What did you think of the price and the quality?",
            "What did you think of the price? What did you think of the quality?",
        ),
    ],
)
def test_rewrites_keep_the_topic_words(text: str, rewrite: str) -> None:
    assert classify_question(text).rewrite == rewrite


def test_quoted_labels_are_not_parsed_and_come_back_in_the_rewrite() -> None:
    check = classify_question('Did you like the "How is it going? email"?')

    assert check.kind is QuestionKind.CLOSED
    assert check.rewrite == 'How did you find the "How is it going? email"?'


def test_typographic_apostrophes_read_like_straight_ones() -> None:
    assert classify_question("Don\u2019t you think the app is great?").kind is QuestionKind.LEADING


@pytest.mark.parametrize("text", ["", "   ", "?", "?!...", "\u2026", "- , ;"])
def test_empty_or_punctuation_only_text_is_not_a_question(text: str) -> None:
    check = classify_question(text)

    assert check == QuestionCheck(QuestionKind.NOT_A_QUESTION, None, check.reason)
    assert check.reason


def test_very_long_text_is_classified_quickly() -> None:
    text = "I went to the store and I looked around, " * 2_000 + "how did that feel?"

    assert classify_question(text).kind is QuestionKind.OPEN


def test_question_form_ignores_the_flaws() -> None:
    assert question_form("Don't you think the app is great?") is QuestionKind.CLOSED
    assert question_form("Would you use the app again?") is QuestionKind.CLOSED
    assert question_form("How did you find it?") is QuestionKind.OPEN
    assert question_form("Fine.") is QuestionKind.NOT_A_QUESTION


@pytest.mark.parametrize(
    ("base", "ing", "ed"),
    [("use", "using", "used"), ("stop", "stopping", "stopped"), ("buy", "buying", "bought")],
)
def test_verb_forms(base: str, ing: str, ed: str) -> None:
    assert (gerund(base), past(base), base_form(ed)) == (ing, ed, base)
