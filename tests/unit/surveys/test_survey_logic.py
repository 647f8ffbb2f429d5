from typing import Any

import pytest
from pydantic import TypeAdapter

from journeyscope.errors import NotFound
from journeyscope.surveys import (
    Condition,
    SurveyDefinition,
    evaluate,
    next_page,
    respondent_path,
    visible_questions,
)

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def cond(data: dict[str, Any]) -> Condition:
    return CONDITION.validate_python(data)


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        ("eq", 6, 6, True),
        ("ne", 6, 7, True),
        ("lt", 6, 5, True),
        ("lt", 6, 6, False),
        ("lte", 6, 6, True),
        ("gt", 6, 7, True),
        ("gte", 9, 8, False),
        ("in", [1, 2], 2, True),
        ("not_in", [1, 2], 3, True),
        ("eq", "yes", "yes", True),
    ],
)
def test_evaluate_comparison_applies_its_operator(
    op: str, value: Any, answer: Any, expected: bool
) -> None:
    condition = cond({"question": "q", "op": op, "value": value})

    assert evaluate(condition, {"q": answer}) is expected


def test_evaluate_comparison_is_false_when_question_is_unanswered() -> None:
    assert evaluate(cond({"question": "nps", "op": "lte", "value": 6}), {}) is False
    assert evaluate(cond({"question": "nps", "op": "ne", "value": 6}), {"nps": None}) is False


def test_evaluate_not_answered_is_true_for_blank_text() -> None:
    condition = cond({"question": "why", "op": "not_answered"})

    assert evaluate(condition, {"why": "   "}) is True
    assert evaluate(condition, {"why": "slow"}) is False


def test_evaluate_contains_finds_choice_in_multi_choice_answer() -> None:
    condition = cond({"question": "topics", "op": "contains", "value": "staff"})

    assert evaluate(condition, {"topics": ["price", "staff"]}) is True
    assert evaluate(condition, {"topics": {"choices": ["staff"], "other": "x"}}) is True
    assert evaluate(condition, {"topics": ["price"]}) is False


def test_evaluate_contains_matches_open_text_ignoring_case() -> None:
    condition = cond({"question": "why", "op": "contains", "value": "refund"})

    assert evaluate(condition, {"why": "I want a REFUND now"}) is True


def test_evaluate_eq_other_matches_an_other_answer() -> None:
    condition = cond({"question": "pick", "op": "eq", "value": "other"})

    assert evaluate(condition, {"pick": {"other": "my own"}}) is True


def test_evaluate_ordering_is_false_for_text_answers() -> None:
    assert evaluate(cond({"question": "q", "op": "lt", "value": 6}), {"q": "3"}) is False


def test_evaluate_combines_all_any_and_not() -> None:
    condition = cond(
        {
            "all": [
                {"question": "nps", "op": "lte", "value": 6},
                {"any": [{"question": "a", "op": "answered"}, {"question": "b", "op": "answered"}]},
                {"not": {"question": "c", "op": "eq", "value": "x"}},
            ]
        }
    )

    assert evaluate(condition, {"nps": 3, "b": "yes", "c": "y"}) is True
    assert evaluate(condition, {"nps": 3, "b": "yes", "c": "x"}) is False
    assert evaluate(cond({"all": []}), {}) is True


def test_condition_refuses_unknown_operator() -> None:
    with pytest.raises(ValueError, match="op"):
        cond({"question": "nps", "op": "between", "value": 6})


def test_next_page_branches_to_end_for_promoters(nps_survey: SurveyDefinition) -> None:
    assert next_page(nps_survey, "score", {"nps": 10}) is None
    assert next_page(nps_survey, "score", {"nps": 3}) == "why"


def test_next_page_skips_page_whose_show_if_fails(nps_survey: SurveyDefinition) -> None:
    assert next_page(nps_survey, "why", {"nps": 3, "topics": ["price"]}) is None
    assert next_page(nps_survey, "why", {"nps": 3, "topics": ["staff"]}) == "details"


def test_next_page_raises_not_found_for_unknown_page(nps_survey: SurveyDefinition) -> None:
    with pytest.raises(NotFound) as raised:
        next_page(nps_survey, "nope", {})

    assert "score, why, details" in (raised.value.hint or "")


def test_respondent_path_stops_at_a_loop() -> None:
    looping = SurveyDefinition.model_validate(
        {
            "title": "Loop",
            "pages": [
                {"id": "a", "questions": [{"id": "q1", "type": "open_text", "text": "1"}]},
                {
                    "id": "b",
                    "questions": [{"id": "q2", "type": "open_text", "text": "2"}],
                    "branches": [{"goto": "a"}],
                },
            ],
        }
    )

    assert respondent_path(looping, {}) == ["a", "b"]


def test_visible_questions_follow_the_detractor_path(nps_survey: SurveyDefinition) -> None:
    ids = [q.id for q in visible_questions(nps_survey, {"nps": 4, "topics": ["staff"]})]

    assert ids == ["nps", "went-wrong", "topics", "staff-rating", "quality"]


def test_visible_questions_hide_what_went_wrong_for_passives(
    nps_survey: SurveyDefinition,
) -> None:
    ids = [q.id for q in visible_questions(nps_survey, {"nps": 7})]

    assert ids == ["nps", "topics"]
