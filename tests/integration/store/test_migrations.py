from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from factories import empty_postgres_database
from journeyscope.errors import SchemaOutOfDate
from journeyscope.store import current_revision, ensure_schema, head_revision, make_engine, upgrade
from journeyscope.store.migrate import backup_sqlite
from journeyscope.store.tables import Base

TABLES = {
    "workspace",
    "api_key",
    "user",
    "journey",
    "stage",
    "touchpoint",
    "contact",
    "event",
    "survey",
    "survey_version",
    "response",
    "metric_fact",
    "survey_display",
    "trigger_rule",
    "invitation",
    "contact_channel",
    "interview",
    "interview_utterance",
    "interview_finding",
    "response_segment",
    "metric_rollup",
    "segment_rollup",
    "verbatim",
    "metric_change",
}


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    """A brand-new empty database (a fresh schema on PostgreSQL)."""
    if backend == "sqlite":
        yield URL.create("sqlite", database=str(tmp_path / "empty.db"))
        return
    server: URL = request.getfixturevalue("postgres_server")
    with empty_postgres_database(server, "empty") as url:
        yield url


def test_upgrade_from_empty_creates_every_table(empty_url: URL) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_upgrade_twice_is_a_no_op(empty_url: URL) -> None:
    engine = make_engine(empty_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_migrations_match_the_models_exactly(empty_url: URL) -> None:
    engine = make_engine(empty_url)
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_ensure_schema_upgrades_sqlite_and_refuses_old_postgres(
    empty_url: URL, backend: str
) -> None:
    engine = make_engine(empty_url)
    if backend == "sqlite":
        ensure_schema(engine)
        assert current_revision(engine) == head_revision()
    else:
        with pytest.raises(SchemaOutOfDate) as caught:
            ensure_schema(engine)
        assert "journeyscope db upgrade" in (caught.value.hint or "")
        assert current_revision(engine) is None
    engine.dispose()


def test_sqlite_backup_is_a_complete_copy(tmp_path: Path) -> None:
    engine = make_engine(URL.create("sqlite", database=str(tmp_path / "live.db")))
    upgrade(engine)
    copy = backup_sqlite(engine, "test")
    engine.dispose()
    assert copy == tmp_path / "live.db.before-test.bak"
    restored = make_engine(URL.create("sqlite", database=str(copy)))
    assert current_revision(restored) == head_revision()
    assert set(inspect(restored).get_table_names()) >= TABLES
    restored.dispose()


def test_serve_backs_up_an_older_sqlite_file_before_upgrading_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(URL.create("sqlite", database=str(path)))
    upgrade(engine, "0001")
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    backup = tmp_path / "old.db.before-upgrade-from-0001.bak"
    old = make_engine(URL.create("sqlite", database=str(backup)))
    assert current_revision(old) == "0001"
    assert "survey" not in inspect(old).get_table_names()
    old.dispose()


def test_upgrade_to_0003_gives_existing_surveys_and_touchpoints_distinct_public_ids(
    empty_url: URL,
) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0002")
    workspace, journey, stage = (uuid.uuid4().hex for _ in range(3))
    now = "2026-11-24 10:00:00"
    rows = [
        "INSERT INTO workspace (id, slug, name, created_at) VALUES (:w, 'acme', 'Acme', :now)",
        "INSERT INTO journey (id, workspace_id, key, name, description, created_at, updated_at)"
        " VALUES (:j, :w, 'retail', 'Retail', '', :now, :now)",
        "INSERT INTO stage (id, workspace_id, journey_id, key, name, description,"
        " customer_actions, position, created_at, updated_at)"
        " VALUES (:s, :w, :j, 'buy', 'Buy', '', '[]', 0, :now, :now)",
    ]
    points = [uuid.uuid4().hex, uuid.uuid4().hex]
    surveys = [uuid.uuid4().hex, uuid.uuid4().hex]
    with engine.begin() as connection:
        params = {"w": workspace, "j": journey, "s": stage, "now": now}
        for sql in rows:
            connection.execute(text(sql), params)
        for position, point in enumerate(points):
            connection.execute(
                text(
                    "INSERT INTO touchpoint (id, workspace_id, journey_id, stage_id, key, name,"
                    " channel, description, position, created_at, updated_at) VALUES"
                    " (:id, :w, :j, :s, :key, 'Till', 'onsite', '', :pos, :now, :now)"
                ),
                {**params, "id": point, "key": f"till-{position}", "pos": position},
            )
        for number, survey in enumerate(surveys):
            connection.execute(
                text(
                    "INSERT INTO survey (id, workspace_id, key, name, draft, created_at,"
                    " updated_at) VALUES (:id, :w, :key, 'S', '{}', :now, :now)"
                ),
                {**params, "id": survey, "key": f"s{number}"},
            )
    upgrade(engine)
    with engine.connect() as connection:
        survey_ids = connection.execute(text("SELECT public_id, targeting FROM survey")).all()
        point_ids = connection.execute(text("SELECT public_id FROM touchpoint")).scalars().all()
        days = connection.execute(text("SELECT recontact_days FROM workspace")).scalar_one()
    engine.dispose()
    public_ids = [row[0] for row in survey_ids] + list(point_ids)
    assert len(set(public_ids)) == 4
    assert all(len(public_id) == 16 for public_id in public_ids)
    assert all(row[1] in ({}, "{}") for row in survey_ids)
    assert days == 14


def _insert(connection: Any, table: str, **values: Any) -> None:
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)  # noqa: S608


def test_upgrades_to_0010_and_0013_fill_the_rollups_from_the_facts_already_stored(
    empty_url: URL,
) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0008")
    w, s, v = (uuid.uuid4().hex for _ in range(3))
    now = "2026-11-24 10:00:00"
    with engine.begin() as connection:
        _insert(connection, "workspace", id=w, slug="acme", name="Acme", created_at=now)
        _insert(connection, "survey", id=s, workspace_id=w, key="s", name="S", draft="{}",
                public_id="p" * 16, targeting="{}", created_at=now, updated_at=now)  # fmt: skip
        _insert(connection, "survey_version", id=v, workspace_id=w, survey_id=s, number=1,
                definition="{}", published_at=now)  # fmt: skip
        for i, (score, locale) in enumerate([(9, "fr"), (9, "fr"), (3, None)]):
            r = uuid.uuid4().hex
            _insert(connection, "response", id=r, workspace_id=w, client_id=uuid.uuid4().hex,
                    survey_id=s, survey_version_id=v, channel="email", locale=locale,
                    answers="{}", is_complete=True, started_at=now, updated_at=now)  # fmt: skip
            _insert(connection, "metric_fact", id=uuid.uuid4().hex, workspace_id=w,
                    response_id=r, survey_id=s, question_id="q", metric="nps", value=score,
                    scale_min=0, scale_max=10, channel="email", day=f"2026-11-2{i}")  # fmt: skip
    upgrade(engine, "0010")
    with engine.connect() as connection:
        metric = connection.execute(
            text("SELECT score, SUM(count) FROM metric_rollup GROUP BY score ORDER BY score")
        ).all()
        segment = connection.execute(
            text(
                "SELECT dimension, value, SUM(count) FROM segment_rollup GROUP BY dimension, value"
            )
        ).all()
    upgrade(engine)  # 0013: a histogram row per key, filled from the same facts
    with engine.connect() as connection:
        histogram = connection.execute(
            text("SELECT SUM(h3), SUM(h9), SUM(h0 + h1 + h2 + h4 + h10) FROM metric_rollup")
        ).one()
        languages = connection.execute(
            text("SELECT dimension, value, SUM(h9) FROM segment_rollup GROUP BY dimension, value")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in metric] == [(3, 1), (9, 2)]
    assert [tuple(row) for row in segment] == [("language", "fr", 2)]
    assert tuple(histogram) == (1, 2, 0)
    assert [tuple(row) for row in languages] == [("language", "fr", 2)]


def test_upgrade_to_0009_marks_analysed_interviews_and_queues_nothing(empty_url: URL) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0008")
    workspace = uuid.uuid4().hex
    now = "2026-11-24 10:00:00"
    insert = (
        "INSERT INTO interview (id, workspace_id, title, format, source_filename, imported_at,"
        " redacted, warnings, analyzed_at) VALUES (:id, :w, 't', 'plain', '', :now, false,"
        " '[]', :at)"
    )
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspace (id, slug, name, created_at) VALUES (:w, 'a', 'A', :now)"),
            {"w": workspace, "now": now},
        )
        for at in (now, None):
            connection.execute(
                text(insert), {"id": uuid.uuid4().hex, "w": workspace, "now": now, "at": at}
            )
    upgrade(engine)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT status, attempts, analyzed_at IS NULL FROM interview ORDER BY 3")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in found] == [("analysed", 0, False), ("imported", 0, True)]
