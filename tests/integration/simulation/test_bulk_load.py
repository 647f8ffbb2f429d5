"""The bulk loader writes what live traffic would for the same responses, and refuses reloads."""

from __future__ import annotations

import datetime as dt
import operator
import uuid

import pytest
from sqlalchemy import func, select

from factories import Tenant
from journeyscope import analytics, collection, simulation, surveys, workspaces
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput
from journeyscope.store import Database, tables

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
FACT_COLUMNS = (
    *("response_id", "question_id", "metric", "value", "scale_min", "scale_max"),
    *("touchpoint_id", "channel", "day"),
)
SEGMENTS = {"tier": ("gold", "silver", "bronze"), "plan": ("pro", "free")}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _load(db: Database, tenant: Tenant, **overrides: object) -> simulation.BulkReport:
    given: dict[str, object] = {
        "start": dt.date(2026, 11, 1),
        "days": 20,
        "responses": 600,
        "seed": 5,
        "segments": SEGMENTS,
    }
    return simulation.load_responses(db, workspace_id=tenant.id, **(given | overrides))  # type: ignore[arg-type]


def _count(db: Database, table: object) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def _declare(db: Database, tenant: Tenant, names: list[str]) -> None:
    changes = workspaces.WorkspaceChanges(segments=names)
    workspaces.set_contact_limits(db, workspace_id=tenant.id, limits=changes)


def test_counts_match_the_tables_and_the_rollups_match_a_rebuild(
    db: Database, tenant: Tenant
) -> None:
    _declare(db, tenant, ["tier"])
    report = _load(db, tenant)
    assert 450 < report.responses < 750
    assert _count(db, tables.Response) == report.responses
    assert _count(db, tables.MetricFact) == report.facts == 6 * report.responses
    # only the declared segment is snapshotted
    assert _count(db, tables.ResponseSegment) == report.segment_rows == report.responses
    assert _count(db, tables.MetricRollup) > 0
    assert _count(db, tables.SegmentRollup) > 0
    assert analytics.rebuild_rollups(db, workspace_id=tenant.id, fix=False).is_clean


def test_facts_are_those_a_save_would_write_for_the_stored_answers(
    db: Database, tenant: Tenant
) -> None:
    _load(db, tenant, days=3, responses=60)
    with db.transaction() as session:
        rows = session.execute(select(tables.Response.__table__)).mappings().all()
        stored = session.execute(select(tables.MetricFact.__table__)).mappings().all()
    definition = simulation.simulated_survey()
    key = operator.itemgetter(*FACT_COLUMNS)
    made = {key(f) for row in rows for f in collection.fact_rows(row, definition)}
    found = {key(f) for f in stored}
    assert found == made
    assert all(row["is_complete"] and row["completed_at"].tzinfo for row in rows)
    assert all(
        surveys.check_answers(definition, row["answers"], complete=True) == [] for row in rows
    )
    assert all(isinstance(row["id"], uuid.UUID) for row in rows)


def test_metric_queries_read_the_loaded_rollups(db: Database, tenant: Tenant) -> None:
    _declare(db, tenant, ["tier"])
    report = _load(db, tenant)
    table = analytics.metric_table(db, workspace_id=tenant.id, metric="nps", by="segment:tier")
    assert sum(cell.estimate.n for cell in table.cells) == report.responses
    assert {cell.keys["segment:tier"] for cell in table.cells} == {"gold", "silver", "bronze"}


def test_a_second_load_over_the_range_is_refused(db: Database, tenant: Tenant) -> None:
    _load(db, tenant, days=2, responses=40)
    with pytest.raises(InvalidInput, match="empty range only"):
        _load(db, tenant, days=2, responses=40)
    with pytest.raises(InvalidInput, match="cannot be loaded"):
        _load(db, tenant, start=dt.date(2026, 10, 1), responses=0)


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (dt.date(2026, 11, 4), dt.date(2026, 11, 19)),  # Wednesday to Thursday: days, weeks, days
        (dt.date(2026, 11, 2), dt.date(2026, 11, 16)),  # Monday to Monday: weeks only
        (dt.date(2026, 11, 5), dt.date(2026, 11, 9)),  # within one week: days only
    ],
)
def test_whole_weeks_from_the_weekly_rollup_and_edge_days_add_up_to_the_facts(
    db: Database, tenant: Tenant, since: dt.date, until: dt.date
) -> None:
    _load(db, tenant)
    with db.transaction() as session:
        facts = session.scalar(
            select(func.count())
            .select_from(tables.MetricFact)
            .where(
                tables.MetricFact.metric == "nps",
                tables.MetricFact.day >= since,
                tables.MetricFact.day < until,
            )
        )
    for grain in (None, "week", "day"):
        table = analytics.metric_table(
            db, workspace_id=tenant.id, metric="nps", by="stage", grain=grain,
            since=since, until=until,
        )  # fmt: skip
        assert sum(cell.estimate.n for cell in table.cells) == facts > 0
