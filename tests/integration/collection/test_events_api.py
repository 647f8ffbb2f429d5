from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from factories import Tenant


def _batch(n: int, prefix: str = "order") -> dict[str, object]:
    return {
        "events": [
            {
                "type": "sale.completed",
                "idempotency_key": f"{prefix}-{i}",
                "contact_external_id": f"C-{i % 50}",
                "occurred_at": "2026-11-20T10:00:00Z",
                "properties": {"order_id": i, "amount": 10.5},
            }
            for i in range(n)
        ]
    }


def _all_events(client: TestClient, tenant: Tenant, **params: object) -> list[dict]:
    found, cursor = [], None
    while True:
        query = {"limit": 1000, **params} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/events", headers=tenant.headers, params=query).json()
        found += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_single_event_is_stored_and_a_resend_is_answered_not_stored(
    client: TestClient, tenant: Tenant
) -> None:
    event = {"type": "ticket.closed", "idempotency_key": "T-1", "properties": {"agent": "ana"}}
    first = client.post("/v1/events", headers=tenant.headers, json=event)
    again = client.post("/v1/events", headers=tenant.headers, json=event)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {"id": first.json()["id"], "duplicate": False}
    assert again.json() == {"id": first.json()["id"], "duplicate": True}
    stored = client.get(f"/v1/events/{first.json()['id']}", headers=tenant.headers).json()
    assert stored["properties"] == {"agent": "ana"}
    assert len(_all_events(client, tenant)) == 1


def test_same_1000_event_batch_twice_stores_1000(client: TestClient, tenant: Tenant) -> None:
    first = client.post("/v1/events/batch", headers=tenant.headers, json=_batch(1000))
    again = client.post("/v1/events/batch", headers=tenant.headers, json=_batch(1000))
    assert first.status_code == again.status_code == 200
    assert (first.json()["created"], first.json()["duplicates"]) == (1000, 0)
    assert (again.json()["created"], again.json()["duplicates"]) == (0, 1000)
    assert [e["id"] for e in first.json()["events"]] == [e["id"] for e in again.json()["events"]]
    assert len(_all_events(client, tenant)) == 1000


def test_repeated_key_inside_one_batch_is_stored_once(client: TestClient, tenant: Tenant) -> None:
    events = [{"type": "a", "idempotency_key": "same"}, {"type": "a", "idempotency_key": "same"}]
    body = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events}).json()
    assert body["created"] == 1
    assert body["events"][0]["id"] == body["events"][1]["id"]
    assert [e["duplicate"] for e in body["events"]] == [False, True]
    assert [e["id"] for e in _all_events(client, tenant)] == [body["events"][0]["id"]]


def test_events_without_keys_are_each_stored(client: TestClient, tenant: Tenant) -> None:
    events = [{"type": "page.viewed"}] * 3
    body = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events}).json()
    assert body["created"] == 3
    stored = _all_events(client, tenant)
    assert sorted(e["id"] for e in stored) == sorted(e["id"] for e in body["events"])
    assert {e["type"] for e in stored} == {"page.viewed"}


def test_a_batch_with_bad_items_names_them_by_index_and_stores_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    batch = _batch(5)
    batch["events"][1]["type"] = "has spaces"  # type: ignore[index]
    batch["events"][3]["occurred_at"] = "2026-11-20T10:00:00"  # type: ignore[index]
    response = client.post("/v1/events/batch", headers=tenant.headers, json=batch)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {
        (1, "events[1].type"),
        (3, "events[3].occurred_at"),
    }
    assert "time zone" in next(e["fix"] for e in errors if e["index"] == 3)
    assert _all_events(client, tenant) == []


def test_a_batch_over_1000_is_refused(client: TestClient, tenant: Tenant) -> None:
    response = client.post("/v1/events/batch", headers=tenant.headers, json=_batch(1001))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events"


def test_events_link_contacts_creating_unknown_ones(client: TestClient, tenant: Tenant) -> None:
    made = client.post(
        "/v1/events",
        headers=tenant.headers,
        json={"type": "sale.completed", "contact_external_id": "C-9"},
    )
    event = client.get(f"/v1/events/{made.json()['id']}", headers=tenant.headers).json()
    assert event["contact_external_id"] == "C-9"
    contact = client.get(f"/v1/contacts/{event['contact_id']}", headers=tenant.headers).json()
    assert contact["external_id"] == "C-9"


def test_list_filters_by_type_and_time_and_paginates(client: TestClient, tenant: Tenant) -> None:
    base = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    events = [
        {
            "type": "sale.completed" if i % 2 else "ticket.closed",
            "occurred_at": (base + dt.timedelta(days=i)).isoformat(),
        }
        for i in range(10)
    ]
    client.post("/v1/events/batch", headers=tenant.headers, json={"events": events})
    sales = _all_events(client, tenant, type="sale.completed")
    assert len(sales) == 5
    window = _all_events(
        client, tenant, since="2026-11-03T00:00:00Z", until="2026-11-06T00:00:00+00:00"
    )
    assert [e["occurred_at"][:10] for e in window] == ["2026-11-03", "2026-11-04", "2026-11-05"]
    page = client.get("/v1/events", headers=tenant.headers, params={"limit": 4}).json()
    second = client.get(
        "/v1/events", headers=tenant.headers, params={"limit": 4, "cursor": page["next_cursor"]}
    ).json()
    assert len(page["data"]) == len(second["data"]) == 4
    assert {e["id"] for e in page["data"]}.isdisjoint({e["id"] for e in second["data"]})


def test_naive_time_filter_and_bad_cursor_are_explained(client: TestClient, tenant: Tenant) -> None:
    naive = client.get("/v1/events", headers=tenant.headers, params={"since": "2026-11-03T00:00"})
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["location"] == "query"
    bad = client.get("/v1/events", headers=tenant.headers, params={"cursor": "!!"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


def test_unstorable_idempotency_keys_are_422_on_both_paths(
    client: TestClient, tenant: Tenant
) -> None:
    bad = {"type": "a", "idempotency_key": "k\u0000"}
    single = client.post("/v1/events", headers=tenant.headers, json=bad)
    assert single.status_code == 422
    assert single.json()["errors"][0]["field"] == "idempotency_key"
    batch = client.post("/v1/events/batch", headers=tenant.headers, json={"events": [bad]})
    assert batch.status_code == 422
    assert batch.json()["errors"][0]["field"] == "events[0].idempotency_key"
    assert _all_events(client, tenant) == []
