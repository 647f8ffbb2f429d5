from __future__ import annotations

from fastapi.testclient import TestClient

from factories import Tenant
from journeyscope import journey

SPEC = {
    "key": "app",
    "name": "App",
    "stages": [
        {
            "key": "onboard",
            "name": "Onboarding",
            "touchpoints": [{"key": "welcome", "name": "Welcome screen", "channel": "in_app"}],
        },
        {"key": "support", "name": "Support"},
    ],
}


def test_create_get_list_and_conflict(client: TestClient, tenant: Tenant) -> None:
    made = client.post("/v1/journeys", headers=tenant.headers, json=SPEC)
    assert made.status_code == 201
    assert [s["key"] for s in made.json()["stages"]] == ["onboard", "support"]
    assert client.post("/v1/journeys", headers=tenant.headers, json=SPEC).status_code == 409
    listed = client.get("/v1/journeys", headers=tenant.headers).json()
    assert [(j["key"], j["stage_count"], j["touchpoint_count"]) for j in listed["data"]] == [
        ("app", 2, 1)
    ]


def test_apply_endpoint_is_idempotent_and_prunes_on_request(
    client: TestClient, tenant: Tenant
) -> None:
    first = client.put("/v1/journeys/app", headers=tenant.headers, json=SPEC)
    second = client.put("/v1/journeys/app", headers=tenant.headers, json=SPEC)
    assert first.json()["changed"] is True
    assert second.json()["changed"] is False
    smaller = {**SPEC, "stages": SPEC["stages"][:1]}
    pruned = client.put(
        "/v1/journeys/app", headers=tenant.headers, json=smaller, params={"prune": "true"}
    ).json()
    assert {"kind": "stage", "key": "support", "action": "deleted"} in pruned["changes"]
    stored = client.get("/v1/journeys/app", headers=tenant.headers).json()
    assert [s["key"] for s in stored["stages"]] == ["onboard"]


def test_apply_refuses_a_body_whose_key_differs_from_the_path(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.put("/v1/journeys/other", headers=tenant.headers, json=SPEC)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "key"
    assert client.get("/v1/journeys", headers=tenant.headers).json()["data"] == []


def test_unknown_channel_in_json_names_the_field_and_the_choices(
    client: TestClient, tenant: Tenant
) -> None:
    bad = {
        **SPEC,
        "stages": [
            {"key": "s", "name": "S", "touchpoints": [{"key": "t", "name": "T", "channel": "fax"}]}
        ],
    }
    response = client.post("/v1/journeys", headers=tenant.headers, json=bad)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "stages[0].touchpoints[0].channel"
    assert "call_center" in error["fix"]


def test_export_yaml_applies_back_unchanged(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=SPEC)
    exported = client.get(
        "/v1/journeys/app/export", headers=tenant.headers, params={"format": "yaml"}
    )
    assert exported.headers["content-type"].startswith("application/yaml")
    spec = journey.load_journey_yaml(exported.text)
    body = spec.model_dump(mode="json")
    assert (
        client.put("/v1/journeys/app", headers=tenant.headers, json=body).json()["changed"] is False
    )
    as_json = client.get("/v1/journeys/app/export", headers=tenant.headers).json()
    assert as_json == spec.model_dump(mode="json")


def test_stage_crud_keeps_positions_dense(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=SPEC)
    base = "/v1/journeys/app/stages"
    added = client.post(
        base, headers=tenant.headers, json={"key": "discover", "name": "Discover", "position": 0}
    )
    assert added.status_code == 201
    keys = [s["key"] for s in client.get(base, headers=tenant.headers).json()["data"]]
    assert keys == ["discover", "onboard", "support"]
    client.patch(f"{base}/discover", headers=tenant.headers, json={"position": 2})
    stages = client.get(base, headers=tenant.headers).json()["data"]
    assert [(s["key"], s["position"]) for s in stages] == [
        ("onboard", 0),
        ("support", 1),
        ("discover", 2),
    ]
    assert client.delete(f"{base}/onboard", headers=tenant.headers).status_code == 204
    stages = client.get(base, headers=tenant.headers).json()["data"]
    assert [(s["key"], s["position"]) for s in stages] == [("support", 0), ("discover", 1)]
    taken = client.post(base, headers=tenant.headers, json={"key": "support", "name": "Again"})
    assert taken.status_code == 409


def test_touchpoint_crud_and_move(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=SPEC)
    base = "/v1/journeys/app/touchpoints"
    made = client.post(
        base,
        headers=tenant.headers,
        json={"key": "help", "name": "Help centre", "channel": "website", "stage_key": "support"},
    )
    assert made.status_code == 201
    moved = client.patch(
        f"{base}/help",
        headers=tenant.headers,
        json={"stage_key": "onboard", "position": 0, "channel": "in_app"},
    )
    assert (moved.json()["stage_key"], moved.json()["position"], moved.json()["channel"]) == (
        "onboard",
        0,
        "in_app",
    )
    onboard = client.get(base, headers=tenant.headers, params={"stage": "onboard"}).json()["data"]
    assert [(t["key"], t["position"]) for t in onboard] == [("help", 0), ("welcome", 1)]
    null = client.patch(f"{base}/help", headers=tenant.headers, json={"name": None})
    assert null.status_code == 422
    assert client.delete(f"{base}/help", headers=tenant.headers).status_code == 204
    assert client.get(f"{base}/help", headers=tenant.headers).status_code == 404
    dup = client.post(
        base,
        headers=tenant.headers,
        json={"key": "welcome", "name": "W", "channel": "email", "stage_key": "support"},
    )
    assert dup.status_code == 409


def test_patch_and_delete_a_journey(client: TestClient, tenant: Tenant) -> None:
    client.post("/v1/journeys", headers=tenant.headers, json=SPEC)
    patched = client.patch(
        "/v1/journeys/app", headers=tenant.headers, json={"description": "Our mobile app"}
    )
    assert patched.json()["description"] == "Our mobile app"
    assert client.delete("/v1/journeys/app", headers=tenant.headers).status_code == 204
    assert client.get("/v1/journeys/app", headers=tenant.headers).status_code == 404
