from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import RETAIL_JOURNEY as JOURNEY
from factories import VISIT_SURVEY as DEFINITION
from factories import Tenant
from journeyscope import collection
from journeyscope.store import Database


@pytest.fixture
def published(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=JOURNEY)
    body = {
        "key": "visit",
        "name": "Visit",
        "definition": DEFINITION,
        "touchpoint": {"journey_key": "retail", "touchpoint_key": "till"},
    }
    assert client.post("/v1/surveys", headers=tenant.headers, json=body).status_code == 201
    assert client.post("/v1/surveys/visit/publish", headers=tenant.headers).status_code == 201


def _send(client: TestClient, tenant: Tenant, **fields: Any):  # type: ignore[no-untyped-def]
    body = {"survey_key": "visit", "channel": "onsite", **fields}
    return client.post("/v1/responses", headers=tenant.headers, json=body)


@pytest.mark.usefixtures("published")
def test_pages_merge_under_one_id_and_completion_writes_facts(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    rid = str(uuid.uuid4())
    first = _send(client, tenant, id=rid, answers={"nps": 4})
    assert (first.status_code, first.json()["is_complete"]) == (201, False)
    last = _send(client, tenant, id=rid, answers={"wrong": "Long queue", "ease": 3}, complete=True)
    assert last.status_code == 200, last.text
    assert last.json()["answers"] == {"nps": 4, "wrong": "Long queue", "ease": 3}
    assert last.json()["version"] == 1
    facts = collection.metric_facts(db, workspace_id=tenant.id, response_id=uuid.UUID(rid))
    assert sorted((f["metric"], f["value"]) for f in facts) == [("ces", 3), ("nps", 4)]
    again = _send(client, tenant, id=rid, answers={"nps": 10}, complete=True)
    assert (again.status_code, again.json()["answers"]["nps"]) == (200, 4)
    assert len(collection.metric_facts(db, workspace_id=tenant.id, response_id=uuid.UUID(rid))) == 2


@pytest.mark.usefixtures("published")
def test_required_questions_on_the_path_are_enforced_at_completion(
    client: TestClient, tenant: Tenant
) -> None:
    missing = _send(client, tenant, id=str(uuid.uuid4()), answers={"nps": 3}, complete=True)
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["answers.wrong"]
    promoter = _send(client, tenant, id=str(uuid.uuid4()), answers={"nps": 10}, complete=True)
    assert promoter.status_code == 201, promoter.text


@pytest.mark.usefixtures("published")
def test_bad_answers_are_named_and_nothing_is_saved(client: TestClient, tenant: Tenant) -> None:
    rid = str(uuid.uuid4())
    bad = _send(client, tenant, id=rid, answers={"nps": 11, "nope": 1})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"answers.nps", "answers.nope"}
    assert client.get(f"/v1/responses/{rid}", headers=tenant.headers).status_code == 404


def test_an_unpublished_survey_cannot_be_answered(client: TestClient, tenant: Tenant) -> None:
    client.post(
        "/v1/surveys",
        headers=tenant.headers,
        json={"key": "visit", "name": "Visit", "definition": DEFINITION},
    )
    response = _send(client, tenant, id=str(uuid.uuid4()), answers={"nps": 5})
    assert response.status_code == 409
    assert "publish" in response.json()["hint"]


@pytest.mark.usefixtures("published")
def test_responses_keep_the_version_they_started_on(client: TestClient, tenant: Tenant) -> None:
    rid = str(uuid.uuid4())
    _send(client, tenant, id=rid, answers={"nps": 4})
    changed = {**DEFINITION, "title": "Changed"}
    client.put("/v1/surveys/visit/draft", headers=tenant.headers, json=changed)
    assert client.post("/v1/surveys/visit/publish", headers=tenant.headers).json()["number"] == 2
    done = _send(client, tenant, id=rid, answers={"wrong": "x"}, complete=True)
    assert done.json()["version"] == 1
    fresh = _send(client, tenant, id=str(uuid.uuid4()), answers={"nps": 9}, complete=True)
    assert fresh.json()["version"] == 2


@pytest.mark.usefixtures("published")
def test_another_workspace_cannot_see_or_reuse_a_response(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    from factories import make_tenant

    rid = str(uuid.uuid4())
    _send(client, tenant, id=rid, answers={"nps": 4})
    other = make_tenant(db, "globex")
    assert client.get(f"/v1/responses/{rid}", headers=other.headers).status_code == 404
    assert _send(client, other, id=rid, answers={"nps": 4}).status_code == 404  # no survey there
