"""Values no database can keep are 422s naming the field, and nothing is stored.

Date-times that fall outside years 1-9999 once in UTC, and ``NaN``/``Infinity`` (which
Python's JSON parsers read although they are not JSON): before, the first raised
``OverflowError`` (500) and the second was stored as ``null`` by SQLite and refused by
PostgreSQL (500).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import RETAIL_JOURNEY, Tenant, make_published_survey
from journeyscope import journey
from journeyscope.store import Database, tables

OUT_OF_RANGE = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59"]
NOT_JSON_NUMBERS = ["NaN", "Infinity", "-Infinity"]
JSON = {"content-type": "application/json"}


def _count(db: Database, table: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _problem(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _fields(response: Any) -> set[str]:
    return {e["field"] for e in _problem(response)["errors"]}


@pytest.mark.parametrize("when", OUT_OF_RANGE)
def test_out_of_range_event_times_are_422_single_and_batch(
    client: TestClient, tenant: Tenant, db: Database, when: str
) -> None:
    event = {"type": "sale.completed", "occurred_at": when}
    single = client.post("/v1/events", headers=tenant.headers, json=event)
    batch = client.post("/v1/events/batch", headers=tenant.headers, json={"events": [event]})
    assert _fields(single) == {"occurred_at"}
    assert _fields(batch) == {"events[0].occurred_at"}
    problem = _problem(single)["errors"][0]["problem"]
    assert "outside the dates that can be stored" in problem
    assert "9999-12-31T23:59:59Z" in problem  # the fix: the range that works
    assert _count(db, tables.Event) == 0


@pytest.mark.parametrize("when", OUT_OF_RANGE)
@pytest.mark.parametrize("param", ["since", "until"])
def test_out_of_range_event_filters_are_422_naming_the_query_parameter(
    client: TestClient, tenant: Tenant, when: str, param: str
) -> None:
    answer = client.get("/v1/events", headers=tenant.headers, params={param: when})
    [error] = _problem(answer)["errors"]
    assert (error["field"], error["location"]) == (param, "query")


def test_the_extreme_times_that_exist_in_utc_are_stored(client: TestClient, tenant: Tenant) -> None:
    for when in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59+00:00", "0001-01-01T14:00:00+14:00"):
        made = client.post(
            "/v1/events", headers=tenant.headers, json={"type": "a", "occurred_at": when}
        )
        assert made.status_code == 201, made.text
        stored = client.get(f"/v1/events/{made.json()['id']}", headers=tenant.headers).json()
        assert dt.datetime.fromisoformat(stored["occurred_at"]) == dt.datetime.fromisoformat(when)


@pytest.mark.parametrize("when", OUT_OF_RANGE)
def test_an_out_of_range_interview_date_is_422_naming_it(
    client: TestClient, tenant: Tenant, db: Database, when: str
) -> None:
    answer = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        params={"analyze": "false"},
        data={"text": "Interviewer: How was it?\nSam: Fine.", "interviewed_at": when},
    )
    assert _fields(answer) == {"interviewed_at"}
    assert _count(db, tables.Interview) == 0


def _raw(client: TestClient, path: str, body: str, headers: dict[str, str]) -> Any:
    return client.post(path, headers=headers | JSON, content=body)


@pytest.mark.parametrize("number", NOT_JSON_NUMBERS)
def test_nan_and_infinity_in_event_properties_are_422_on_every_ingest_path(
    client: TestClient, tenant: Tenant, db: Database, number: str
) -> None:
    event = f'{{"type": "a", "properties": {{"cart": {{"items": [1, {number}]}}}}}}'
    single = _raw(client, "/v1/events", event, tenant.headers)
    batch = _raw(client, "/v1/events/batch", f'{{"events": [{event}]}}', tenant.headers)
    assert _fields(single) == {"properties"}
    assert _fields(batch) == {"events[0].properties"}
    problem = _problem(single)["errors"][0]["problem"]
    assert f"{number} at cart.items[1]" in problem
    assert _count(db, tables.Event) == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/contacts", '{"external_id": "C-1", "attributes": {"ltv": NaN}}', "attributes"),
        (
            "/v1/contacts/upsert",
            '{"external_id": "C-1", "attributes": {"x": [Infinity]}}',
            "attributes",
        ),
        (
            "/v1/events",
            '{"type": "a", "contact_external_id": "C-1", "contact": {"attributes": {"x": NaN}}}',
            "contact.attributes",
        ),
    ],
)
def test_nan_in_contact_attributes_is_422(
    client: TestClient, tenant: Tenant, db: Database, path: str, body: str, field: str
) -> None:
    assert _fields(_raw(client, path, body, tenant.headers)) == {field}
    assert _count(db, tables.Contact) == 0


def test_nan_in_response_answers_is_422_from_the_api_the_widget_and_the_kiosk(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    published = make_published_survey(db, tenant)
    point = journey.get_touchpoint(db, workspace_id=tenant.id, journey_key="retail", key="till")
    answers = '"answers": {"nps": NaN}'
    api = f'{{"id": "{uuid.uuid4()}", "survey_key": "visit", "channel": "email", {answers}}}'
    public = f'{{"id": "{uuid.uuid4()}", {answers}}}'
    for path, body, headers in [
        ("/v1/responses", api, tenant.headers),
        (f"/v1/public/surveys/{published.public_id}/responses", public, {}),
        (f"/k/{point.public_id}/responses", public, {}),
    ]:
        assert _fields(_raw(client, path, body, headers)) == {"answers"}, path
    assert _count(db, tables.Response) == 0


def test_nan_in_a_journeys_rules_is_422(client: TestClient, tenant: Tenant, db: Database) -> None:
    spec = {**RETAIL_JOURNEY, "rules": [{"key": "r", "sampling_percent": "__NAN__"}]}
    body = json.dumps(spec).replace('"__NAN__"', "NaN")
    assert _fields(_raw(client, "/v1/journeys", body, tenant.headers)) == {"rules[0]"}
    assert _count(db, tables.Journey) == 0


def test_infinity_in_a_surveys_logic_is_422(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    branch = {"if": {"question": "nps", "op": "gte", "value": "__INF__"}, "goto": "end"}
    page = {"id": "p", "questions": [{"id": "nps", "type": "nps", "text": "Recommend us?"}]}
    definition = {"title": "Visit", "pages": [{**page, "branches": [branch]}]}
    survey = {"key": "visit", "name": "Visit", "definition": definition}
    body = json.dumps(survey).replace('"__INF__"', "Infinity")
    fields = _fields(_raw(client, "/v1/surveys", body, tenant.headers))
    assert fields and all(f.startswith("definition.pages[0].branches[0].if") for f in fields)
    assert _count(db, tables.Survey) == 0
