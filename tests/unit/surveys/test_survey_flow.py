"""The respondent flow beyond the shared branching cases: a page's end before it is answered,
where a respondent resumes, and which pages they may open."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from factories import FOUND_IT_SURVEY, VISIT_SURVEY
from journeyscope.surveys import (
    Condition,
    SurveyDefinition,
    ends_after,
    is_last_page,
    open_pages,
    resume_page,
)
from journeyscope.surveys.logic import evaluate_ahead

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
VISIT = SurveyDefinition.model_validate(VISIT_SURVEY)
FOUND_IT = SurveyDefinition.model_validate(FOUND_IT_SURVEY)


def survey(*pages: dict[str, Any]) -> SurveyDefinition:
    return SurveyDefinition.model_validate({"title": "T", "pages": list(pages)})


def text(question_id: str, *, required: bool = False) -> dict[str, Any]:
    return {"id": question_id, "type": "open_text", "text": question_id, "required": required}


def test_a_page_that_may_branch_on_its_answers_does_not_end_yet() -> None:
    assert ends_after(VISIT, "score", {}) is None  # 9-10 end here, 0-8 go on
    assert ends_after(FOUND_IT, "found", {}) is None  # "No" shows a second page


def test_the_last_page_ends_whatever_is_answered() -> None:
    assert ends_after(VISIT, "why", {"nps": 3}) is True
    assert ends_after(survey({"id": "only", "questions": [text("q")]}), "only", {}) is True


def test_answers_already_on_the_page_do_not_decide_before_it_is_sent() -> None:
    assert ends_after(VISIT, "score", {"nps": 10}) is None  # the respondent may still change it
    assert is_last_page(VISIT, "score", {"nps": 10}) is True  # but as it stands, it ends


def test_a_page_followed_by_an_unconditional_page_never_ends() -> None:
    two = survey({"id": "a", "questions": [text("q")]}, {"id": "b", "questions": [text("r")]})
    assert ends_after(two, "a", {}) is False


def test_a_required_question_will_be_answered() -> None:
    shown_if_answered = {"question": "q", "op": "answered"}
    page_b = {"id": "b", "show_if": shown_if_answered, "questions": [text("r")]}
    required = survey({"id": "a", "questions": [text("q", required=True)]}, page_b)
    optional = survey({"id": "a", "questions": [text("q")]}, page_b)

    assert ends_after(required, "a", {}) is False
    assert ends_after(optional, "a", {}) is None


def test_an_unconditional_branch_to_the_end_ends_the_page() -> None:
    ending = survey(
        {"id": "a", "questions": [text("q")], "branches": [{"goto": "end"}]},
        {"id": "b", "questions": [text("r")]},
    )
    assert ends_after(ending, "a", {}) is True


def test_a_branch_to_a_page_that_does_not_exist_is_ignored() -> None:
    ghost = survey({"id": "a", "questions": [text("q")], "branches": [{"goto": "ghost"}]})
    assert ends_after(ghost, "a", {}) is True


def test_earlier_answers_decide_as_usual() -> None:
    follow_up = survey(
        {"id": "a", "questions": [{"id": "nps", "type": "nps", "text": "NPS"}]},
        {"id": "b", "questions": [text("q")]},
        {
            "id": "c",
            "show_if": {"question": "nps", "op": "lte", "value": 6},
            "questions": [text("r")],
        },
    )
    assert ends_after(follow_up, "b", {"nps": 9}) is True
    assert ends_after(follow_up, "b", {"nps": 3}) is False


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "p", "op": "eq", "value": 1}, None),
        ({"question": "p", "op": "answered"}, None),
        ({"question": "r", "op": "answered"}, True),
        ({"question": "r", "op": "not_answered"}, False),
        ({"question": "old", "op": "eq", "value": 1}, True),
        ({"not": {"question": "p", "op": "eq", "value": 1}}, None),
        ({"not": {"question": "old", "op": "eq", "value": 1}}, False),
        (
            {
                "all": [
                    {"question": "old", "op": "eq", "value": 2},
                    {"question": "p", "op": "answered"},
                ]
            },
            False,
        ),
        (
            {
                "all": [
                    {"question": "old", "op": "eq", "value": 1},
                    {"question": "p", "op": "answered"},
                ]
            },
            None,
        ),
        (
            {
                "all": [
                    {"question": "old", "op": "eq", "value": 1},
                    {"question": "r", "op": "answered"},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"question": "old", "op": "eq", "value": 1},
                    {"question": "p", "op": "answered"},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"question": "old", "op": "eq", "value": 2},
                    {"question": "p", "op": "answered"},
                ]
            },
            None,
        ),
        (
            {
                "any": [
                    {"question": "old", "op": "eq", "value": 2},
                    {"question": "r", "op": "not_answered"},
                ]
            },
            False,
        ),
        ({"all": []}, True),
    ],
)
def test_evaluate_ahead_knows_what_it_can(condition: dict[str, Any], expected: bool | None) -> None:
    pending = {"p": False, "r": True}  # about to be answered: p optional, r required
    found = evaluate_ahead(CONDITION.validate_python(condition), {"old": 1, "p": 5}, pending)

    assert found is expected


def test_a_returning_respondent_resumes_at_the_first_page_missing_an_answer() -> None:
    assert resume_page(VISIT, {"nps": 3}) == "why"
    assert open_pages(VISIT, {"nps": 3}) == ["score", "why"]
    assert open_pages(VISIT, {}) == ["score"]  # "why" stays closed until the score is given


def test_a_respondent_with_nothing_missing_resumes_at_the_first_page() -> None:
    assert resume_page(VISIT, {"nps": 3, "wrong": "Queue"}) == "score"
    assert (
        resume_page(survey({"id": "a", "show_if": {"question": "x", "op": "answered"}}), {}) is None
    )
