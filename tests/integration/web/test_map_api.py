"""`GET /v1/journeys/{key}/map`: the map model as JSON, scoped to the key's workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_tenant
from journeyscope import simulation
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from metrics_support import declare_segments

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


@pytest.mark.usefixtures("simulated")
def test_the_map_answers_response_rates_and_quotes_sources(
    client: TestClient, tenant: Tenant
) -> None:
    body = client.get(
        "/v1/journeys/saas-app/map", headers=tenant.headers, params={"since": "2027-02-15"}
    ).json()
    rates = [s["response_rate"] for s in body["stages"]]
    assert sum(r["completed"] for r in rates) > 0
    for stage in body["stages"]:
        r = stage["response_rate"]
        assert r["rate"]["n"] == r["sent"] >= r["completed"] and r["invited"] >= r["sent"]
        assert r["sent"] == sum(t["response_rate"]["sent"] for t in stage["touchpoints"])
    assert body["comparison"] is None


@pytest.mark.usefixtures("simulated")
def test_the_map_compares_the_previous_period_or_another_segment(
    client: TestClient, tenant: Tenant, db: Database
) -> None:
    declare_segments(db, tenant, "tier")
    url, headers = "/v1/journeys/saas-app/map", tenant.headers
    previous = client.get(
        url,
        headers=headers,
        params={"since": "2027-02-22", "until": "2027-03-01", "compare": "previous", "min_n": 5},
    )
    assert previous.status_code == 200, previous.text
    cmp = previous.json()["comparison"]
    assert cmp["kind"] == "previous"
    assert (cmp["base"]["since"], cmp["base"]["until"]) == ("2027-02-15", "2027-02-22")
    nps = next(m for m in cmp["stages"][2]["metrics"] if m["metric"] == "nps")["difference"]
    assert nps["value"] == pytest.approx(nps["other"]["value"] - nps["base"]["value"])
    assert nps["low"] < nps["value"] < nps["high"] and 0 <= nps["p_value"] <= 1
    segments = client.get(
        url,
        headers=headers,
        params={"filter": "segment:tier=gold", "compare_segment": "tier=silver", "min_n": 5},
    )
    assert segments.status_code == 200, segments.text
    cmp = segments.json()["comparison"]
    assert cmp["kind"] == "segment"
    assert (cmp["base"]["filters"], cmp["other"]["filters"]) == (
        {"segment:tier": ["gold"]},
        {"segment:tier": ["silver"]},
    )
    both = client.get(
        url, headers=headers, params={"compare": "previous", "compare_segment": "tier=silver"}
    )
    assert both.status_code == 422 and "compare_segment" in both.text
    assert client.get(url, headers=headers, params={"compare": "later"}).status_code == 422
