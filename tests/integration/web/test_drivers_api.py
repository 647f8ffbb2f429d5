"""`GET /v1/drivers`: key drivers of a survey's completed answers over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from drivers_support import answer_why
from factories import Tenant
from journeyscope.store import Database

pytestmark = pytest.mark.usefixtures("answered")


@pytest.fixture
def answered(db: Database, tenant: Tenant) -> dict[str, list[float]]:
    """The "why" survey with 40 completed responses (drivers_support.answer_why)."""
    return answer_why(db, tenant)


def test_drivers_with_quadrants_and_the_competitor_view(client: TestClient, tenant: Tenant) -> None:
    got = client.get(
        "/v1/drivers?survey=why&target=nps&drivers=price&drivers=speed&bootstrap=20",
        headers=tenant.headers,
    )
    assert got.status_code == 200
    body = got.json()
    assert (body["n"], body["is_too_few"], body["drivers"][0]["driver"]) == (40, False, "speed")
    assert body["drivers"][0]["low"] is not None
    assert body["competitor"]["only_us"] == 20


def test_too_few_says_so_with_n(client: TestClient, tenant: Tenant) -> None:
    got = client.get(
        "/v1/drivers?survey=why&target=nps&drivers=price&min_n=100", headers=tenant.headers
    )
    assert (got.json()["is_too_few"], got.json()["n"], got.json()["drivers"]) == (True, 40, [])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("target=nps&drivers=nope", "drivers"),
        ("target=nps&drivers=price&method=ols", "method"),
        ("target=nps", "drivers"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_it(
    client: TestClient, tenant: Tenant, query: str, field: str
) -> None:
    got = client.get(f"/v1/drivers?survey=why&{query}", headers=tenant.headers)
    assert got.status_code == 422
    assert any(field in e["field"] for e in got.json()["errors"])
