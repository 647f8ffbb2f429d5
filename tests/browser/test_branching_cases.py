"""The kiosk's and the widget's branching, run in Chromium on the cases the server passes.

Each client's real script is loaded into a blank page and its flow functions are evaluated on
every case of tests/data/branching_cases.json, with the surveys in the shape the server sends
to clients (:func:`~journeyscope.collection.widget.client_definition`). The server's side of
the same cases is tests/unit/surveys/test_branching_cases.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

import branching_cases
from journeyscope.collection.widget import client_definition
from journeyscope.surveys import Condition, SurveyDefinition

pytestmark = pytest.mark.browser

STATIC = Path(__file__).parents[2] / "src" / "journeyscope" / "web" / "static"
CLIENTS = {
    "kiosk": STATIC / "kiosk" / "flow.js",
    "widget": STATIC / "widget" / "journeyscope.js",
}
CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
RUN_CASES = """({client, conditions, paths}) => {
    const f = client === "kiosk" ? window.JourneyscopeFlow : window.journeyscope.flow;
    return {
        conditions: conditions.map((c) => f.evaluate(c.condition, c.answers)),
        paths: paths.map((c) => {
            const visible = f.visibleQuestions(c.pages, c.answers);
            return {
                path: f.path(c.pages, c.answers),
                visible: visible.map((q) => q.id),
                missing: visible.filter((q) => f.isMissing(q, c.answers)).map((q) => q.id),
                hidden: f.hiddenAnswers(c.pages, c.answers),
            };
        }),
    };
}"""


def _client_pages(survey: dict[str, Any]) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = client_definition(SurveyDefinition.model_validate(survey), "en")[
        "pages"
    ]
    return pages


def _cases() -> dict[str, Any]:
    """The cases as a client sees them: conditions and pages as the server serializes them."""
    pages = {name: _client_pages(data) for name, data in branching_cases.surveys().items()}
    conditions = [
        {
            "condition": CONDITION.dump_python(
                CONDITION.validate_python(case["condition"]), mode="json", by_alias=True
            ),
            "answers": case["answers"],
        }
        for case in branching_cases.conditions()
    ]
    paths = [
        {"pages": pages[case["survey"]], "answers": case["answers"]}
        for case in branching_cases.paths()
    ]
    return {"conditions": conditions, "paths": paths}


@pytest.fixture(scope="module")
def results(browser: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Client name → what its script answers for every case, computed once per module."""
    context = browser.new_context()
    found = {}
    for client, script in CLIENTS.items():
        page = context.new_page()
        page.add_script_tag(path=str(script))
        found[client] = page.evaluate(RUN_CASES, {"client": client, **_cases()})
    yield found
    context.close()


@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize(
    ("index", "case"),
    list(enumerate(branching_cases.conditions())),
    ids=[branching_cases.condition_id(c) for c in branching_cases.conditions()],
)
def test_condition_case(
    results: dict[str, dict[str, Any]], client: str, index: int, case: dict[str, Any]
) -> None:
    assert results[client]["conditions"][index] is case["holds"]


@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize(
    ("index", "case"),
    list(enumerate(branching_cases.paths())),
    ids=[c["name"] for c in branching_cases.paths()],
)
def test_path_case(
    results: dict[str, dict[str, Any]], client: str, index: int, case: dict[str, Any]
) -> None:
    found = results[client]["paths"][index]

    assert found["path"] == case["path"]
    assert found["visible"] == case["visible"]
    assert found["missing"] == case["missing"]
    assert sorted(found["hidden"]) == sorted(case["hidden"])
