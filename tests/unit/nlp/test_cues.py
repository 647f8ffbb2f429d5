import pytest

from journeyscope.nlp.annotations import Span
from journeyscope.nlp.cues import (
    CLEARLY_NEGATIVE,
    CLEARLY_POSITIVE,
    Cue,
    CueKind,
    classify_finding_kind,
    find_cues,
)


def kinds(text: str) -> list[str]:
    return [cue.kind.value for cue in find_cues(text)]


def cue(kind: CueKind) -> Cue:
    return Cue(kind, Span(0, 1, "x"))


@pytest.mark.parametrize(
    "text",
    [
        "Honestly I'm thinking about switching to Acme Cloud.",
        "We went with Zendesk instead.",
        "I'm going to cancel my subscription next month.",
        "I cancelled my membership last week.",
        "We're not renewing the contract.",
        "We won't renew unless the price drops.",
        "I'm looking at alternatives right now.",
        "That was the last straw.",
        "I'm closing my account.",
        "We're considering moving on to a different tool.",
        "I won't be back.",
    ],
)
def test_churn_cues_are_found(text: str) -> None:
    assert "churn" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would never switch, you guys are great.",
        "Why would I switch? It's great.",
        "I'm not going to cancel my subscription.",
        "I renewed my plan for another year.",
        "How do I switch to the dark theme?",
    ],
)
def test_loyalty_and_settings_are_not_churn(text: str) -> None:
    assert "churn" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's cheaper than Acme and the support is better.",
        "Acme is way cheaper than you.",
        "Another app I used had a dark mode.",
        "Your competitors all have an API.",
        "Compared to Freshdesk, the setup was quick.",
        "We moved to Monday.com last year.",
    ],
)
def test_competitor_cues_are_found(text: str) -> None:
    assert "competitor" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "It is better than I expected.",
        "More than I hoped for.",
        "I told my manager about it.",
    ],
)
def test_comparisons_without_a_competitor_are_not_competitor_cues(text: str) -> None:
    assert "competitor" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I wish the export worked with Excel.",
        "It would be great if I could see my order history.",
        "They should add a dark mode.",
        "I'd love a weekly summary email.",
        "If only the app remembered my address.",
        "Please add Apple Pay.",
        "We could use a better search.",
    ],
)
def test_wish_cues_are_found(text: str) -> None:
    assert "wish" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The reason I chose you was the support team.",
        "That's why I stay: the prices.",
        "What I love most is the search.",
        "We picked them because of the integrations.",
        "The free returns keep me coming back, honestly it keeps me loyal.",
        "I love how fast the checkout is.",
    ],
)
def test_praise_reason_cues_are_found(text: str) -> None:
    assert "praise_reason" in kinds(text)


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("I was charged twice and had to call twice.", ["charged twice", "had to call twice"]),
        ("The app crashed when I uploaded a photo.", ["crashed"]),
        ("I was frustrated.", []),
        ("No problems at all, works great.", []),
    ],
)
def test_problem_cues_are_concrete_problems(text: str, problems: list[str]) -> None:
    found = [c.span.text for c in find_cues(text) if c.kind is CueKind.PROBLEM]

    assert found == problems


def test_plain_praise_has_no_cues() -> None:
    assert find_cues("Lovely staff and a quick delivery.") == ()


def test_cue_offsets_point_into_the_text() -> None:
    text = "I wish it were cheaper than Acme; I'm thinking about switching. It crashed again."

    cues = find_cues(text)

    assert [c.kind.value for c in cues] == ["wish", "competitor", "churn", "problem"]
    for found in cues:
        assert text[found.span.start : found.span.end] == found.span.text


@pytest.mark.parametrize(
    ("valence", "cue_kinds", "expected"),
    [
        (0.6, [CueKind.CHURN, CueKind.PRAISE_REASON], "churn_risk"),
        (-0.8, [CueKind.WISH], "opportunity"),
        (0.0, [CueKind.WISH, CueKind.PROBLEM], "opportunity"),
        (CLEARLY_NEGATIVE, [], "weakness"),
        (0.1, [CueKind.PROBLEM], "weakness"),
        (-0.1, [CueKind.COMPETITOR], "weakness"),
        (0.3, [CueKind.COMPETITOR], None),
        (CLEARLY_POSITIVE, [], "strength"),
        (0.3, [CueKind.PRAISE_REASON], "strength"),
        (0.1, [CueKind.PRAISE_REASON], None),
        (0.1, [], None),
        (-0.1, [], None),
    ],
)
def test_finding_kind_follows_the_documented_rule(
    valence: float, cue_kinds: list[CueKind], expected: str | None
) -> None:
    assert classify_finding_kind(valence, [cue(kind) for kind in cue_kinds]) == expected


def test_finding_kind_accepts_cue_kinds_as_strings() -> None:
    assert classify_finding_kind(0.0, ("churn",)) == "churn_risk"


def test_finding_kind_of_found_cues() -> None:
    text = "I'm going to cancel my subscription, the app keeps crashing."

    assert classify_finding_kind(-0.6, find_cues(text)) == "churn_risk"
