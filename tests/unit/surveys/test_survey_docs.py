import json
import re
from pathlib import Path
from typing import Any, get_args

from journeyscope.surveys import (
    Question,
    SurveyDefinition,
    check_definition,
    list_templates,
    next_page,
)

DOC = (Path(__file__).resolve().parents[3] / "docs" / "survey-json.md").read_text()


def json_blocks() -> list[Any]:
    """Every JSON example; a fragment such as ``"pages": [...]`` is read inside ``{}``."""
    blocks = re.findall(r"```json\n(.*?)```", DOC, re.DOTALL)
    return [json.loads(f"{{{block}}}" if block.startswith('"') else block) for block in blocks]


def test_survey_doc_branching_example_is_a_valid_survey() -> None:
    [pages] = [block["pages"] for block in json_blocks()[1:] if "pages" in block]

    definition = SurveyDefinition.model_validate({"title": "T", "pages": pages})

    assert check_definition(definition) == []
    assert next_page(definition, "score", {"nps": 9}) is None


def test_survey_doc_first_example_is_a_valid_survey() -> None:
    definition = SurveyDefinition.model_validate(json_blocks()[0])

    assert check_definition(definition) == []


def test_survey_doc_question_examples_are_valid_questions() -> None:
    questions = [block for block in json_blocks() if "type" in block]

    survey = SurveyDefinition.model_validate(
        {"title": "T", "pages": [{"id": "p", "questions": questions}]}
    )

    assert [q.type for q in survey.questions()] == ["rating", "multi_choice", "matrix"]


def test_survey_doc_describes_every_question_type_and_template() -> None:
    union = get_args(get_args(Question)[0])
    types = [model.model_fields["type"].default for model in union]

    assert len(types) == 8
    assert all(f"`{name}`" in DOC for name in types)
    assert all(f"| `{t.key}` |" in DOC for t in list_templates())


def test_survey_doc_shows_the_messages_users_really_get() -> None:
    definition = SurveyDefinition.model_validate(
        {
            "title": "After your stay",
            "pages": [
                {
                    "id": "score",
                    "questions": [{"id": "nps", "type": "nps", "text": "Recommend us?"}],
                    "branches": [
                        {"if": {"question": "nps", "op": "gte", "value": 9}, "goto": "thanks"}
                    ],
                },
                {
                    "id": "why",
                    "questions": [
                        {
                            "id": "why",
                            "type": "open_text",
                            "text": "What went wrong?",
                            "show_if": {"question": "nsp", "op": "lte", "value": 6},
                        },
                        {
                            "id": "topics",
                            "type": "multi_choice",
                            "text": "Which topics?",
                            "choices": [{"id": "price", "label": "Price"}],
                            "show_if": {"question": "nps", "op": "contains", "value": "staff"},
                        },
                    ],
                },
            ],
        }
    )

    lines = [problem.describe() for problem in check_definition(definition)]

    assert len(lines) == 3
    assert all(line in DOC for line in lines)
