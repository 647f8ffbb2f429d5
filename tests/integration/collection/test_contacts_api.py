from __future__ import annotations

from fastapi.testclient import TestClient

from factories import Tenant


def test_create_get_patch_delete_a_contact(client: TestClient, tenant: Tenant) -> None:
    body = {
        "external_id": "C-1",
        "email": "ana@example.com",
        "timezone": "Europe/Paris",
        "locale": "fr-FR",
        "attributes": {"segment": "gold", "visits": 3},
    }
    made = client.post("/v1/contacts", headers=tenant.headers, json=body)
    assert made.status_code == 201
    contact_id = made.json()["id"]
    got = client.get(f"/v1/contacts/{contact_id}", headers=tenant.headers).json()
    assert got["attributes"] == {"segment": "gold", "visits": 3}
    patched = client.patch(
        f"/v1/contacts/{contact_id}",
        headers=tenant.headers,
        json={"name": "Ana", "attributes": {"segment": "silver"}},
    ).json()
    assert (patched["name"], patched["email"]) == ("Ana", "ana@example.com")
    assert patched["attributes"] == {"segment": "silver"}
    assert client.delete(f"/v1/contacts/{contact_id}", headers=tenant.headers).status_code == 204
    assert client.get(f"/v1/contacts/{contact_id}", headers=tenant.headers).status_code == 404


def test_duplicate_external_id_is_a_conflict_pointing_at_upsert(
    client: TestClient, tenant: Tenant
) -> None:
    client.post("/v1/contacts", headers=tenant.headers, json={"external_id": "C-1", "name": "Ana"})
    again = client.post("/v1/contacts", headers=tenant.headers, json={"external_id": "C-1"})
    assert again.status_code == 409
    assert "upsert" in again.json()["errors"][0]["fix"]
    [stored] = client.get("/v1/contacts", headers=tenant.headers).json()["data"]
    assert (stored["external_id"], stored["name"]) == ("C-1", "Ana")


def test_upsert_creates_then_updates_merging_attributes(client: TestClient, tenant: Tenant) -> None:
    first = client.post(
        "/v1/contacts/upsert",
        headers=tenant.headers,
        json={
            "external_id": "C-7",
            "email": "a@example.com",
            "attributes": {"plan": "pro", "seats": 5},
        },
    )
    second = client.post(
        "/v1/contacts/upsert",
        headers=tenant.headers,
        json={"external_id": "C-7", "attributes": {"seats": None, "tier": 2}},
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["email"] == "a@example.com"
    assert second.json()["attributes"] == {"plan": "pro", "tier": 2}
    stored = client.get(f"/v1/contacts/{first.json()['id']}", headers=tenant.headers).json()
    assert (stored["external_id"], stored["email"]) == ("C-7", "a@example.com")
    assert stored["attributes"] == {"plan": "pro", "tier": 2}


def test_patch_refuses_null_external_id(client: TestClient, tenant: Tenant) -> None:
    made = client.post("/v1/contacts", headers=tenant.headers, json={"external_id": "C-1"})
    response = client.patch(
        f"/v1/contacts/{made.json()['id']}", headers=tenant.headers, json={"external_id": None}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "external_id"
    stored = client.get(f"/v1/contacts/{made.json()['id']}", headers=tenant.headers).json()
    assert stored["external_id"] == "C-1"


def test_contacts_list_paginates_and_filters_by_email(client: TestClient, tenant: Tenant) -> None:
    for i in range(5):
        client.post(
            "/v1/contacts",
            headers=tenant.headers,
            json={"external_id": f"C-{i}", "email": f"p{i}@example.com"},
        )
    page = client.get("/v1/contacts", headers=tenant.headers, params={"limit": 3}).json()
    rest = client.get(
        "/v1/contacts", headers=tenant.headers, params={"limit": 3, "cursor": page["next_cursor"]}
    ).json()
    assert [c["external_id"] for c in page["data"] + rest["data"]] == [f"C-{i}" for i in range(5)]
    assert rest["next_cursor"] is None
    only = client.get(
        "/v1/contacts", headers=tenant.headers, params={"email": "p3@example.com"}
    ).json()["data"]
    assert [c["external_id"] for c in only] == ["C-3"]


def test_overlong_locale_and_timezone_are_422_not_a_database_error(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"external_id": "C-1", "locale": "en" + "-abcdefgh" * 5, "timezone": "A" * 65}
    response = client.post("/v1/contacts/upsert", headers=tenant.headers, json=body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"locale", "timezone"}
