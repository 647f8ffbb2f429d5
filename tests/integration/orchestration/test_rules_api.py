"""Rules through the API; an event through the API plans its invitation; unsubscribe links."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Tenant, make_published_survey, tampered
from journeyscope import collection
from journeyscope.journey.models import Channel
from journeyscope.store import Database, tables

RULE = {
    "key": "after-ticket",
    "event_type": "ticket.closed",
    "condition": 'event.properties.queue == "billing"',
    "survey": "visit",
    "channel": "email",
    "delay_minutes": 60,
    "window": {"start": "09:00", "end": "20:00", "days": ["mon", "tue", "wed", "thu", "fri"]},
}


def test_a_rule_is_created_replaced_read_and_deleted(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    created = client.put("/v1/rules/after-ticket", json=RULE, headers=tenant.headers)
    assert created.status_code == 201, created.text
    replaced = client.put(
        "/v1/rules/after-ticket", json={**RULE, "delay_minutes": 30}, headers=tenant.headers
    )
    assert replaced.status_code == 200
    got = client.get("/v1/rules/after-ticket", headers=tenant.headers).json()
    assert (got["delay_minutes"], got["survey"], got["window"]["days"][0]) == (30, "visit", "mon")
    listed = client.get("/v1/rules", headers=tenant.headers).json()
    assert [r["key"] for r in listed["data"]] == ["after-ticket"]
    assert client.delete("/v1/rules/after-ticket", headers=tenant.headers).status_code == 204
    assert client.get("/v1/rules/after-ticket", headers=tenant.headers).status_code == 404


def test_rules_list_in_pages_like_every_other_list(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    keys = ["zeta", "alpha", "mid"]
    for key in keys:
        reply = client.put(f"/v1/rules/{key}", json={**RULE, "key": key}, headers=tenant.headers)
        assert reply.status_code == 201
    first = client.get("/v1/rules?limit=2", headers=tenant.headers).json()
    assert set(first) == {"data", "next_cursor"}
    assert [r["key"] for r in first["data"]] == ["zeta", "alpha"]  # oldest first
    rest = client.get(
        "/v1/rules", params={"limit": 2, "cursor": first["next_cursor"]}, headers=tenant.headers
    ).json()
    assert ([r["key"] for r in rest["data"]], rest["next_cursor"]) == (["mid"], None)


def test_bad_rules_name_the_field(client: TestClient, db: Database, tenant: Tenant) -> None:
    make_published_survey(db, tenant)
    bad_cel = client.put(
        "/v1/rules/after-ticket", json={**RULE, "condition": "event.x >"}, headers=tenant.headers
    )
    assert bad_cel.status_code == 422
    assert bad_cel.json()["errors"][0]["field"] == "condition"
    assert "not valid CEL" in bad_cel.json()["errors"][0]["problem"]
    window = {**RULE, "window": {"start": "20:00", "end": "09:00"}}
    assert (
        client.put("/v1/rules/after-ticket", json=window, headers=tenant.headers).status_code == 422
    )
    other = client.put("/v1/rules/other", json=RULE, headers=tenant.headers)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "key"
    missing = client.put(
        "/v1/rules/after-ticket", json={**RULE, "survey": "nope"}, headers=tenant.headers
    )
    assert missing.status_code == 404


def test_an_event_posted_to_the_api_plans_its_invitation(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    client.put("/v1/rules/after-ticket", json=RULE, headers=tenant.headers)
    client.post(
        "/v1/contacts/upsert",
        json={"external_id": "C-7", "email": "c7@example.com"},
        headers=tenant.headers,
    )
    event = {
        "type": "ticket.closed",
        "contact_external_id": "C-7",
        "properties": {"queue": "billing"},
        "idempotency_key": "T-1",
    }
    assert client.post("/v1/events", json=event, headers=tenant.headers).status_code == 201
    batch = {"events": [event, {**event, "idempotency_key": "T-2", "properties": {"queue": "x"}}]}
    assert client.post("/v1/events/batch", json=batch, headers=tenant.headers).status_code == 200
    why = client.get("/v1/contacts/by-external-id/C-7/invitations", headers=tenant.headers)
    assert why.status_code == 200
    [invitation] = why.json()
    assert (invitation["survey_key"], invitation["state"], invitation["channel"]) == (
        "visit",
        "scheduled",
        "email",
    )


def _token(db: Database, tenant: Tenant, secret: str) -> tuple[str, uuid.UUID]:
    contact = collection.upsert_contact(
        db, workspace_id=tenant.id, data=collection.ContactIn(external_id="C-9")
    ).contact
    survey = make_published_survey(db, tenant)
    invitation = collection.new_invitation(
        workspace_id=tenant.id,
        survey_id=survey.survey_id,
        contact_id=contact.id,
        now=db.clock.now(),
    )
    return collection.sign_invitation(invitation, secret), contact.id


def test_one_click_unsubscribe_records_the_opt_out(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    token, contact_id = _token(db, tenant, "test-secret-key")
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and "<form" in page.text  # a GET never unsubscribes
    with db.transaction() as session:
        assert session.scalars(select(tables.ContactChannel)).first() is None
    done = client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "unsubscribed" in done.text
    with db.transaction() as session:
        row = session.scalars(select(tables.ContactChannel)).one()
        assert (row.contact_id, row.channel, row.status) == (
            contact_id,
            Channel.EMAIL,
            "unsubscribed",
        )
    assert client.post(f"/u/{tampered(token)}").status_code == 403


def test_an_unsubscribe_link_keeps_working_after_the_survey_link_expired(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    contact = collection.upsert_contact(
        db, workspace_id=tenant.id, data=collection.ContactIn(external_id="C-9")
    ).contact
    survey = make_published_survey(db, tenant)
    invitation = collection.new_invitation(  # sent 60 days ago, its survey link lived 30
        workspace_id=tenant.id,
        survey_id=survey.survey_id,
        contact_id=contact.id,
        now=db.clock.now() - dt.timedelta(days=60),
    )
    token = collection.sign_invitation(invitation, "test-secret-key")
    assert client.get(f"/i/{token}").status_code == 410  # the survey link has expired ...
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and "<form" in page.text  # ... its unsubscribe link has not
    done = client.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "unsubscribed" in done.text
    with db.transaction() as session:
        row = session.scalars(select(tables.ContactChannel)).one()
    assert (row.contact_id, row.status) == (contact.id, "unsubscribed")


def test_a_window_time_with_a_zone_is_refused(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    # Found by the API fuzzer: "00:00:00Z" crashed the comparison of start and end.
    make_published_survey(db, tenant)
    zoned = {**RULE, "window": {"start": "09:00", "end": "20:00:00Z"}}
    refused = client.put("/v1/rules/after-ticket", json=zoned, headers=tenant.headers)
    assert refused.status_code == 422
    assert "without a zone" in refused.json()["errors"][0]["problem"]


def test_a_reminder_is_accepted_from_1_to_60_days_and_advertised(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    body = {**RULE, "reminder_after_days": 3}
    saved = client.put("/v1/rules/after-ticket", json=body, headers=tenant.headers)
    assert (saved.status_code, saved.json()["reminder_after_days"]) == (201, 3)
    body = {**RULE, "reminder_after_days": 30}  # past the link's 30 days
    refused = client.put("/v1/rules/after-ticket", json=body, headers=tenant.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reminder_after_days"
    assert "reminder_after_days" in client.get("/v1/openapi.json").text
