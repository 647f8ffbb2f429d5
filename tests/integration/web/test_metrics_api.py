"""`GET /v1/metrics`, `GET /v1/metrics/compare` and segments in `PATCH /v1/workspace`."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from factories import Tenant
from journeyscope.analytics import estimate_nps
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from metrics_support import START, complete, make_journey, set_attributes

WEEK_1 = START.date()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def scored(db: Database, tenant: Tenant, clock: FixedClock) -> None:
    make_journey(db, tenant)
    for score, n in ((10, 20), (7, 5), (2, 5)):
        for _ in range(n):
            complete(db, tenant, score)
    clock.advance(days=7)
    for score in (10, 7, 2):
        for _ in range(10):
            complete(db, tenant, score)


@pytest.mark.usefixtures("scored")
def test_metrics_by_stage_and_week(client: TestClient, tenant: Tenant) -> None:
    got = client.get(
        "/v1/metrics",
        headers=tenant.headers,
        params={"metric": "nps", "by": "stage", "grain": "week", "journey": "retail"},
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["freshness"], body["statistic"], body["by"]) == ("transactional", "nps", ["stage"])
    first = body["data"][0]
    expected = estimate_nps(detractors=5, passives=5, promoters=20)
    assert (first["group"], first["label"], first["period"]) == (
        {"stage": "buy"},
        "2026-W10",
        "2026-03-02",
    )
    assert (first["value"], first["low"], first["n"]) == (expected.value, expected.low, 30)
    assert [c["label"] for c in body["data"]] == ["2026-W10", "2026-W11"]


@pytest.mark.usefixtures("scored")
def test_metrics_filtered_to_a_segment(client: TestClient, tenant: Tenant, db: Database) -> None:
    patched = client.patch("/v1/workspace", headers=tenant.headers, json={"segments": ["tier"]})
    assert (patched.status_code, patched.json()["segments"]) == (200, ["tier"])
    set_attributes(db, tenant, "C-1", tier="gold")
    complete(db, tenant, 10, contact="C-1")
    got = client.get(
        "/v1/metrics",
        headers=tenant.headers,
        params={"metric": "nps", "filters": "segment:tier=gold", "min_n": 50},
    )
    [cell] = got.json()["data"]
    assert (cell["n"], cell["value"], cell["is_too_few"]) == (1, None, True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"metric": "nps", "grain": "year"}, "grain"),
        ({"metric": "nps", "by": "colour"}, "by[0]"),
        ({"metric": "nps", "by": ["channel", "segment:tier"]}, "by"),
        ({"metric": "nps", "since": "2026-03-09", "until": "2026-03-02"}, "since"),
        ({"metric": "ces", "statistic": "nps"}, "statistic"),
        ({"metric": "nps", "confidence": "1.5"}, "confidence"),
    ],
)
def test_bad_parameters_answer_422_naming_the_parameter(
    client: TestClient, tenant: Tenant, params: dict[str, object], field: str
) -> None:
    got = client.get("/v1/metrics", headers=tenant.headers, params=params)
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in got.json()["errors"]] == [field]


@pytest.mark.usefixtures("scored")
def test_compare_gives_the_difference_with_its_interval(client: TestClient, tenant: Tenant) -> None:
    week_2 = WEEK_1 + dt.timedelta(7)
    got = client.get(
        "/v1/metrics/compare",
        headers=tenant.headers,
        params={"metric": "nps", "since": str(week_2), "until": str(week_2 + dt.timedelta(7))},
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["previous_since"] == str(WEEK_1)
    [cell] = body["data"]
    assert (cell["previous"]["n"], cell["current"]["n"]) == (30, 30)
    assert cell["difference"]["value"] == pytest.approx(0 - 0.5)
    assert cell["difference"]["p_value"] is not None


def test_segments_are_checked_names(client: TestClient, tenant: Tenant) -> None:
    got = client.patch("/v1/workspace", headers=tenant.headers, json={"segments": ["a b"]})
    assert got.status_code == 422
    assert got.json()["errors"][0]["field"] == "segments[0]"
