from pathlib import Path
from typing import get_args

import pytest

from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.surveys import (
    SurveyDefinition,
    check_answers,
    check_templates,
    fill_placeholders,
    get_template,
    list_templates,
    placeholders_left,
    visible_questions,
)
from journeyscope.surveys.templates import ChannelName

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "journeys"


def test_every_template_passes_check_definition_and_translations() -> None:
    assert check_templates() == {t.key: [] for t in list_templates()}


def test_template_library_covers_the_issue_list() -> None:
    keys = {t.key for t in list_templates()}

    assert {
        "relationship-nps",
        "post-purchase-why-us",
        "onboarding-ces-7d",
        "onboarding-csat-30d",
        "onboarding-nps-90d",
        "support-csat-ces",
        "call-center-post-call",
        "kiosk-smiley-csat",
        "website-found-it",
        "in-app-feature-feedback",
    } <= keys


def test_every_template_stage_is_a_stage_of_the_example_journeys() -> None:
    stages = {
        line.split("key:")[1].strip()
        for path in EXAMPLES.glob("*.yaml")
        for line in path.read_text().splitlines()
        if line.startswith("  - key:")
    }

    assert {t.stage for t in list_templates()} <= stages


def test_template_channels_are_journey_channels() -> None:
    assert set(get_args(ChannelName)) == {c.value for c in Channel}


@pytest.mark.parametrize("key", ["relationship-nps", "kiosk-smiley-csat"])
def test_bilingual_templates_declare_french(key: str) -> None:
    assert get_template(key).definition.languages == ["fr"]


def test_get_template_raises_not_found_listing_keys() -> None:
    with pytest.raises(NotFound) as raised:
        get_template("nps")

    assert "relationship-nps" in (raised.value.hint or "")
    assert raised.value.field == "template"


def test_relationship_nps_asks_what_went_wrong_only_of_detractors() -> None:
    survey = get_template("relationship-nps").definition

    def asked(score: int) -> list[str]:
        return [q.id for q in visible_questions(survey, {"nps": score})]

    assert asked(6) == ["nps", "went-wrong"]
    assert asked(8) == ["nps", "improve"]
    assert asked(10) == ["nps", "liked"]


def test_kiosk_template_ends_after_a_happy_face() -> None:
    survey: SurveyDefinition = get_template("kiosk-smiley-csat").definition

    assert check_answers(survey, {"csat": 5, "problem": "staff"}, complete=True) != []
    assert check_answers(survey, {"csat": 1, "problem": "staff"}, complete=True) == []


def test_placeholders_are_marked_where_the_template_writes_them() -> None:
    why_us = get_template("post-purchase-why-us")
    assert [(p.field, p.choice, p.text) for p in why_us.placeholders] == [
        ("description", None, "Edit this list to name your competitors."),
        ("choices", "competitor-a", "Competitor A"),
        ("choices", "competitor-b", "Competitor B"),
        ("choices", "competitor-c", "Competitor C"),
    ]
    assert all(p.question == "considered" for p in why_us.placeholders)
    assert {t.key for t in list_templates() if t.placeholders} == {"post-purchase-why-us"}


def test_a_fresh_draft_shows_every_placeholder_and_a_filled_one_none() -> None:
    why_us = get_template("post-purchase-why-us")
    left = placeholders_left(why_us, why_us.definition)
    assert [p.field for p in left] == [
        "pages[0].questions[0].description",
        "pages[0].questions[0].choices[0].label",
        "pages[0].questions[0].choices[1].label",
        "pages[0].questions[0].choices[2].label",
    ]
    values = {p.text: None for p in why_us.placeholders} | {"Competitor A": "Northwind"}
    filled = fill_placeholders(why_us, values)
    assert placeholders_left(why_us, filled) == []
    labels = [c.label for c in filled.pages[0].questions[0].choices]  # type: ignore[union-attr]
    assert labels == ["Northwind", "None, you were my only choice"]
    assert filled.pages[0].questions[0].description is None


def test_a_placeholder_left_in_one_language_still_counts() -> None:
    why_us = get_template("post-purchase-why-us")
    raw = why_us.definition.model_dump(mode="json")
    raw["pages"][0]["questions"][0]["choices"][0]["label"] = {
        "en": "Northwind",
        "fr": "Competitor A",
    }
    left = placeholders_left(why_us, SurveyDefinition.model_validate(raw))
    assert "pages[0].questions[0].choices[0].label" in [p.field for p in left]


def test_the_why_us_choices_read_as_the_customer_speaking() -> None:
    why_us = get_template("post-purchase-why-us")
    labels = [c.label for c in why_us.definition.pages[0].questions[0].choices]  # type: ignore[union-attr]
    assert "None, you were my only choice" in labels
    assert not any("we were my" in str(label) for label in labels)


def test_why_us_does_not_ask_about_alternatives_nobody_considered() -> None:
    survey = get_template("post-purchase-why-us").definition

    def asked(considered: list[str]) -> list[str]:
        answers = {"considered": considered, "factors": ["price"]}
        return [q.id for q in visible_questions(survey, answers)]

    assert "why-us" in asked(["competitor-a"])
    assert "why-us" not in asked(["none"])
