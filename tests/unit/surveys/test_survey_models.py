from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from journeyscope.surveys import (
    END,
    CesQuestion,
    Metric,
    NpsQuestion,
    RatingQuestion,
    SurveyDefinition,
    check_answers,
    check_definition,
    respondent_path,
)


def survey(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"title": "T", "pages": [{"id": "p", "questions": list(questions)}]}


def test_question_type_picks_the_model_and_its_metric() -> None:
    definition = SurveyDefinition.model_validate(
        survey(
            {"id": "a", "type": "nps", "text": "?"},
            {"id": "b", "type": "ces", "text": "?"},
            {"id": "c", "type": "rating", "text": "?", "scale": 10},
        )
    )

    a, b, c = definition.questions()
    assert isinstance(a, NpsQuestion) and (a.metric, a.low, a.high) == (Metric.NPS, 0, 10)
    assert isinstance(b, CesQuestion) and (b.metric, b.low, b.high) == (Metric.CES, 1, 7)
    assert isinstance(c, RatingQuestion) and (c.metric, c.low, c.high) == (Metric.RATING, 1, 10)


@pytest.mark.parametrize(
    "question",
    [
        {"id": "a", "type": "smiley", "text": "?"},
        {"id": "Bad Id", "type": "nps", "text": "?"},
        {"id": "a", "type": "rating", "text": "?", "scale": 12},
        {"id": "a", "type": "nps", "text": "?", "scale": 5},
        {"id": "a", "type": "single_choice", "text": "?", "choices": []},
        {"id": "a", "type": "open_text", "text": {"EN": "?"}},
        {"id": "a", "type": "open_text", "text": "bad\x00text"},
    ],
)
def test_survey_definition_refuses_invalid_question(question: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        SurveyDefinition.model_validate(survey(question))


def test_survey_definition_is_frozen() -> None:
    definition = SurveyDefinition.model_validate(survey({"id": "a", "type": "nps", "text": "?"}))

    with pytest.raises(ValidationError):
        definition.title = "Other"  # type: ignore[misc]


def test_branch_and_not_keep_their_json_names() -> None:
    data = survey({"id": "a", "type": "nps", "text": "?"})
    data["pages"][0]["branches"] = [
        {"if": {"not": {"question": "a", "op": "answered"}}, "goto": END}
    ]

    dumped = SurveyDefinition.model_validate(data).model_dump(exclude_none=True)

    assert dumped["pages"][0]["branches"] == data["pages"][0]["branches"]


# --- properties ----------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
texts = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool),
    st.dictionaries(st.sampled_from(["en", "fr", "fr-CA"]), st.just("x"), min_size=1),
)
comparisons = st.fixed_dictionaries(
    {
        "question": ids,
        "op": st.sampled_from(["eq", "lte", "in", "contains", "answered"]),
        "value": st.one_of(st.none(), st.integers(-5, 15), ids, st.lists(ids, max_size=3)),
    }
)
conditions = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"all": st.lists(inner, max_size=3)}),
        st.fixed_dictionaries({"any": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
    ),
    max_leaves=5,
)
questions = st.one_of(
    st.fixed_dictionaries(
        {"id": ids, "type": st.sampled_from(["nps", "csat", "ces"]), "text": texts},
        optional={"show_if": conditions, "required": st.booleans()},
    ),
    st.fixed_dictionaries(
        {"id": ids, "type": st.just("rating"), "text": texts, "scale": st.integers(2, 11)}
    ),
    st.fixed_dictionaries(
        {
            "id": ids,
            "type": st.sampled_from(["single_choice", "multi_choice"]),
            "text": texts,
            "choices": st.lists(st.fixed_dictionaries({"id": ids, "label": texts}), min_size=1),
        },
        optional={"allow_other": st.booleans()},
    ),
)
page_ids = st.sampled_from(["p0", "p1", "p2", "p3", END])
pages = st.lists(
    st.fixed_dictionaries(
        {"questions": st.lists(questions, max_size=3)},
        optional={
            "show_if": conditions,
            "branches": st.lists(
                st.fixed_dictionaries({"goto": page_ids}, optional={"if": conditions}),
                max_size=2,
            ),
        },
    ),
    max_size=4,
)


def definitions_from(raw_pages: list[dict[str, Any]]) -> SurveyDefinition:
    numbered = [page | {"id": f"p{i}"} for i, page in enumerate(raw_pages)]
    return SurveyDefinition.model_validate({"title": "T", "languages": ["fr"], "pages": numbered})


@settings(max_examples=60, deadline=None)
@given(pages)
def test_survey_definition_survives_a_json_round_trip(raw_pages: list[dict[str, Any]]) -> None:
    definition = definitions_from(raw_pages)

    assert SurveyDefinition.model_validate_json(definition.model_dump_json()) == definition


@settings(max_examples=60, deadline=None)
@given(pages, st.dictionaries(ids, st.one_of(st.integers(0, 10), ids, st.lists(ids))))
def test_respondent_path_always_ends_without_repeating_a_page(
    raw_pages: list[dict[str, Any]], answers: dict[str, Any]
) -> None:
    definition = definitions_from(raw_pages)

    path = respondent_path(definition, answers)

    assert len(path) == len(set(path)) <= len(definition.pages)


@settings(max_examples=60, deadline=None)
@given(pages, st.dictionaries(ids, st.one_of(st.integers(-1, 12), ids, st.lists(ids))))
def test_checks_name_problems_instead_of_raising(
    raw_pages: list[dict[str, Any]], answers: dict[str, Any]
) -> None:
    definition = definitions_from(raw_pages)

    problems = check_definition(definition) + check_answers(definition, answers, complete=True)

    assert all(p.problem and p.fix for p in problems)
