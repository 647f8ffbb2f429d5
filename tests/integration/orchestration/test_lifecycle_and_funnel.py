"""After sending: the personal page moves an invitation to opened, started and completed (never
back), and `GET /v1/invitations/funnel` counts every step in one grouped query.

Invitations are planned by rules and sent by the dispatcher with a recording sender; the
respondent goes through the real `/i/{token}` pages with the TestClient.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn
from journeyscope.orchestration import lifecycle
from journeyscope.orchestration.channels.base import Delivery, Result
from journeyscope.store import Database, tables
from outbox_support import (
    CONFIG,
    RecordingSender,
    add_contact,
    contact_id,
    dispatch,
    put_rule,
    sales,
)

NOW = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)  # long past: the pages read db.clock too


def _invitation(db: Database, external_id: str) -> tables.Invitation:
    with db.transaction() as session:
        return session.scalars(
            select(tables.Invitation)
            .join(tables.Contact, tables.Contact.id == tables.Invitation.contact_id)
            .where(tables.Contact.external_id == external_id)
        ).one()


def _path(delivery: Delivery) -> str:
    return delivery.link.removeprefix(CONFIG.base_url)


def _form(page: Any) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(_\w+)" value="([^"]*)"', page.text))


@pytest.fixture
def clock() -> FixedClock:
    """The test's time, which the personal pages also check their links' expiry against."""
    return FixedClock(NOW)


@pytest.fixture
def rule_settings() -> dict[str, Any]:
    """Sent at once."""
    return {}


# states after sending --------------------------------------------------------------------------


def test_opening_the_page_makes_the_invitation_opened_once(
    db: Database, client: TestClient, sent: RecordingSender
) -> None:
    assert _invitation(db, "C-1").state == "sent"
    assert client.get(_path(sent.to("C-1"))).status_code == 200
    opened = _invitation(db, "C-1")
    assert opened.state == "opened" and opened.opened_at is not None
    client.get(_path(sent.to("C-1")))
    assert _invitation(db, "C-1").opened_at == opened.opened_at  # idempotent


def test_a_clicked_score_opens_it_and_saving_the_score_starts_it(
    db: Database, client: TestClient, sent: RecordingSender
) -> None:
    path = _path(sent.to("C-1"))
    page = client.get(f"{path}?nps=3")  # the one-click score: a mail scanner can do this much
    assert _invitation(db, "C-1").state == "opened"
    data = {**_form(page), "_action": "save", "nps": "3"}  # what the page's script posts
    assert client.post(path, data=data, follow_redirects=False).status_code == 303
    started = _invitation(db, "C-1")
    assert (started.state, started.completed_at) == ("started", None)
    assert started.opened_at is not None and started.started_at is not None
    data = {**_form(page), "_action": "next", "nps": "9"}  # a promoter: the last page
    assert client.post(path, data=data, follow_redirects=False).status_code == 303
    done = _invitation(db, "C-1")
    assert done.state == "completed" and done.completed_at is not None
    assert done.started_at == started.started_at  # the first answer's time is kept
    client.get(path)  # the thank-you page, later: never back to opened
    assert _invitation(db, "C-1").state == "completed"


def test_answering_the_first_page_without_a_click_starts_it(
    db: Database, client: TestClient, sent: RecordingSender
) -> None:
    path = _path(sent.to("C-1"))
    page = client.get(path)
    data = {**_form(page), "_action": "next", "nps": "4"}  # a detractor: another page follows
    client.post(path, data=data, follow_redirects=False)
    assert _invitation(db, "C-1").state == "started"


def test_states_never_move_backwards(db: Database, tenant: Tenant, sent: RecordingSender) -> None:
    nonce = _invitation(db, "C-1").nonce
    moves = [
        ("completed", True),
        ("started", False),
        ("opened", False),
        ("completed", False),
    ]
    for stage, moved in moves:
        assert lifecycle.advance(db, workspace_id=tenant.id, nonce=nonce, to=stage) is moved
    done = _invitation(db, "C-1")
    assert done.state == "completed"
    assert done.opened_at == done.started_at == done.completed_at  # skipped steps get a time


def test_an_invitation_not_sent_yet_does_not_move(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    put_rule(db, tenant, delay_minutes=60)
    sales(db, tenant, "C-1")
    nonce = _invitation(db, "C-1").nonce
    assert not orchestration.record_opened(db, workspace_id=tenant.id, nonce=nonce)
    assert _invitation(db, "C-1").state == "scheduled"


def test_another_workspace_cannot_move_an_invitation(
    db: Database, sent: RecordingSender, tenant: Tenant
) -> None:
    from factories import make_tenant

    other = make_tenant(db, "other")
    nonce = _invitation(db, "C-1").nonce
    assert not orchestration.record_opened(db, workspace_id=other.id, nonce=nonce)


def _funnel(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    answer = client.get("/v1/invitations/funnel", headers=tenant.headers)
    assert answer.status_code == 200
    return dict(answer.json()["total"])


STEPS = ("planned", "sent", "opened", "started", "completed")


def test_a_link_made_by_hand_is_an_invitation_the_funnel_follows_to_completed(
    db: Database, client: TestClient, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1")
    body = {"contact_external_id": "C-1"}
    made = client.post("/v1/surveys/visit/invitations", json=body, headers=tenant.headers)
    assert made.status_code == 201
    path = "/i/" + made.json()["token"]
    assert [_funnel(client, tenant)[step] for step in STEPS] == [1, 1, 0, 0, 0]
    page = client.get(f"{path}?nps=10")  # the one-click score of the email snippet
    assert [_funnel(client, tenant)[step] for step in STEPS] == [1, 1, 1, 0, 0]
    saved = {**_form(page), "_action": "save", "nps": "10"}  # what the page's script posts
    assert client.post(path, data=saved, follow_redirects=False).status_code == 303
    assert [_funnel(client, tenant)[step] for step in STEPS] == [1, 1, 1, 1, 0]
    data = {**_form(page), "_action": "next", "nps": "10"}  # a promoter: the last page
    assert client.post(path, data=data, follow_redirects=False).status_code == 303
    assert [_funnel(client, tenant)[step] for step in STEPS] == [1, 1, 1, 1, 1]
    [why] = orchestration.invitations_of(db, workspace_id=tenant.id, contact_external_id="C-1")
    assert (why.state, why.channel, why.survey_key) == ("completed", "email", "visit")


def test_a_link_made_by_hand_for_nobody_in_particular_is_counted_too(
    db: Database, client: TestClient, tenant: Tenant
) -> None:
    make_published_survey(db, tenant)
    made = client.post(
        "/v1/surveys/visit/invitations", json={"channel": "sms"}, headers=tenant.headers
    )
    path = "/i/" + made.json()["token"]
    assert client.get(path).status_code == 200
    answer = client.get("/v1/invitations/funnel?group_by=channel", headers=tenant.headers).json()
    [group] = answer["groups"]
    assert (group["channel"], group["planned"], group["sent"], group["opened"]) == ("sms", 1, 1, 1)


# the funnel ------------------------------------------------------------------------------------


@pytest.fixture
def scenario(db: Database, client: TestClient, tenant: Tenant, clock: FixedClock) -> None:
    """Email: 6 planned (C-1 completed, C-2 opened, C-3 bounced, C-4 reminded, C-5
    unsubscribed, C-6 no address); SMS: 2 planned (S-1 sent, S-2 failed)."""
    make_published_survey(db, tenant)
    people = [ContactIn(external_id=f"C-{n}", email=f"c{n}@example.com") for n in range(1, 6)]
    people += [ContactIn(external_id="C-6")]
    people += [ContactIn(external_id=f"S-{n}", phone=f"+3361234567{n}") for n in (1, 2)]
    collection.upsert_contacts(db, workspace_id=tenant.id, items=people)
    contact_5 = contact_id(db, "C-5")
    orchestration.set_channel_status(
        db,
        workspace_id=tenant.id,
        contact_id=contact_5,
        channel="email",
        status="unsubscribed",
        source="test",
    )
    put_rule(db, tenant, key="by-email", reminder_after_days=2)
    sales(db, tenant, *(f"C-{n}" for n in range(1, 7)))
    email = RecordingSender()
    dispatch(db, email)
    put_rule(db, tenant, key="by-text", channel="sms", event_type="call.ended")
    sales(db, tenant, "S-1", kind="call.ended")
    dispatch(db, RecordingSender(channel="sms"))
    sales(db, tenant, "S-2", kind="call.ended")
    dispatch(db, RecordingSender(Result.FAILED, channel="sms"))
    page = client.get(_path(email.to("C-1")) + "?nps=10")
    client.post(
        _path(email.to("C-1")),
        data={**_form(page), "_action": "next", "nps": "10"},
        follow_redirects=False,
    )
    client.get(_path(email.to("C-2")))
    message_id = _invitation(db, "C-3").message_id
    bounce = {"bounces": [{"message_id": message_id, "type": "hard"}]}
    assert client.post("/v1/hooks/bounces", json=bounce, headers=tenant.headers).status_code == 200
    clock.advance(days=2)
    reminded = dispatch(db, RecordingSender())
    assert reminded.reminders.outcomes == {"sent": 2}  # C-2 (opened) and C-4 (sent)


EMAIL_COUNTS = {
    "planned": 6,
    "suppressed": 2,
    "suppressed_by_reason": {"unsubscribed": 1, "no_address": 1},
    "pending": 0,
    "sent": 4,
    "bounced": 1,
    "opened": 2,
    "started": 1,
    "completed": 1,
    "failed": 0,
    "expired": 0,
    "reminded": 2,
}
SMS_COUNTS = {
    **dict.fromkeys(EMAIL_COUNTS, 0),
    "planned": 2,
    "suppressed_by_reason": {},
    "sent": 1,
    "failed": 1,
}


def test_the_funnel_counts_every_step_per_group(
    client: TestClient, tenant: Tenant, scenario: None
) -> None:
    answer = client.get("/v1/invitations/funnel", headers=tenant.headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["group_by"] == ["survey", "touchpoint", "channel"]
    email, sms = body["groups"]
    place = {"survey": "visit", "journey": "retail", "touchpoint": "till"}
    assert email == {**place, "channel": "email", **EMAIL_COUNTS}
    assert sms == {**place, "channel": "sms", **SMS_COUNTS}
    total = body["total"]
    assert (total["planned"], total["sent"], total["failed"]) == (8, 5, 1)
    assert total["suppressed_by_reason"] == {"unsubscribed": 1, "no_address": 1}


def test_the_funnel_groups_on_what_is_asked(
    client: TestClient, tenant: Tenant, scenario: None
) -> None:
    query = "group_by=survey&group_by=survey"
    answer = client.get(f"/v1/invitations/funnel?{query}", headers=tenant.headers).json()
    assert answer["group_by"] == ["survey"]
    [group] = answer["groups"]
    assert (group["survey"], group["touchpoint"], group["channel"]) == ("visit", None, None)
    assert (group["planned"], group["sent"], group["suppressed"]) == (8, 5, 2)
    by_channel = client.get(
        "/v1/invitations/funnel?group_by=channel", headers=tenant.headers
    ).json()
    assert [g["channel"] for g in by_channel["groups"]] == ["email", "sms"]


def test_the_funnel_filters_by_survey_and_days(
    client: TestClient, tenant: Tenant, scenario: None
) -> None:
    today = NOW.date()
    tomorrow = today + dt.timedelta(days=1)
    inside = f"survey=visit&from={today}&to={today}"
    assert (
        client.get(f"/v1/invitations/funnel?{inside}", headers=tenant.headers).json()["total"][
            "planned"
        ]
        == 8
    )
    outside = client.get(f"/v1/invitations/funnel?from={tomorrow}", headers=tenant.headers)
    assert outside.json()["groups"] == [] and outside.json()["total"]["planned"] == 0


def test_the_funnel_is_one_query(
    client: TestClient, tenant: Tenant, scenario: None, statements: list[str]
) -> None:
    statements.clear()
    client.get("/v1/invitations/funnel?survey=visit", headers=tenant.headers)
    about = [s for s in statements if "FROM invitation" in s]
    assert len(about) == 1 and "GROUP BY" in about[0]


def test_the_funnel_answers_problems_for_bad_queries(client: TestClient, tenant: Tenant) -> None:
    unknown = client.get("/v1/invitations/funnel?survey=nope", headers=tenant.headers)
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (404, "survey")
    backwards = client.get(
        "/v1/invitations/funnel?from=2026-02-02&to=2026-02-01", headers=tenant.headers
    )
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (422, "from")
    dimension = client.get("/v1/invitations/funnel?group_by=stage", headers=tenant.headers)
    assert dimension.status_code == 422
    assert dimension.json()["errors"][0]["field"] == "group_by[0]"
    assert client.get("/v1/invitations/funnel").status_code == 401


def test_the_funnel_never_counts_another_workspace(
    db: Database, client: TestClient, scenario: None
) -> None:
    from factories import make_tenant

    other = make_tenant(db, "other")
    answer = client.get("/v1/invitations/funnel", headers=other.headers).json()
    assert answer["groups"] == [] and answer["total"]["planned"] == 0
