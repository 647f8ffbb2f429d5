"""Every query of the orchestration repository that takes a workspace reads and writes only its
rows: asked with one workspace about another's ids (rules, invitations, contacts, surveys,
touchpoints, responses, addresses), it finds nothing and changes nothing.

Two workspaces hold the same things: a survey at a touchpoint with a quarantine, a rule, a
contact with the same external id and address, a sent invitation answered through its link,
and a channel status.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from factories import Tenant, make_published_survey, make_tenant
from journeyscope import collection, orchestration
from journeyscope.clock import FixedClock
from journeyscope.collection import PublicResponseIn
from journeyscope.journey.models import Channel
from journeyscope.orchestration import repo
from journeyscope.orchestration.deliveries import response_id_of
from journeyscope.orchestration.models import StoredInvitation
from journeyscope.store import Database, tables
from outbox_support import MORNING, RecordingSender, add_contact, dispatch, put_rule, sales


@dataclass(frozen=True, slots=True)
class Space:
    """One workspace's rows, by id."""

    id: uuid.UUID
    rule_id: uuid.UUID
    survey_id: uuid.UUID
    touchpoint_id: uuid.UUID
    contact_id: uuid.UUID
    invitation: StoredInvitation


def _space(db: Database, tenant: Tenant, cap: int) -> Space:
    survey = make_published_survey(db, tenant)
    add_contact(db, tenant, "C-1", email="ana@example.com")
    rule = put_rule(db, tenant, event_type=f"{tenant.slug}.sale")
    sales(db, tenant, "C-1", kind=f"{tenant.slug}.sale")
    dispatch(db, RecordingSender())
    with db.transaction() as session:
        session.execute(
            update(tables.Touchpoint)
            .where(tables.Touchpoint.workspace_id == tenant.id)
            .values(quarantine_days=30)
        )
        session.execute(
            update(tables.Workspace)
            .where(tables.Workspace.id == tenant.id)
            .values(invitation_cap=cap)
        )
        row = session.scalars(
            select(tables.Invitation).where(tables.Invitation.workspace_id == tenant.id)
        ).one()
    contact_id = row.contact_id
    assert contact_id is not None and survey.touchpoint_id is not None
    with db.transaction() as session:
        [invitation] = repo.invitations(session, tenant.id, [row.id])
    answers = PublicResponseIn(id=response_id_of(invitation), answers={"nps": 9}, complete=False)
    collection.submit_public(db, survey, answers, channel=Channel.EMAIL, contact_id=contact_id)
    orchestration.set_channel_status(
        db,
        workspace_id=tenant.id,
        contact_id=contact_id,
        channel="sms",
        status="consented",
        source=tenant.slug,
    )
    return Space(tenant.id, rule.id, survey.survey_id, survey.touchpoint_id, contact_id, invitation)


@pytest.fixture
def spaces(db: Database, tenant: Tenant, clock: FixedClock) -> tuple[Space, Space]:
    clock.current = MORNING
    return _space(db, tenant, cap=4), _space(db, make_tenant(db, "other"), cap=7)


def test_reads_find_nothing_of_another_workspace(db: Database, spaces: tuple[Space, Space]) -> None:
    mine, theirs = spaces
    with db.transaction() as session:
        assert repo.invitations(session, mine.id, [theirs.invitation.id]) == []
        assert repo.contacts(session, mine.id, [theirs.contact_id]) == {}
        assert repo.rule_settings(session, mine.id, [theirs.rule_id]) == {}
        assert repo.survey_targets(session, mine.id, [theirs.survey_id]) == {}
        assert repo.survey_keys(session, mine.id, [theirs.survey_id]) == {}
        assert repo.quarantines(session, mine.id, [theirs.touchpoint_id]) == {}
        responses = {response_id_of(theirs.invitation): theirs.invitation.id}
        assert repo.answered(session, mine.id, responses) == set()
        assert repo.enabled_rules(session, mine.id, ["other.sale"]) == []
        assert not repo.has_enabled_rule(session, mine.id, ["other.sale"])
        assert repo.contacts_by_email(session, mine.id, ["ana@example.com"]) == {
            "ana@example.com": [mine.contact_id]
        }
        assert repo.workspace_limits(session, mine.id).cap == 4
        assert repo.workspace_limits(session, theirs.id).cap == 7


def test_reads_find_the_workspaces_own_rows(db: Database, spaces: tuple[Space, Space]) -> None:
    """The same calls with the right workspace find each row: the checks above can fail."""
    _, theirs = spaces
    with db.transaction() as session:
        assert [i.id for i in repo.invitations(session, theirs.id, [theirs.invitation.id])] == [
            theirs.invitation.id
        ]
        assert list(repo.contacts(session, theirs.id, [theirs.contact_id])) == [theirs.contact_id]
        assert list(repo.rule_settings(session, theirs.id, [theirs.rule_id])) == [theirs.rule_id]
        assert list(repo.survey_targets(session, theirs.id, [theirs.survey_id])) == [
            theirs.survey_id
        ]
        assert repo.survey_keys(session, theirs.id, [theirs.survey_id]) == {
            theirs.survey_id: "visit"
        }
        assert repo.quarantines(session, theirs.id, [theirs.touchpoint_id]) == {
            theirs.touchpoint_id: 30
        }
        responses = {response_id_of(theirs.invitation): theirs.invitation.id}
        assert repo.answered(session, theirs.id, responses) == {theirs.invitation.id}
        assert [r.id for r in repo.enabled_rules(session, theirs.id, ["other.sale"])] == [
            theirs.rule_id
        ]
        assert repo.contacts_by_email(session, theirs.id, ["ANA@example.com"]) == {
            "ana@example.com": [theirs.contact_id]
        }


def test_a_contacts_history_is_its_workspaces_alone(
    db: Database, spaces: tuple[Space, Space]
) -> None:
    mine, theirs = spaces
    with db.transaction() as session:
        people = repo.contacts(session, theirs.id, [theirs.contact_id])
        since = MORNING - dt.timedelta(days=90)
        points = [theirs.touchpoint_id]
        seen = repo.histories(session, theirs.id, list(people.values()), touchpoint_ids=points,
                              since_cap=since)[theirs.contact_id]  # fmt: skip
        unseen = repo.histories(session, mine.id, list(people.values()), touchpoint_ids=points,
                                since_cap=since)[theirs.contact_id]  # fmt: skip
    assert (seen.last_asked_at, seen.asked_in_cap_period, seen.statuses) == (
        MORNING,
        1,
        {"sms": "consented"},
    )
    assert seen.asked_here_at == {theirs.touchpoint_id: MORNING}
    assert (unseen.last_asked_at, unseen.asked_in_cap_period) == (None, 0)
    assert (unseen.asked_here_at, unseen.statuses) == ({}, {})


def test_channel_statuses_are_never_written_for_another_workspaces_contact(
    db: Database, spaces: tuple[Space, Space]
) -> None:
    mine, theirs = spaces
    with db.transaction() as session:
        for channel in ("sms", "email"):  # an existing status, and a new one
            repo.upsert_channel_status(
                session,
                workspace_id=mine.id,
                contact_id=theirs.contact_id,
                channel=channel,
                status="unsubscribed",
                source="the wrong workspace",
                now=MORNING,
            )
        repo.upsert_channel_statuses(
            session,
            workspace_id=mine.id,
            channel="call_center",
            status="bounced",
            sources={theirs.contact_id: "the wrong workspace"},
            now=MORNING,
        )
    with db.transaction() as session:
        stored = session.execute(
            select(tables.ContactChannel.channel, tables.ContactChannel.status).where(
                tables.ContactChannel.contact_id == theirs.contact_id
            )
        ).all()
    assert [tuple(row) for row in stored] == [("sms", "consented")]


def test_channel_statuses_are_written_for_the_workspaces_own_contact(
    db: Database, spaces: tuple[Space, Space]
) -> None:
    _, theirs = spaces
    with db.transaction() as session:
        repo.upsert_channel_status(
            session,
            workspace_id=theirs.id,
            contact_id=theirs.contact_id,
            channel="sms",
            status="unsubscribed",
            source="a STOP",
            now=MORNING,
        )
        repo.upsert_channel_statuses(
            session,
            workspace_id=theirs.id,
            channel="email",
            status="bounced",
            sources={theirs.contact_id: "550"},
            now=MORNING,
        )
    with db.transaction() as session:
        stored = session.execute(
            select(tables.ContactChannel.channel, tables.ContactChannel.status)
            .where(tables.ContactChannel.contact_id == theirs.contact_id)
            .order_by(tables.ContactChannel.channel)
        ).all()
    assert [tuple(row) for row in stored] == [("email", "bounced"), ("sms", "unsubscribed")]
