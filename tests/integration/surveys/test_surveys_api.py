from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import RETAIL_JOURNEY as JOURNEY
from factories import VISIT_SURVEY as DEFINITION
from factories import Tenant


@pytest.fixture
def survey(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    body = {"key": "visit", "name": "Visit", "definition": DEFINITION}
    made = client.post("/v1/surveys", headers=tenant.headers, json=body)
    assert made.status_code == 201, made.text
    return made.json()


def test_a_created_survey_keeps_its_draft_and_is_unpublished(
    survey: dict[str, Any], client: TestClient, tenant: Tenant
) -> None:
    assert survey["published_version"] is None
    got = client.get("/v1/surveys/visit", headers=tenant.headers).json()
    assert got["draft"]["pages"][0]["branches"][0]["if"] == {
        "question": "nps",
        "op": "gte",
        "value": 9,
    }
    listed = client.get("/v1/surveys", headers=tenant.headers).json()["data"]
    assert [s["key"] for s in listed] == ["visit"]


def test_duplicate_key_is_a_conflict(
    survey: dict[str, Any], client: TestClient, tenant: Tenant
) -> None:
    again = client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={"key": "visit", "name": "Again", "definition": DEFINITION},
    )
    assert again.status_code == 409
    listed = client.get("/v1/surveys", headers=tenant.headers).json()["data"]
    assert [(s["key"], s["name"]) for s in listed] == [("visit", "Visit")]


def test_definition_or_template_is_required_but_not_both(
    client: TestClient, tenant: Tenant
) -> None:
    for extra in ({}, {"definition": DEFINITION, "template": "relationship-nps"}):
        response = client.post(
            "/v1/surveys", headers=tenant.headers, json={"key": "x", "name": "X", **extra}
        )
        assert response.status_code == 422, extra
    assert client.get("/v1/surveys", headers=tenant.headers).json()["data"] == []


def test_publish_freezes_versions(
    survey: dict[str, Any], client: TestClient, tenant: Tenant
) -> None:
    first = client.post("/v1/surveys/visit/publish", headers=tenant.headers)
    assert (first.status_code, first.json()["number"]) == (201, 1)
    same = client.post("/v1/surveys/visit/publish", headers=tenant.headers)
    assert (same.status_code, same.json()["number"]) == (200, 1)
    changed = copy.deepcopy(DEFINITION)
    changed["title"] = "After your stay"
    assert (
        client.put("/v1/surveys/visit/draft", headers=tenant.headers, json=changed).status_code
        == 200
    )
    second = client.post("/v1/surveys/visit/publish", headers=tenant.headers)
    assert (second.status_code, second.json()["number"]) == (201, 2)
    v1 = client.get("/v1/surveys/visit/versions/1", headers=tenant.headers).json()
    assert v1["definition"]["title"] == "After your visit"
    assert client.get("/v1/surveys/visit", headers=tenant.headers).json()["published_version"] == 2
    assert client.get("/v1/surveys/visit/versions/3", headers=tenant.headers).status_code == 404


def test_a_draft_with_problems_cannot_be_published(
    survey: dict[str, Any], client: TestClient, tenant: Tenant
) -> None:
    broken = copy.deepcopy(DEFINITION)
    broken["pages"][1]["questions"][0]["show_if"] = {"question": "nope", "op": "answered"}
    assert (
        client.put("/v1/surveys/visit/draft", headers=tenant.headers, json=broken).status_code
        == 200
    )
    refused = client.post("/v1/surveys/visit/publish", headers=tenant.headers)
    assert refused.status_code == 422
    fields = [e["field"] for e in refused.json()["errors"]]
    assert any("show_if" in (f or "") for f in fields)
    assert (
        client.get("/v1/surveys/visit", headers=tenant.headers).json()["published_version"] is None
    )


def test_a_survey_attaches_to_a_touchpoint(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=JOURNEY)
    ref = {"journey_key": "retail", "touchpoint_key": "till"}
    made = client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={"key": "till", "name": "Till", "definition": DEFINITION, "touchpoint": ref},
    )
    assert made.json()["touchpoint"] == ref
    missing = client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={
            "key": "t2",
            "name": "T2",
            "definition": DEFINITION,
            "touchpoint": {"journey_key": "retail", "touchpoint_key": "nope"},
        },
    )
    assert missing.status_code == 404


def test_templates_create_publishable_surveys(client: TestClient, tenant: Tenant) -> None:
    templates = client.get("/v1/survey-templates", headers=tenant.headers).json()["data"]
    assert len(templates) >= 10
    for template in templates:
        key = f"t-{template['key']}"
        made = client.post(
            "/v1/surveys",
            headers=tenant.headers,
            json={"key": key, "name": template["name"], "template": template["key"]},
        )
        assert made.status_code == 201, made.text
        assert made.json()["template_key"] == template["key"]
        full = client.get(f"/v1/survey-templates/{template['key']}", headers=tenant.headers)
        if full.json()["placeholders"]:
            refused = client.post(f"/v1/surveys/{key}/publish", headers=tenant.headers)
            assert refused.status_code == 422, refused.text
        published = client.post(
            f"/v1/surveys/{key}/publish?allow_placeholders=true", headers=tenant.headers
        )
        assert published.status_code == 201, published.text
    unknown = client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={"key": "u", "name": "U", "template": "no-such-template"},
    )
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DEFINITION, "title": "a\u0000b"}, "definition.title"),
        ({**DEFINITION, "pages": "not a list"}, "definition.pages"),
        ({**DEFINITION, "colour": "red"}, "definition.colour"),
        (
            {
                **DEFINITION,
                "pages": [
                    {"id": "p", "questions": [{"id": "q", "type": "telepathy", "text": "?"}]}
                ],
            },
            "definition.pages[0].questions[0]",
        ),
        (
            {
                **DEFINITION,
                "pages": [
                    {
                        "id": "p",
                        "questions": [{"id": "q", "type": "nps", "text": "?"}],
                        "branches": [
                            {
                                "if": {
                                    "not": {
                                        "not": {
                                            "not": {"question": "q", "op": "eq", "value": [[1]]}
                                        }
                                    }
                                },
                                "goto": "end",
                            }
                        ],
                    }
                ],
            },
            "definition.pages[0].branches[0].if",
        ),
    ],
)
def test_bad_definitions_are_422_naming_the_field(
    client: TestClient, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    response = client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={"key": "bad", "name": "Bad", "definition": body},
    )
    assert response.status_code == 422, response.text
    assert any((e["field"] or "").startswith(field) for e in response.json()["errors"]), (
        response.json()["errors"]
    )
    draft = client.put("/v1/surveys/bad/draft", headers=tenant.headers, json=body)
    assert draft.status_code == 422  # the body is checked before the survey is looked up


def test_publishing_refuses_template_placeholders_until_replaced(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"key": "why", "name": "Why us", "template": "post-purchase-why-us"}
    assert client.post("/v1/surveys", headers=tenant.headers, json=body).status_code == 201
    refused = client.post("/v1/surveys/why/publish", headers=tenant.headers)
    assert refused.status_code == 422
    problem = refused.json()
    assert [(e["field"], e["problem"]) for e in problem["errors"]] == [
        (
            "pages[0].questions[0].description",
            "Question `considered` still shows the template's placeholder "
            '"Edit this list to name your competitors.".',
        ),
        *(
            (
                f"pages[0].questions[0].choices[{i}].label",
                "Question `considered` still shows the template's placeholder "
                f'"Competitor {letter}".',
            )
            for i, letter in enumerate("ABC")
        ),
    ]
    assert "allow_placeholders=true" in problem["hint"]
    draft = client.get("/v1/surveys/why", headers=tenant.headers).json()["draft"]
    question = draft["pages"][0]["questions"][0]
    question["description"] = None
    question["choices"] = [
        {"id": "northwind", "label": "Northwind"},
        {"id": "competitor-b", "label": "Harbor & Pine"},
        *question["choices"][3:],
    ]
    replaced = client.put("/v1/surveys/why/draft", headers=tenant.headers, json=draft)
    assert replaced.status_code == 200, replaced.text
    published = client.post("/v1/surveys/why/publish", headers=tenant.headers)
    assert published.status_code == 201, published.text
    assert published.json()["number"] == 1


def test_publishing_with_placeholders_allowed_keeps_them(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"key": "why", "name": "Why us", "template": "post-purchase-why-us"}
    client.post("/v1/surveys", headers=tenant.headers, json=body)
    published = client.post(
        "/v1/surveys/why/publish?allow_placeholders=true", headers=tenant.headers
    )
    assert published.status_code == 201
    labels = [
        c["label"] for c in published.json()["definition"]["pages"][0]["questions"][0]["choices"]
    ]
    assert labels[0] == "Competitor A"
    stored = client.get("/v1/surveys/why", headers=tenant.headers).json()
    assert stored["published_version"] == 1
