from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_tenant
from journeyscope.store import Database

JOURNEY = {
    "key": "retail",
    "name": "Retail",
    "stages": [
        {
            "key": "purchase",
            "name": "Purchase",
            "touchpoints": [{"key": "checkout", "name": "Checkout", "channel": "onsite"}],
        }
    ],
}


@pytest.fixture
def other(db: Database) -> Tenant:
    return make_tenant(db, "globex")


def test_another_workspaces_objects_are_404(
    client: TestClient, tenant: Tenant, other: Tenant
) -> None:
    assert client.post("/v1/journeys", headers=other.headers, json=JOURNEY).status_code == 201
    contact = client.post("/v1/contacts", headers=other.headers, json={"external_id": "c1"})
    event = client.post("/v1/events", headers=other.headers, json={"type": "sale.completed"})
    key = client.post("/v1/api-keys", headers=other.headers, json={"name": "x"})
    survey = {"key": "nps", "name": "NPS", "template": "relationship-nps"}
    assert client.post("/v1/surveys", headers=other.headers, json=survey).status_code == 201
    assert client.post("/v1/surveys/nps/publish", headers=other.headers).status_code == 201
    paths = [
        "/v1/journeys/retail",
        "/v1/journeys/retail/export",
        "/v1/journeys/retail/stages/purchase",
        "/v1/journeys/retail/touchpoints/checkout",
        f"/v1/contacts/{contact.json()['id']}",
        f"/v1/events/{event.json()['id']}",
        "/v1/surveys/nps",
        "/v1/surveys/nps/versions/1",
    ]
    for path in paths:
        assert client.get(path, headers=tenant.headers).status_code == 404, path
    assert client.delete("/v1/journeys/retail", headers=tenant.headers).status_code == 404
    revoke = client.delete(f"/v1/api-keys/{key.json()['id']}", headers=tenant.headers)
    assert revoke.status_code == 404
    patch = client.patch(
        f"/v1/contacts/{contact.json()['id']}", headers=tenant.headers, json={"name": "x"}
    )
    assert patch.status_code == 404
    for path in paths:
        assert client.get(path, headers=other.headers).status_code == 200, path


def test_lists_show_only_the_callers_workspace(
    client: TestClient, tenant: Tenant, other: Tenant
) -> None:
    client.post("/v1/contacts", headers=other.headers, json={"external_id": "c1"})
    client.post("/v1/events", headers=other.headers, json={"type": "sale.completed"})
    client.post("/v1/journeys", headers=other.headers, json=JOURNEY)
    client.post(
        "/v1/surveys",
        headers=other.headers,
        json={"key": "nps", "name": "NPS", "template": "relationship-nps"},
    )
    for path in ("/v1/contacts", "/v1/events", "/v1/journeys", "/v1/surveys"):
        assert client.get(path, headers=tenant.headers).json()["data"] == [], path
        assert len(client.get(path, headers=other.headers).json()["data"]) == 1, path


def test_same_keys_live_side_by_side_in_two_workspaces(
    client: TestClient, tenant: Tenant, other: Tenant
) -> None:
    for who in (tenant, other):
        assert client.post("/v1/journeys", headers=who.headers, json=JOURNEY).status_code == 201
        made = client.post("/v1/contacts", headers=who.headers, json={"external_id": "same"})
        assert made.status_code == 201
        event = {"type": "t", "idempotency_key": "k1"}
        assert client.post("/v1/events", headers=who.headers, json=event).status_code == 201
    for who in (tenant, other):  # each workspace reads back its own one of each
        [contact] = client.get("/v1/contacts", headers=who.headers).json()["data"]
        [event] = client.get("/v1/events", headers=who.headers).json()["data"]
        [journey] = client.get("/v1/journeys", headers=who.headers).json()["data"]
        keys = (contact["external_id"], event["idempotency_key"], journey["key"])
        assert keys == ("same", "k1", JOURNEY["key"])
