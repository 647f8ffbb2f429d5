"""The server's respondent flow against the branching cases shared with the kiosk and widget."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

import branching_cases
from journeyscope.surveys import (
    Condition,
    SurveyDefinition,
    evaluate,
    hidden_answers,
    is_missing,
    respondent_path,
    visible_questions,
)

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
SURVEYS = {
    name: SurveyDefinition.model_validate(data) for name, data in branching_cases.surveys().items()
}


@pytest.mark.parametrize("case", branching_cases.conditions(), ids=branching_cases.condition_id)
def test_condition_case(case: dict[str, Any]) -> None:
    condition = CONDITION.validate_python(case["condition"])

    assert evaluate(condition, case["answers"]) is case["holds"]


@pytest.mark.parametrize("case", branching_cases.paths(), ids=lambda case: case["name"])
def test_path_case(case: dict[str, Any]) -> None:
    survey, answers = SURVEYS[case["survey"]], case["answers"]
    visible = visible_questions(survey, answers)

    assert respondent_path(survey, answers) == case["path"]
    assert [q.id for q in visible] == case["visible"]
    assert [q.id for q in visible if is_missing(q, answers)] == case["missing"]
    assert sorted(hidden_answers(survey, answers)) == sorted(case["hidden"])
