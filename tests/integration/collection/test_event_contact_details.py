"""Events that carry their contact's details (`contact`): written in the event's transaction,
before the rules it triggers see the contact."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import Tenant, make_published_survey
from journeyscope.store import Database

ANA = {"email": "ana@example.com", "name": "Ana Lima", "attributes": {"plan": "gold"}}


def _contacts(client: TestClient, tenant: Tenant) -> dict[str, dict[str, Any]]:
    page = client.get("/v1/contacts", headers=tenant.headers, params={"limit": 1000}).json()
    return {contact["external_id"]: contact for contact in page["data"]}


def _post(client: TestClient, tenant: Tenant, event: dict[str, Any]) -> int:
    return client.post("/v1/events", headers=tenant.headers, json=event).status_code


def test_details_create_a_new_contact_with_them(client: TestClient, tenant: Tenant) -> None:
    event = {"type": "ticket.closed", "contact_external_id": "C-1", "contact": ANA}
    assert _post(client, tenant, event) == 201
    stored = _contacts(client, tenant)["C-1"]
    assert (stored["email"], stored["name"]) == ("ana@example.com", "Ana Lima")
    assert stored["attributes"] == {"plan": "gold"}


def test_details_update_an_existing_contact_merging_attributes(
    client: TestClient, tenant: Tenant
) -> None:
    known = {"external_id": "C-1", "phone": "+33612345678", "attributes": {"store": "paris-12"}}
    client.post("/v1/contacts/upsert", headers=tenant.headers, json=known)
    given = {"email": "ana@example.com", "attributes": {"plan": "gold", "store": None}}
    event = {"type": "ticket.closed", "contact_external_id": "C-1", "contact": given}
    assert _post(client, tenant, event) == 201
    stored = _contacts(client, tenant)["C-1"]
    assert (stored["email"], stored["phone"]) == ("ana@example.com", "+33612345678")
    assert stored["attributes"] == {"plan": "gold"}


def test_events_without_details_leave_contacts_as_they_are(
    client: TestClient, tenant: Tenant
) -> None:
    client.post("/v1/contacts/upsert", headers=tenant.headers, json={"external_id": "C-1", **ANA})
    assert _post(client, tenant, {"type": "ticket.closed", "contact_external_id": "C-1"}) == 201
    assert _post(client, tenant, {"type": "ticket.closed", "contact_external_id": "C-2"}) == 201
    contacts = _contacts(client, tenant)
    assert contacts["C-1"]["email"] == "ana@example.com"
    assert contacts["C-1"]["attributes"] == {"plan": "gold"}
    assert (contacts["C-2"]["email"], contacts["C-2"]["attributes"]) == (None, {})


def test_a_later_event_of_a_batch_wins_for_the_same_contact(
    client: TestClient, tenant: Tenant
) -> None:
    client.post("/v1/contacts/upsert", headers=tenant.headers, json={"external_id": "C-1"})
    first = {"email": "old@example.com", "name": "Ana", "attributes": {"plan": "trial"}}
    second = {"email": "ana@example.com", "attributes": {"seats": 3}}
    events = [
        {"type": "sale.completed", "contact_external_id": cid, "contact": details}
        for cid in ("C-1", "C-2")
        for details in (first, second)
    ]
    response = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events})
    assert response.json()["created"] == 4
    contacts = _contacts(client, tenant)
    for cid in ("C-1", "C-2"):  # existing, then new
        assert (contacts[cid]["email"], contacts[cid]["name"]) == ("ana@example.com", "Ana")
        assert contacts[cid]["attributes"] == {"plan": "trial", "seats": 3}


def test_a_resent_event_does_not_apply_its_details_again(
    client: TestClient, tenant: Tenant
) -> None:
    event = {"type": "a", "contact_external_id": "C-1", "idempotency_key": "K", "contact": ANA}
    assert _post(client, tenant, event) == 201
    client.post(
        "/v1/contacts/upsert",
        headers=tenant.headers,
        json={"external_id": "C-1", "email": "new@example.com"},
    )
    assert _post(client, tenant, event) == 200
    assert _contacts(client, tenant)["C-1"]["email"] == "new@example.com"


def test_details_without_an_external_id_are_a_422_naming_contact(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.post("/v1/events", headers=tenant.headers, json={"type": "a", "contact": ANA})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "contact"
    assert "contact_external_id" in error["problem"]
    assert _contacts(client, tenant) == {}


def test_a_bad_detail_in_a_batch_is_a_422_with_its_path(client: TestClient, tenant: Tenant) -> None:
    events = [
        {"type": "a", "contact_external_id": "C-1", "contact": ANA},
        {"type": "a", "contact_external_id": "C-2", "contact": {"timezone": "Mars/Olympus"}},
    ]
    response = client.post("/v1/events/batch", headers=tenant.headers, json={"events": events})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["index"]) == ("events[1].contact.timezone", 1)
    assert _contacts(client, tenant) == {}


def test_a_sale_with_details_of_a_new_customer_plans_an_email_invitation(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)  # "visit"
    rule = {
        "key": "after-sale",
        "event_type": "sale.completed",
        "survey": "visit",
        "channel": "email",
        "delay_minutes": 60,
    }
    assert client.put("/v1/rules/after-sale", headers=tenant.headers, json=rule).status_code == 201
    sale = {"type": "sale.completed", "contact_external_id": "C-NEW", "contact": ANA}
    assert _post(client, tenant, sale) == 201
    url = "/v1/contacts/by-external-id/C-NEW/invitations"
    [invitation] = client.get(url, headers=tenant.headers).json()
    assert (invitation["state"], invitation["reason"]) == ("scheduled", None)
    assert invitation["channel"] == "email"
