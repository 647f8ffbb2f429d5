from typing import Any

import pytest

from journeyscope.surveys import (
    Metric,
    ScoreFact,
    SurveyDefinition,
    check_answers,
    score_facts,
)

DETRACTOR = {
    "nps": 3,
    "went-wrong": "Slow service",
    "topics": {"choices": ["staff"], "other": "noise"},
    "staff-rating": 2,
    "quality": {"food": "good", "room": "bad"},
}


def fields(survey: SurveyDefinition, answers: dict[str, Any], *, complete: bool) -> list[str]:
    return [p.field or "" for p in check_answers(survey, answers, complete=complete)]


def test_check_answers_accepts_a_complete_detractor_response(nps_survey: SurveyDefinition) -> None:
    assert check_answers(nps_survey, DETRACTOR, complete=True) == []


def test_check_answers_accepts_a_partial_response_without_required(
    nps_survey: SurveyDefinition,
) -> None:
    assert check_answers(nps_survey, {"nps": 3}, complete=False) == []


@pytest.mark.parametrize("value", [11, -1, 5.5, "7", True, [3]])
def test_check_answers_refuses_score_outside_the_scale(
    nps_survey: SurveyDefinition, value: Any
) -> None:
    [problem] = check_answers(nps_survey, {"nps": value}, complete=False)

    assert problem.field == "answers.nps"
    assert "0-10 scale" in problem.problem


def test_check_answers_refuses_rating_above_its_points(nps_survey: SurveyDefinition) -> None:
    answers = DETRACTOR | {"staff-rating": 8}

    [problem] = check_answers(nps_survey, answers, complete=False)

    assert problem.field == "answers.staff-rating"
    assert "1-7" in problem.problem


def test_check_answers_refuses_unknown_choice_and_names_the_ids(
    nps_survey: SurveyDefinition,
) -> None:
    [problem] = check_answers(nps_survey, {"nps": 3, "topics": ["price", "food"]}, complete=False)

    assert problem.field == "answers.topics"
    assert "`food`" in problem.problem
    assert "price, staff" in (problem.fix or "")


def test_check_answers_refuses_repeated_choice(nps_survey: SurveyDefinition) -> None:
    [problem] = check_answers(nps_survey, {"nps": 3, "topics": ["price", "price"]}, complete=False)

    assert "twice" in problem.problem


def test_check_answers_refuses_other_text_that_is_not_text(nps_survey: SurveyDefinition) -> None:
    answers = {"nps": 3, "topics": {"choices": [], "other": 5}}

    [problem] = check_answers(nps_survey, answers, complete=False)

    assert problem.field == "answers.topics"
    assert "not text" in problem.problem


def test_check_answers_refuses_open_text_with_nul(nps_survey: SurveyDefinition) -> None:
    [problem] = check_answers(nps_survey, {"nps": 3, "went-wrong": "a\x00b"}, complete=False)

    assert "NUL" in problem.problem


def test_check_answers_refuses_matrix_cell_outside_columns(nps_survey: SurveyDefinition) -> None:
    answers = DETRACTOR | {"quality": {"food": "great"}}

    [problem] = check_answers(nps_survey, answers, complete=False)

    assert problem.field == "answers.quality"
    assert "`great` (row `food`)" in problem.problem


def test_check_answers_refuses_unknown_question_with_suggestion(
    nps_survey: SurveyDefinition,
) -> None:
    [problem] = check_answers(nps_survey, {"nps": 3, "topic": ["price"]}, complete=False)

    assert problem.field == "answers.topic"
    assert "Did you mean `topics`?" in (problem.fix or "")


def test_check_answers_refuses_answer_to_hidden_question(nps_survey: SurveyDefinition) -> None:
    answers = {"nps": 8, "went-wrong": "Nothing really"}

    assert fields(nps_survey, answers, complete=False) == ["answers.went-wrong"]


def test_check_answers_refuses_answers_beyond_the_end_branch(nps_survey: SurveyDefinition) -> None:
    assert fields(nps_survey, {"nps": 10, "topics": ["price"]}, complete=False) == [
        "answers.topics"
    ]


def test_check_answers_requires_visible_required_questions_when_complete(
    nps_survey: SurveyDefinition,
) -> None:
    answers = {"nps": 3, "topics": ["staff"]}

    assert fields(nps_survey, answers, complete=True) == [
        "answers.went-wrong",
        "answers.staff-rating",
    ]


def test_check_answers_does_not_require_hidden_required_questions(
    nps_survey: SurveyDefinition,
) -> None:
    assert check_answers(nps_survey, {"nps": 7}, complete=True) == []


def test_check_answers_requires_every_row_of_a_required_matrix(
    nps_survey: SurveyDefinition,
) -> None:
    data = nps_survey.model_dump()
    data["pages"][2]["questions"][1]["required"] = True
    survey = SurveyDefinition.model_validate(data)
    answers = DETRACTOR | {"quality": {"food": "good"}}

    [problem] = check_answers(survey, answers, complete=True)

    assert problem.problem == "Rows `room` are not answered."


def test_score_facts_lists_scored_answers_with_metric_and_scale(
    nps_survey: SurveyDefinition,
) -> None:
    assert score_facts(nps_survey, DETRACTOR) == [
        ScoreFact("nps", Metric.NPS, 3, 0, 10),
        ScoreFact("staff-rating", Metric.RATING, 2, 1, 7),
    ]


def test_score_facts_leaves_out_invalid_and_hidden_scores(nps_survey: SurveyDefinition) -> None:
    assert score_facts(nps_survey, {"nps": 12}) == []
    assert score_facts(nps_survey, {"nps": 10, "staff-rating": 3}) == [
        ScoreFact("nps", Metric.NPS, 10, 0, 10)
    ]
