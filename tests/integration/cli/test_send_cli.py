"""`journeyscope send SURVEY --contacts FILE.csv`: a wave under the same policies as rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration, surveys, workspaces
from journeyscope.cli import run
from journeyscope.clock import FixedClock
from journeyscope.collection import ContactIn, EventIn
from journeyscope.settings import Settings
from journeyscope.store import Database, tables

CSV = """\
external_id,email,name,timezone,segment
C-1,ana@example.com,Ana,Europe/Paris,gold
C-2,,Bo,,silver
C-3,cy@example.com,Cy,,gold
C-4,dee@example.com,Dee,,
C-1,ana@example.com,Ana again,,
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _invitations(db: Database) -> list[tuple[str, str, str | None]]:
    contact, invitation = tables.Contact, tables.Invitation
    stmt = (
        select(contact.external_id, invitation.state, invitation.reason)
        .join(contact, contact.id == invitation.contact_id)
        .order_by(contact.external_id, invitation.created_at)
    )
    with db.transaction() as session:
        return [tuple(row) for row in session.execute(stmt)]  # type: ignore[misc]


def _count(db: Database, table: type[tables.Base]) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
def wave_file(tmp_path: Path) -> Path:
    path = tmp_path / "wave.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def ready(cli_env: Settings, db: Database, tenant: Tenant) -> Tenant:
    """A published survey; C-3 unsubscribed from email; C-4 asked by an event 3 days ago."""
    make_published_survey(db, tenant, key="nps")
    workspaces.set_contact_limits(
        db, workspace_id=tenant.id, limits=workspaces.ContactLimits(recontact_days=30)
    )
    c3 = collection.upsert_contact(
        db, workspace_id=tenant.id, data=ContactIn(external_id="C-3", email="cy@example.com")
    ).contact
    collection.upsert_contact(
        db, workspace_id=tenant.id, data=ContactIn(external_id="C-4", email="dee@example.com")
    )
    orchestration.set_channel_status(
        db,
        workspace_id=tenant.id,
        contact_id=c3.id,
        channel="email",
        status="unsubscribed",
        source="test",
    )
    _invited_by_an_event(db, tenant, "C-4", db.clock.now() - dt.timedelta(days=3))
    return tenant


def _invited_by_an_event(db: Database, tenant: Tenant, external_id: str, when: dt.datetime) -> None:
    spec = orchestration.RuleSpec(key="after-sale", event_type="sale.completed", survey="nps")
    orchestration.put_rule(db, workspace_id=tenant.id, spec=spec)
    event = EventIn(type="sale.completed", occurred_at=when, contact_external_id=external_id)
    planning = Database(db.engine, clock=FixedClock(when))  # the same database, then
    orchestration.ingest_and_plan(planning, workspace_id=tenant.id, events=[event])
    with db.transaction() as session:
        session.execute(update(tables.Invitation).values(state="sent", sent_at=when))


def test_dry_run_counts_what_the_real_run_then_does(
    ready: Tenant, db: Database, wave_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts_before = _count(db, tables.Contact)
    code, out, _ = _run(capsys, "send", "nps", "--contacts", str(wave_file), "--dry-run")
    assert code == 0
    assert "  would be sent: 1\n" in out
    assert "  would be suppressed: 3\n" in out
    for reason in ("no_address: 1", "unsubscribed: 1", "recontact_period: 1"):
        assert reason in out
    assert "rows repeating an external_id, skipped: 1" in out
    assert (_count(db, tables.Contact), _count(db, tables.Invitation)) == (contacts_before, 1)

    code, out, _ = _run(capsys, "send", "nps", "--contacts", str(wave_file))
    assert code == 0
    assert "  scheduled to be sent: 1\n" in out and "  suppressed: 3\n" in out
    assert _invitations(db) == [
        ("C-1", "scheduled", None),
        ("C-2", "suppressed", "no_address"),
        ("C-3", "suppressed", "unsubscribed"),
        ("C-4", "sent", None),
        ("C-4", "suppressed", "recontact_period"),
    ]
    contact = collection.list_contacts(db, workspace_id=ready.id, email="ana@example.com")
    assert contact.items[0].attributes == {"segment": "gold"}
    assert contact.items[0].timezone == "Europe/Paris"


def test_the_same_wave_twice_plans_nothing_new(
    ready: Tenant, db: Database, wave_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "send", "nps", "--contacts", str(wave_file))
    planned = _count(db, tables.Invitation)
    for extra in ((), ("--dry-run",)):
        code, out, _ = _run(capsys, "send", "nps", "--contacts", str(wave_file), *extra)
        assert code == 0
        assert "planned by an earlier run of this wave: 4" in out
        assert "sent: 0\n" in out
    assert _count(db, tables.Invitation) == planned


def test_a_named_wave_survives_an_edited_file(
    ready: Tenant, db: Database, wave_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "send", "nps", "--contacts", str(wave_file), "--wave", "2026-q4")
    wave_file.write_text(CSV + "C-5,eve@example.com,Eve,,\n", encoding="utf-8")
    code, out, _ = _run(capsys, "send", "nps", "--contacts", str(wave_file), "--wave", "2026-q4")
    assert code == 0
    assert "wave 2026-q4" in out
    assert "  scheduled to be sent: 1\n" in out
    assert "planned by an earlier run of this wave: 4" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email,name\na@example.com,A\n", "no external_id column (found: email, name)"),
        (
            "external_id,email\nC-1,ana@example.com\nC-2,not-an-email\n",
            "line 3: email: value is not a valid email address",
        ),
        ("external_id,email\n,ana@example.com\n", "line 2: external_id: the external_id cell is"),
        ("external_id,timezone\nC-1,Mars/Base\n", "line 2: timezone: 'Mars/Base' is not an IANA"),
    ],
)
def test_a_bad_file_is_one_clear_error_and_writes_nothing(
    ready: Tenant,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    before = (_count(db, tables.Contact), _count(db, tables.Invitation))
    code, _, err = _run(capsys, "send", "nps", "--contacts", str(path))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert (_count(db, tables.Contact), _count(db, tables.Invitation)) == before


def test_an_unknown_or_unpublished_survey_is_refused(
    ready: Tenant, db: Database, wave_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "send", "ghost", "--contacts", str(wave_file))
    assert (code, "no survey 'ghost'" in err) == (1, True)
    surveys.create_survey(
        db,
        workspace_id=ready.id,
        data=surveys.SurveyCreate(key="draft", name="Draft", template="relationship-nps"),
    )
    code, _, err = _run(capsys, "send", "draft", "--contacts", str(wave_file))
    assert code == 1
    assert "not published yet" in err and "journeyscope survey publish draft" in err


def test_a_large_file_is_planned_in_a_few_queries_per_batch(
    ready: Tenant, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    lines = ["external_id,email"] + [f"B-{i},b{i}@example.com" for i in range(1200)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = orchestration.send_wave(
            db,
            workspace_id=ready.id,
            wave=orchestration.Wave(survey="nps", path=path, dry_run=True),
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert (report.rows, report.scheduled) == (1200, 1200)
    assert len(statements) < 40
