import copy
from typing import Any

import pytest

from journeyscope.errors import Problem
from journeyscope.surveys import SurveyDefinition, check_definition, check_translations


def problems_of(data: dict[str, Any]) -> list[Problem]:
    return check_definition(SurveyDefinition.model_validate(data))


def test_check_definition_accepts_the_shared_survey(nps_survey: SurveyDefinition) -> None:
    assert check_definition(nps_survey) == []
    assert check_translations(nps_survey) == []


def test_check_definition_reports_empty_survey() -> None:
    [problem] = problems_of({"title": "Empty"})

    assert problem.field == "pages"
    assert "asks nothing" in problem.problem


def test_check_definition_reports_page_without_questions(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"].append({"id": "blank"})

    [problem] = problems_of(data)

    assert problem.field == "pages[3].questions"
    assert "`blank` has no questions" in problem.problem


def test_check_definition_reports_duplicate_question_id_with_first_use(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][2]["questions"][1]["id"] = "topics"

    [problem] = problems_of(data)

    assert problem.field == "pages[2].questions[1].id"
    assert "pages[1].questions[1] already has it" in problem.problem
    assert "`topics-2`" in (problem.fix or "")


def test_check_definition_reports_duplicate_page_and_choice_ids(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][1]["questions"][1]["choices"][1]["id"] = "price"
    data["pages"].append(copy.deepcopy(data["pages"][0]) | {"branches": []})
    data["pages"][3]["questions"][0]["id"] = "nps-again"

    fields = [p.field for p in problems_of(data)]

    assert "pages[3].id" in fields
    assert "pages[1].questions[1].choices[1].id" in fields


def test_check_definition_reports_reserved_other_choice_id(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][1]["questions"][1]["choices"][0]["id"] = "other"

    [problem] = problems_of(data)

    assert "`other` is reserved" in problem.problem


def test_check_definition_reports_condition_on_missing_question_with_suggestion(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][1]["questions"][0]["show_if"]["question"] = "npss"

    [problem] = problems_of(data)

    assert problem.field == "pages[1].questions[0].show_if.question"
    assert "does not have" in problem.problem
    assert "Did you mean `nps`?" in (problem.fix or "")


def test_check_definition_reports_condition_on_same_page_question(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][1]["questions"][1]["show_if"] = {"question": "went-wrong", "op": "answered"}

    [problem] = problems_of(data)

    assert problem.field == "pages[1].questions[1].show_if.question"
    assert "not answered yet" in problem.problem


def test_check_definition_allows_branch_on_its_own_page_questions(
    nps_survey: SurveyDefinition,
) -> None:
    branch = nps_survey.pages[0].branches[0]

    assert branch.if_ is not None
    assert check_definition(nps_survey) == []


def test_check_definition_reports_operator_that_does_not_fit(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][1]["questions"][0]["show_if"] = {"question": "nps", "op": "contains", "value": 6}

    [problem] = problems_of(data)

    assert problem.field == "pages[1].questions[0].show_if.op"
    assert "`contains` does not fit `nps`" in problem.problem


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ({"question": "nps", "op": "lte", "value": 11}, "not a score"),
        ({"question": "nps", "op": "in", "value": 5}, "needs a list"),
        ({"question": "nps", "op": "lte"}, "needs one value"),
        ({"question": "nps", "op": "answered", "value": 1}, "takes no value"),
    ],
)
def test_check_definition_reports_bad_condition_value(
    condition: dict[str, Any], words: str, nps_data: dict[str, Any]
) -> None:
    data = nps_data
    data["pages"][1]["questions"][0]["show_if"] = condition

    [problem] = problems_of(data)

    assert problem.field == "pages[1].questions[0].show_if.value"
    assert words in problem.problem


def test_check_definition_reports_unknown_choice_id_in_nested_condition(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][2]["show_if"] = {
        "not": {"any": [{"question": "topics", "op": "contains", "value": "food"}]}
    }

    [problem] = problems_of(data)

    assert problem.field == "pages[2].show_if.not.any[0].value"
    assert "price, staff, other" in (problem.fix or "")


def test_check_definition_reports_branch_to_missing_page(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][0]["branches"][0]["goto"] = "finish"

    [problem] = problems_of(data)

    assert problem.field == "pages[0].branches[0].goto"
    assert "`finish`" in problem.problem
    assert "`end`" in (problem.fix or "")


def test_check_definition_reports_branch_back_as_loop(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][2]["branches"] = [{"goto": "why"}]

    [problem] = problems_of(data)

    assert problem.field == "pages[2].branches[0].goto"
    assert "loop" in problem.problem


def test_check_definition_reports_unreachable_page_and_its_questions(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][0]["branches"] = [{"goto": "details"}]
    data["pages"][2]["show_if"] = None

    problems = problems_of(data)

    assert [p.field for p in problems] == ["pages[1]"]
    assert "`went-wrong`, `topics`" in problems[0].problem


def test_check_definition_reports_branch_after_unconditional_branch(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][0]["branches"] = [{"goto": "why"}, {"goto": "end"}]

    fields = [p.field for p in problems_of(data)]

    assert "pages[0].branches[1]" in fields


def test_check_definition_reports_pipe_of_a_later_answer(nps_data: dict[str, Any]) -> None:
    data = nps_data
    data["pages"][0]["questions"][0]["text"]["en"] = "After {{answers.topics}}, recommend us?"

    [problem] = problems_of(data)

    assert problem.field == "pages[0].questions[0].text"
    assert "{{answers.topics}}" in problem.problem


def test_check_definition_reports_text_without_default_language(nps_data: dict[str, Any]) -> None:
    data = nps_data | {"title": {"fr": "Votre avis"}}

    [problem] = problems_of(data)

    assert problem.field == "title"
    assert '"en"' in (problem.fix or "")


def test_check_translations_warns_about_missing_and_undeclared_languages(
    nps_data: dict[str, Any],
) -> None:
    data = nps_data
    data["pages"][1]["questions"][0]["text"] = "What went wrong?"
    data["pages"][1]["questions"][1]["text"]["de"] = "Welche Themen?"

    problems = check_translations(SurveyDefinition.model_validate(data))

    assert [p.field for p in problems] == [
        "pages[1].questions[0].text",
        "pages[1].questions[1].text",
    ]
    assert "`fr`" in problems[0].problem
    assert "`de`" in problems[1].problem
    assert check_definition(SurveyDefinition.model_validate(data)) == []
