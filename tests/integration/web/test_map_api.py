"""`GET /v1/journeys/{key}/map`: the map model as JSON, scoped to the key's workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_tenant
from journeyscope import simulation
from journeyscope.clock import FixedClock
from journeyscope.store import Database

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def simulated(db: Database, tenant: Tenant) -> None:
    simulation.simulate(
        db, workspace_id=tenant.id, start=dt.date(2027, 2, 15), days=14,
        responses_per_day=30, seed=5, journey_key="saas-app",
    )  # fmt: skip


@pytest.mark.usefixtures("simulated")
def test_the_map_answers_stages_metrics_curves_and_evidence(
    client: TestClient, tenant: Tenant
) -> None:
    got = client.get(
        "/v1/journeys/saas-app/map",
        headers=tenant.headers,
        params={"since": "2027-02-15", "until": "2027-03-01", "min_n": 5},
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["journey_key"], body["since"], body["until"], body["min_n"]) == (
        "saas-app",
        "2027-02-15",
        "2027-03-01",
        5,
    )
    first = body["stages"][0]
    assert first["key"] == "awareness"
    nps = next(m for m in first["metrics"] if m["metric"] == "nps")
    assert nps["estimate"]["n"] == sum(p["n"] for p in nps["trend"]) > 0
    assert nps["estimate"]["method"] == "adjusted-wald"
    assert first["survey_feeling"]["source"] == "nps"
    assert first["interview_feeling"] == {
        "stage": "awareness",
        "source": "none",
        "estimate": first["interview_feeling"]["estimate"],
        "basis": "turns",
        "turns": 0,
    }
    assert {"key", "name", "channel", "metrics", "changes"} <= set(first["touchpoints"][0])


@pytest.mark.usefixtures("simulated")
def test_a_filter_narrows_the_answers(client: TestClient, tenant: Tenant) -> None:
    def awareness_n(params: dict[str, str]) -> int:
        got = client.get("/v1/journeys/saas-app/map", headers=tenant.headers, params=params)
        assert got.status_code == 200, got.text
        return int(got.json()["stages"][0]["survey_feeling"]["estimate"]["n"])

    assert 0 < awareness_n({"filter": "channel=website"}) < awareness_n({})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"filter": "stage=purchase"}, "filter"),
        ({"since": "2027-03-01", "until": "2027-02-01"}, "since"),
        ({"confidence": "1.5"}, "confidence"),
        ({"until": "0001-01-02"}, "until"),
    ],
)
@pytest.mark.usefixtures("simulated")
def test_bad_parameters_are_named(
    client: TestClient, tenant: Tenant, params: dict[str, str], field: str
) -> None:
    got = client.get("/v1/journeys/saas-app/map", headers=tenant.headers, params=params)
    assert got.status_code == 422, got.text
    assert field in got.text


@pytest.mark.usefixtures("simulated")
def test_unknown_journeys_other_workspaces_and_no_key_get_nothing(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    other = make_tenant(db, slug="other")
    assert client.get("/v1/journeys/nope/map", headers=tenant.headers).status_code == 404
    assert client.get("/v1/journeys/saas-app/map", headers=other.headers).status_code == 404
    assert client.get("/v1/journeys/saas-app/map").status_code == 401
