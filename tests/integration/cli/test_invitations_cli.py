"""`journeyscope invitations why CONTACT`: each invitation with its state and why, in words."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration
from journeyscope.cli import run
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, EventIn
from journeyscope.settings import Settings
from journeyscope.store import Database, tables

START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def asked_twice(cli_env: Settings, db: Database, tenant: Tenant) -> Tenant:
    """C-1 was sent a survey after a sale, and a second sale 3 days later was suppressed."""
    make_published_survey(db, tenant, key="visit")
    for external_id, email in (("C-1", "ana@example.com"), ("C-2", None)):
        collection.upsert_contact(
            db, workspace_id=tenant.id, data=ContactIn(external_id=external_id, email=email)
        )
    spec = orchestration.RuleSpec(key="after-sale", event_type="sale.completed", survey="visit")
    orchestration.put_rule(db, workspace_id=tenant.id, spec=spec)
    clock = FixedClock(START)
    planning = Database(db.engine, clock=clock)  # the same database, on the test's clock
    for moment in (START, START + dt.timedelta(days=3)):
        clock.current = moment
        event = EventIn(type="sale.completed", occurred_at=moment, contact_external_id="C-1")
        orchestration.ingest_and_plan(planning, workspace_id=tenant.id, events=[event])
        with db.transaction() as session:
            session.execute(
                update(tables.Invitation)
                .where(tables.Invitation.state == "scheduled")
                .values(state="sent", sent_at=moment)
            )
    return tenant


def test_why_lists_each_invitation_with_its_state_and_reason(
    asked_twice: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "invitations", "why", "C-1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "contact C-1: 2 invitations, newest first"
    assert lines[1] == (
        "  2026-11-27 10:00 UTC  visit by email: suppressed — the contact was asked too "
        "recently (the workspace's recontact period)"
    )
    assert lines[2] == "  2026-11-24 10:00 UTC  visit by email: sent (sent 2026-11-24 10:00 UTC)"


def test_why_says_so_when_a_contact_was_never_invited(
    asked_twice: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "invitations", "why", "C-2")
    assert code == 0
    assert "C-2 has no invitations" in out


def test_why_for_an_unknown_contact_is_one_line(
    asked_twice: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "invitations", "why", "ghost")
    assert code == 1
    assert "no contact with external_id 'ghost'" in err
    assert "Traceback" not in err
