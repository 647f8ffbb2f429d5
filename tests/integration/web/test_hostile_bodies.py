"""Huge or hostile bodies get a small error document: one problem per flood, at most 50 listed.

Before: a 4 MB body of 300,000 unknown keys to a public endpoint answered a 43 MB error list,
and a 3 MB array of stages to ``POST /v1/journeys`` a 157 MB one. The answers' sizes and the
counts they report are checked here; how fast they come is for bench/, not for a test.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import RETAIL_JOURNEY, Tenant, make_published_survey
from journeyscope import journey
from journeyscope.errors import MAX_LISTED_PROBLEMS
from journeyscope.store import Database, tables

SMALL = 4_000
"""Bytes: an error document that says what is wrong and no more."""
JSON = {"content-type": "application/json"}


def _count(db: Database, table: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _flood(keys: int, **known: Any) -> bytes:
    body = {**known, **{f"k{i}": 1 for i in range(keys)}}
    return json.dumps(body).encode()


def _public_paths(db: Database, tenant: Tenant) -> dict[str, dict[str, Any]]:
    """Each anonymous JSON endpoint, with the smallest valid body it takes."""
    published = make_published_survey(db, tenant)
    till = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="till")
    visitor = str(uuid.uuid4())
    return {
        "/v1/public/workspaces/acme/eligibility": {"visitor": visitor},
        "/v1/public/workspaces/acme/displays": {"visitor": visitor, "survey": published.public_id},
        f"/v1/public/surveys/{published.public_id}/responses": {"id": str(uuid.uuid4())},
        f"/k/{till.public_id}/responses": {"id": str(uuid.uuid4())},
    }


def test_a_flood_of_unknown_keys_on_a_public_endpoint_is_one_small_problem(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    for path, body in _public_paths(db, tenant).items():
        answer = client.post(path, headers=JSON, content=_flood(20_000, **body))
        assert answer.status_code == 422, path
        assert len(answer.content) < SMALL, path
        [error] = answer.json()["errors"]
        assert error["field"] is None
        assert "20,000 fields it does not take ('k0', 'k1', 'k2', ...)" in error["problem"]


def test_a_few_unknown_keys_are_still_named_one_by_one(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    path, body = next(iter(_public_paths(db, tenant).items()))
    answer = client.post(path, json={**body, "colour": "red", "size": 9})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"colour", "size"}


def test_a_body_over_the_public_limit_is_a_small_413(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    for path, body in _public_paths(db, tenant).items():
        answer = client.post(path, headers=JSON, content=_flood(300_000, **body))  # ~4 MB
        assert answer.status_code == 413, path
        assert len(answer.content) < SMALL
        assert "262,144 bytes" in answer.json()["detail"]
        assert "JOURNEYSCOPE_MAX_PUBLIC_BODY_BYTES" in answer.json()["hint"]


def test_the_api_keeps_its_own_larger_body_limit(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    events = [{"type": "page.viewed", "properties": {"pad": "x" * 1_000}} for _ in range(500)]
    answer = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events})
    assert answer.status_code == 200  # ~0.5 MB, over the public limit, fine for the API
    assert answer.json()["created"] == 500
    assert _count(db, tables.Event) == 500


def test_a_huge_array_of_stages_is_one_small_problem(client: TestClient, tenant: Tenant) -> None:
    spec = {"key": "j", "name": "J", "stages": [1] * 500_000}  # 1.5 MB of wrong items
    answer = client.post("/v1/journeys", headers=tenant.headers | JSON, content=json.dumps(spec))
    assert answer.status_code == 422
    assert len(answer.content) < SMALL
    [error] = answer.json()["errors"]
    assert error["field"] == "stages" and "at most 100" in error["problem"]


def test_a_flood_of_bad_attribute_names_is_one_problem(client: TestClient, tenant: Tenant) -> None:
    attributes = {"x" * 101 + str(i): 1 for i in range(20_000)}  # every name too long
    answer = client.post(
        "/v1/contacts",
        headers=tenant.headers,
        json={"external_id": "C-1", "attributes": attributes},
    )
    assert answer.status_code == 422
    assert len(answer.content) < SMALL
    [error] = answer.json()["errors"]
    assert error["field"] == "attributes" and "20,000 entries; at most 200" in error["problem"]


@pytest.mark.parametrize("bad_items", [51, 1_000])
def test_at_most_50_errors_are_listed_and_the_rest_counted(
    client: TestClient, tenant: Tenant, bad_items: int
) -> None:
    events = [{"type": "has spaces"} for _ in range(bad_items)]
    answer = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events})
    assert answer.status_code == 422
    body = answer.json()
    assert len(body["errors"]) == MAX_LISTED_PROBLEMS
    assert [e["index"] for e in body["errors"]] == list(range(MAX_LISTED_PROBLEMS))
    assert body["errors_omitted"] == bad_items - MAX_LISTED_PROBLEMS
    assert body["detail"] == (
        f"The request has {bad_items:,} problems (the first 50 are listed); nothing was stored."
    )


def test_fifty_errors_or_fewer_carry_no_omitted_count(client: TestClient, tenant: Tenant) -> None:
    events = [{"type": "has spaces"} for _ in range(MAX_LISTED_PROBLEMS)]
    body = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events}).json()
    assert len(body["errors"]) == MAX_LISTED_PROBLEMS
    assert "errors_omitted" not in body


def test_a_domain_error_with_many_problems_lists_50(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    answers = {f"q{i}": 1 for i in range(120)}  # 120 unknown questions
    body = {"id": str(uuid.uuid4()), "survey_key": "visit", "channel": "email", "answers": answers}
    answer = client.post("/v1/responses", headers=tenant.headers, json=body)
    assert answer.status_code == 422
    assert len(answer.json()["errors"]) == MAX_LISTED_PROBLEMS
    assert answer.json()["errors_omitted"] == 120 - MAX_LISTED_PROBLEMS
    assert _count(db, tables.Response) == 0


def test_the_journey_limits_still_take_a_real_journey(client: TestClient, tenant: Tenant) -> None:
    stages = [
        {**RETAIL_JOURNEY["stages"][0], "key": f"s{i}", "touchpoints": []} for i in range(100)
    ]
    spec = {**RETAIL_JOURNEY, "stages": stages}
    assert client.post("/v1/journeys", headers=tenant.headers, json=spec).status_code == 201
    stored = client.get(f"/v1/journeys/{spec['key']}", headers=tenant.headers).json()
    assert [s["key"] for s in stored["stages"]] == [f"s{i}" for i in range(100)]
