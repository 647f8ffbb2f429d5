from pathlib import Path
from typing import get_args

import pytest

from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.surveys import (
    SurveyDefinition,
    check_answers,
    check_templates,
    get_template,
    list_templates,
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
