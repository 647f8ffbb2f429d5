"""Invitation states are held by the database: a CHECK constraint, added by migration 0008.

The migration refuses (and changes nothing) when rows hold a state no code knows, saying which
and how to fix them; once they are fixed, it goes through. It is tested from whatever revision
it follows, so it holds however the migrations are chained.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError

from factories import Tenant, empty_postgres_database, make_published_survey
from journeyscope import orchestration
from journeyscope.errors import Conflict
from journeyscope.store import Database, current_revision, head_revision, make_engine, upgrade
from journeyscope.store.migrate import MIGRATIONS_DIR, alembic_config

BEFORE = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision("0008").down_revision
NOW = "2026-11-24 10:00:00"
WORKSPACE, SURVEY = uuid.uuid4().hex, uuid.uuid4().hex
INSERT = text(
    "INSERT INTO invitation (id, workspace_id, survey_id, channel, state, detail, nonce, due_at,"
    " expires_at, attempts, created_at, updated_at) VALUES (:id, :w, :s, 'email', :state, '',"
    " :nonce, :now, :now, 0, :now, :now)"
)


@pytest.fixture
def old_engine(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database at the revision before 0008, with a workspace and a survey."""
    if backend == "sqlite":
        engine = make_engine(URL.create("sqlite", database=str(tmp_path / "old.db")))
        yield from _at_before(engine)
        return
    server: URL = request.getfixturevalue("postgres_server")
    with empty_postgres_database(server, "states") as url:
        yield from _at_before(make_engine(url))


def _at_before(engine: Engine) -> Iterator[Engine]:
    assert isinstance(BEFORE, str)
    upgrade(engine, BEFORE)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspace (id, slug, name, created_at) VALUES (:w, 'a', 'A', :now)"),
            {"w": WORKSPACE, "now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO survey (id, workspace_id, key, name, public_id, targeting, draft,"
                " created_at, updated_at) VALUES (:s, :w, 'visit', 'Visit', 'pub', '{}', '{}',"
                " :now, :now)"
            ),
            {"s": SURVEY, "w": WORKSPACE, "now": NOW},
        )
    yield engine
    engine.dispose()


def _row(workspace: str, survey: str, state: str) -> dict[str, str]:
    return {"id": uuid.uuid4().hex, "nonce": uuid.uuid4().hex, "now": NOW} | {
        "w": workspace,
        "s": survey,
        "state": state,
    }


def _invitation(engine: Engine, state: str) -> None:
    with engine.begin() as connection:
        connection.execute(INSERT, _row(WORKSPACE, SURVEY, state))


def _checks(engine: Engine) -> list[str]:
    return sorted(str(c["name"]) for c in inspect(engine).get_check_constraints("invitation"))


def _states(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(text("SELECT state FROM invitation")).scalars())


def test_the_upgrade_refuses_unknown_states_and_changes_nothing(old_engine: Engine) -> None:
    for state in ("sent", "lost", "lost", "parked"):
        _invitation(old_engine, state)
    with pytest.raises(Conflict) as refused:
        upgrade(old_engine)
    assert "'lost' (2 rows), 'parked' (1 row)" in refused.value.message
    assert "UPDATE invitation SET state = 'failed' WHERE state = 'lost'" in (
        refused.value.hint or ""
    )
    assert current_revision(old_engine) == BEFORE
    assert _states(old_engine) == ["lost", "lost", "parked", "sent"]
    _invitation(old_engine, "kept")  # no constraint yet: nothing of it was applied


def test_the_upgrade_goes_through_once_the_rows_are_fixed(old_engine: Engine) -> None:
    _invitation(old_engine, "sent")
    _invitation(old_engine, "lost")
    with pytest.raises(Conflict):
        upgrade(old_engine)
    with old_engine.begin() as connection:
        connection.execute(text("UPDATE invitation SET state = 'failed' WHERE state = 'lost'"))
    upgrade(old_engine)
    assert current_revision(old_engine) == head_revision()
    assert _states(old_engine) == ["failed", "sent"]
    assert _checks(old_engine) == ["ck_invitation_state"]  # the name the models give it
    with pytest.raises(IntegrityError):
        _invitation(old_engine, "lost")


def test_the_downgrade_takes_the_constraint_away(old_engine: Engine) -> None:
    upgrade(old_engine, "0008")
    assert _checks(old_engine) == ["ck_invitation_state"]
    command.downgrade(alembic_config(old_engine), str(BEFORE))
    assert _checks(old_engine) == []
    _invitation(old_engine, "lost")


def test_the_database_refuses_a_state_the_code_does_not_know(db: Database, tenant: Tenant) -> None:
    assert _checks(db.engine) == ["ck_invitation_state"]
    survey = make_published_survey(db, tenant).survey_id.hex
    with db.transaction() as session:  # every state the code knows is accepted
        for state in orchestration.InvitationState:
            session.execute(INSERT, _row(tenant.id.hex, survey, state))
    with pytest.raises(IntegrityError, match="ck_invitation_state"), db.transaction() as session:
        session.execute(INSERT, _row(tenant.id.hex, survey, "Sent"))
