"""`GET /v1/changes`: what the worker's change-detection pass found."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import Tenant
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from journeyscope.worker import detect_changes_once
from metrics_support import START, make_journey, plant_daily_nps


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_a_planted_drop_shows_after_one_pass(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=120, drop_after=100)
    before = client.get("/v1/changes", headers=tenant.headers)
    assert before.json() == {"data": [], "next_cursor": None}
    detect_changes_once(db)
    got = client.get("/v1/changes?journey=retail&metric=nps", headers=tenant.headers)
    assert got.status_code == 200
    [change] = got.json()["data"]
    assert (change["stage"], change["touchpoint"], change["direction"]) == ("buy", "till", "down")
    assert change["low"] <= change["size"] <= change["high"] < 0


def test_a_flat_series_shows_no_change(client: TestClient, db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=120)
    detect_changes_once(db)
    assert client.get("/v1/changes", headers=tenant.headers).json()["data"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [("metric=rating", "metric"), ("since=yesterday", "since"), ("journey=Bad Key", "journey")],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, tenant: Tenant, query: str, field: str
) -> None:
    got = client.get(f"/v1/changes?{query}", headers=tenant.headers)
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in got.json()["errors"]]
