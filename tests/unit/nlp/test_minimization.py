import pytest

from journeyscope.nlp.annotations import Minimization, Span
from journeyscope.nlp.minimization import (
    HINT_THRESHOLD,
    find_concerns,
    find_dismissals,
    find_minimization,
    strip_dismissal,
)


def assert_offsets(text: str, span: Span) -> None:
    assert text[span.start : span.end] == span.text


def found(text: str, *, negative_hint: float = 0.0) -> Minimization:
    result = find_minimization(text, negative_hint=negative_hint)
    assert result is not None, text
    assert_offsets(text, result.concern)
    assert_offsets(text, result.dismissal)
    return result


def test_the_issue_example_is_played_down_feedback() -> None:
    text = "The onboarding was a bit confusing, but whatever, it's fine."

    result = found(text)

    assert result.concern.text == "a bit confusing"
    assert result.dismissal.text == "but whatever, it's fine"


@pytest.mark.parametrize(
    ("text", "concern", "dismissal"),
    [
        ("I was frustrated, but it's not really important.", "frustrated", "not really important"),
        ("The app crashed twice. No big deal though.", "crashed", "No big deal"),
        ("Support took forever to answer. I got used to it.", "took forever", "I got used to it"),
        ("I had to call twice, but honestly it doesn't matter.", "had to call twice", "matter"),
        ("I couldn't find the cancel button, meh.", "couldn't find", "meh"),
        ("It didn't work the first time, but it is what it is.", "didn't work", "it is what"),
        ("The setup was kind of a pain, can't complain though.", "kind of a pain", "complain"),
        ("Delivery was late again, but it\u2019s fine.", "late", "it\u2019s fine"),
        ("I was charged twice. Never mind, they refunded it.", "charged twice", "Never mind"),
        ("The wait was annoying, but it's not the end of the world.", "annoying", "end of the"),
        ("Checkout kept crashing, could be worse I suppose.", "kept crashing", "could be worse"),
        ("I was not too happy about it, but no biggie.", "not too happy", "no biggie"),
        ("The manual is really confusing. Oh well.", "really confusing", "Oh well"),
    ],
)
def test_a_concern_with_a_dismissal_is_found(text: str, concern: str, dismissal: str) -> None:
    result = found(text)

    assert concern in result.concern.text
    assert dismissal in result.dismissal.text


def test_the_dismissal_may_come_first() -> None:
    text = "It's fine, I guess, but the wait was annoying"

    result = found(text)

    assert result.dismissal.text == "It's fine, I guess"
    assert result.concern.text == "annoying"


@pytest.mark.parametrize(
    ("text", "concern", "downtoner"),
    [
        ("The checkout was a bit slow.", "slow", "a bit"),
        ("I\u2019m a little worried about the price.", "worried", "a little"),
        ("The new menu is slightly confusing.", "confusing", "slightly"),
        ("It was a bit of a hassle to sign up.", "a hassle", "a bit of"),
        ("The form is sort of tedious.", "tedious", "sort of"),
        ("The app felt somewhat sluggish today.", "sluggish", "somewhat"),
        ("There was a minor glitch at checkout.", "glitch", "minor"),
    ],
)
def test_a_downtoner_before_a_negative_word_is_the_dismissal(
    text: str, concern: str, downtoner: str
) -> None:
    result = found(text)

    assert result.concern.text == concern
    assert result.dismissal.text == downtoner


@pytest.mark.parametrize(
    "text",
    [
        "it's fine, works great",
        "It's fine, works great, thanks!",
        "no big deal, I just wanted to say thanks",
        "It wasn't confusing at all, it's fine.",
        "Never had a problem, it's fine.",
        "There were no issues at all, whatever.",
        "The checkout was not slow at all, I guess.",
        "I didn't find it confusing, no big deal.",
        "I love it. It's fine.",
        "The new dashboard is great, I guess.",
        "What kind of problems did you have?",
        "It's okay to call me anytime.",
        "Whatever you want is fine with me.",
        "Thanks! No problem.",
        "Great service, no problem at all.",
        "The app is a bit faster now.",
        "It doesn't matter what I do, it always crashes",
    ],
)
def test_no_minimization_is_found(text: str) -> None:
    assert find_minimization(text) is None


def test_the_hint_turns_a_dismissed_clause_into_the_concern() -> None:
    text = "The courier left the parcel in the rain, but whatever, it's fine."

    result = found(text, negative_hint=0.9)

    assert result.concern.text == "The courier left the parcel in the rain"
    assert result.dismissal.text == "but whatever, it's fine"


def test_a_low_hint_leaves_a_dismissed_clause_alone() -> None:
    text = "The courier left the parcel in the rain, but whatever, it's fine."

    assert find_minimization(text, negative_hint=HINT_THRESHOLD - 0.01) is None


def test_the_hint_takes_the_clause_after_an_opening_dismissal() -> None:
    text = "Whatever. The courier left the parcel in the rain."

    result = found(text, negative_hint=0.9)

    assert result.concern.text == "The courier left the parcel in the rain"


def test_the_hint_needs_a_dismissal() -> None:
    assert find_minimization("The courier left the parcel in the rain.", negative_hint=1.0) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The onboarding was a bit confusing, but whatever, it's fine.",
            "The onboarding was a bit confusing.",
        ),
        ("The checkout was a bit slow.", "The checkout was slow."),
        ("It's fine, I guess, but the wait was annoying", "The wait was annoying"),
        ("The app crashed twice. No big deal though.", "The app crashed twice."),
        ("Support took forever to answer. I got used to it.", "Support took forever to answer."),
        ("I was frustrated, but it's not really important.", "I was frustrated."),
    ],
)
def test_strip_dismissal_keeps_the_feedback(text: str, expected: str) -> None:
    result = found(text)

    assert strip_dismissal(text, result) == expected


def test_neighbouring_dismissals_merge_into_one_span() -> None:
    text = "Honestly it's fine, I guess."

    dismissals = find_dismissals(text)

    assert [span.text for span in dismissals] == ["Honestly it's fine, I guess"]


def test_dismissals_are_not_found_in_verdicts_that_are_negated() -> None:
    assert find_dismissals("It's not fine and it does matter.") == ()


def test_negated_concerns_are_left_out() -> None:
    text = "Not confusing, never slow, no bugs, but the search is broken."

    assert [span.text for span in find_concerns(text)] == ["broken"]


def test_problems_only_drops_feelings() -> None:
    text = "I was frustrated because I was charged twice."

    assert [span.text for span in find_concerns(text, problems_only=True)] == ["charged twice"]


def test_concern_offsets_point_into_the_text() -> None:
    text = "Ugh.  The app  kept crashing and I couldn't log in, it's really annoying."

    spans = find_concerns(text)

    assert len(spans) == 4
    for span in spans:
        assert_offsets(text, span)
