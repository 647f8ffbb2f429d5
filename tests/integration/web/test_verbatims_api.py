"""`/v1/verbatims/summary`, and open-text answers analysed off the request path."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import FOUND_IT_SURVEY, Tenant, make_published_survey
from journeyscope import verbatims
from journeyscope.store import Database
from journeyscope.verbatims import analyzing


@pytest.fixture
def shop(db: Database, tenant: Tenant) -> Tenant:
    make_published_survey(db, tenant, key="till", definition=FOUND_IT_SURVEY)
    return tenant


def test_a_completed_response_is_analysed_by_the_worker_not_the_request(
    client: TestClient, shop: Tenant, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = analyzing.analyse_texts

    def counted(texts: list[str], **kwargs: Any) -> Any:
        calls.append(len(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(analyzing, "analyse_texts", counted)
    body = {
        "id": str(uuid.uuid4()),
        "survey_key": "till",
        "channel": "onsite",
        "answers": {"found": "no", "note": "The queue was far too slow"},
        "complete": True,
    }
    saved = client.post("/v1/responses", headers=shop.headers, json=body)
    assert saved.status_code == 201, saved.text
    before = client.get("/v1/verbatims/summary?journey=retail", headers=shop.headers).json()
    assert (calls, before["pending"], before["groups"][0]["verbatims"]) == ([], 1, 0)
    verbatims.analyse_queued(db)  # the worker's pass
    assert calls == [1]
    after = client.get("/v1/verbatims/summary?journey=retail", headers=shop.headers)
    assert after.status_code == 200
    [group] = after.json()["groups"]
    assert (group["key"], group["name"], group["verbatims"]) == ("buy", "Buy", 1)
    assert after.json()["pending"] == 0 and group["valence"] < 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("journey=retail&by=channel", "by"),
        ("journey=retail&since=yesterday", "since"),
        ("journey=retail&since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "since"),
        ("by=stage", "journey"),
    ],
)
def test_bad_parameters_are_problems_naming_the_field(
    client: TestClient, shop: Tenant, query: str, field: str
) -> None:
    answer = client.get(f"/v1/verbatims/summary?{query}", headers=shop.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_an_unknown_journey_is_404(client: TestClient, shop: Tenant) -> None:
    answer = client.get("/v1/verbatims/summary?journey=nope", headers=shop.headers)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_summary_needs_an_api_key(client: TestClient) -> None:
    assert client.get("/v1/verbatims/summary?journey=retail").status_code == 401
