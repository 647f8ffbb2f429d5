"""`GET /v1/response-rates`: AAPOR rates with the counts behind them, over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_published_survey
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from outbox_support import plan_sales

START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_rates_per_channel_with_their_counts(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    plan_sales(db, tenant, 3)  # scheduled, not sent yet: unknown eligibility (UO)
    got = client.get("/v1/response-rates?by=channel&since=2026-05-04", headers=tenant.headers)
    assert got.status_code == 200
    [group] = got.json()["groups"]
    assert group["group"] == {"channel": "email"}
    assert (group["counts"]["pending"], group["aapor"]["UO"]) == (3, 3)
    assert group["rates"]["RR1"] == 0.0
    assert got.json()["total"]["aapor"] == group["aapor"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("by=region", "by"), ("since=2026-05-04&until=2026-05-04", "since"), ("until=x", "until")],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, tenant: Tenant, query: str, field: str
) -> None:
    got = client.get(f"/v1/response-rates?{query}", headers=tenant.headers)
    assert got.status_code == 422
    assert any(field in e["field"] for e in got.json()["errors"])
