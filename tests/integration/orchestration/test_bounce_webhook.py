"""`POST /v1/hooks/bounces`: a provider's bounces and complaints mark the invitation and the
address `bounced`, so nothing more is sent there; soft bounces are only noted; bad bodies get
422 problems naming the field; the API key decides the workspace."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Tenant, make_tenant
from journeyscope import orchestration
from journeyscope.orchestration.bounces import invitation_id_in
from journeyscope.store import Database, tables
from outbox_support import RecordingSender, add_contact, dispatch, invitations, sales

URL = "/v1/hooks/bounces"


@pytest.fixture
def rule_settings() -> dict[str, Any]:
    """Sent at once, with a reminder due in 3 days."""
    return {"reminder_after_days": 3}


@pytest.fixture
def rule(db: Database, tenant: Tenant, rule: orchestration.RuleView) -> orchestration.RuleView:
    """The usual rule; C-1's address is Ana@Example.com (matched whatever its case)."""
    add_contact(db, tenant, "C-1", email="Ana@Example.com")
    return rule


def _email_status(db: Database) -> str | None:
    with db.transaction() as session:
        return session.scalars(
            select(tables.ContactChannel.status).where(tables.ContactChannel.channel == "email")
        ).first()


def _post(client: TestClient, tenant: Tenant, *items: dict[str, Any]) -> Any:
    return client.post(URL, json={"bounces": list(items)}, headers=tenant.headers)


def test_a_hard_bounce_marks_the_invitation_and_the_address(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender, clock: Any
) -> None:
    message_id = sent.sent[0].message_id
    answer = _post(client, tenant, {"message_id": message_id, "type": "hard", "detail": "5.1.1"})
    assert answer.status_code == 200
    assert answer.json() == {
        "received": 1,
        "invitations_bounced": 1,
        "contacts_bounced": 1,
        "soft_noted": 0,
        "unmatched": [],
    }
    [invitation] = invitations(db)
    assert (invitation.state, invitation.reason) == ("bounced", "bounced")
    assert (invitation.detail, invitation.reminder_due_at) == ("hard bounce: 5.1.1", None)
    assert _email_status(db) == "bounced"
    clock.advance(days=30)  # no reminder, and the next sale is refused before sending
    assert dispatch(db, sent).reminders.claimed == 0
    sales(db, tenant, "C-1")
    assert (invitations(db)[1].state, invitations(db)[1].reason) == ("suppressed", "bounced")


def test_a_resent_report_changes_nothing_more(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender
) -> None:
    item = {"message_id": sent.sent[0].message_id.strip("<>"), "type": "complaint"}
    assert _post(client, tenant, item).json()["invitations_bounced"] == 1
    again = _post(client, tenant, item).json()
    assert (again["invitations_bounced"], again["unmatched"]) == (0, [])
    assert invitations(db)[0].detail == "complaint"


def test_a_reminders_message_id_names_its_invitation(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender
) -> None:
    reminder_id = sent.sent[0].message_id.replace("@", ".r1@")
    assert invitation_id_in(reminder_id) == sent.sent[0].invitation_id
    answer = _post(client, tenant, {"message_id": reminder_id, "type": "hard"})
    assert answer.json()["invitations_bounced"] == 1


def test_a_soft_bounce_is_only_noted(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender
) -> None:
    item = {"message_id": sent.sent[0].message_id, "type": "soft", "detail": "4.2.2 full"}
    answer = _post(client, tenant, item).json()
    assert (answer["soft_noted"], answer["contacts_bounced"]) == (1, 0)
    [invitation] = invitations(db)
    assert (invitation.state, invitation.detail) == ("sent", "soft bounce: 4.2.2 full")
    assert invitation.reminder_due_at is not None
    assert _email_status(db) is None


def test_an_address_alone_marks_the_contact(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender
) -> None:
    answer = _post(client, tenant, {"email": "ana@example.COM", "type": "hard"}).json()
    assert (answer["invitations_bounced"], answer["contacts_bounced"]) == (0, 1)
    assert invitations(db)[0].state == "sent"
    assert _email_status(db) == "bounced"


def test_what_matches_nothing_is_listed_not_refused(
    db: Database, client: TestClient, tenant: Tenant, sent: RecordingSender
) -> None:
    forged = sent.sent[0].message_id.replace("@testserver", "@elsewhere.example")
    assert forged != sent.sent[0].message_id
    answer = _post(
        client,
        tenant,
        {"message_id": "<not-ours@mail.example>", "type": "hard"},
        {"message_id": forged, "type": "hard"},
        {"email": "nobody@example.com", "type": "complaint"},
        {"message_id": sent.sent[0].message_id, "type": "hard"},
    ).json()
    assert (answer["received"], answer["unmatched"]) == (4, [0, 1, 2])
    assert answer["invitations_bounced"] == 1


def test_another_workspaces_invitation_is_not_touched(
    db: Database, client: TestClient, sent: RecordingSender
) -> None:
    other = make_tenant(db, "other")
    item = {"message_id": sent.sent[0].message_id, "email": "ana@example.com", "type": "hard"}
    assert _post(client, other, item).json()["unmatched"] == [0]
    assert invitations(db)[0].state == "sent" and _email_status(db) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bounces": []}, "bounces"),
        ({"bounces": [{"type": "hard"}]}, "bounces[0]"),
        ({"bounces": [{"email": "a@b.example", "type": "bounced"}]}, "bounces[0].type"),
        ({"bounces": [{"email": "not an address", "type": "hard"}]}, "bounces[0].email"),
        ({"bounces": [{"email": "a@b.example", "type": "hard", "extra": 1}]}, "bounces[0].extra"),
        ([{"email": "a@b.example", "type": "hard"}], None),
        ({"bounces": [{"message_id": "x\u0000y", "type": "hard"}]}, "bounces[0].message_id"),
    ],
)
def test_a_bad_body_is_a_422_naming_the_field(
    client: TestClient, tenant: Tenant, body: Any, field: str | None
) -> None:
    answer = client.post(URL, json=body, headers=tenant.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()["errors"][0]
    assert problem["field"] == field and problem["fix"]


def test_a_missing_message_id_and_email_say_what_to_give(
    client: TestClient, tenant: Tenant
) -> None:
    answer = client.post(URL, json={"bounces": [{"type": "soft"}]}, headers=tenant.headers)
    assert "message_id" in answer.json()["errors"][0]["problem"]


def test_a_body_that_is_not_json_says_so(client: TestClient, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json"}
    answer = client.post(URL, content=b"{nope", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["fix"] == "send a valid JSON document"


def test_the_hook_needs_an_api_key(client: TestClient, tenant: Tenant) -> None:
    body = {"bounces": [{"email": "a@b.example", "type": "hard"}]}
    assert client.post(URL, json=body).status_code == 401
    wrong = {"Authorization": "Bearer js_nope_nope"}
    assert client.post(URL, json=body, headers=wrong).status_code == 401
