"""Rollups: counted in the completion's transaction, segments snapshotted, rebuilt from facts."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from factories import Tenant
from journeyscope import analytics
from journeyscope.clock import FixedClock
from journeyscope.store import Database, tables
from metrics_support import START, complete, declare_segments, make_journey, set_attributes


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def journey(db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)


def _histogram(db: Database, table: Any, **where: Any) -> dict[int, int]:
    """``{score: count}`` over the rollup rows matching ``where`` (scores as h<i> columns)."""
    conditions = [table.c[name] == value for name, value in where.items()]
    bins = [table.c[name] for name in tables.HISTOGRAM]
    stmt = select(table.c.scale_min, *bins).where(*conditions)
    found: dict[int, int] = {}
    with db.transaction() as session:
        for low, *counts in session.execute(stmt):
            for i, n in enumerate(counts):
                if n:
                    found[low + i] = found.get(low + i, 0) + n
    return found


METRIC = tables.MetricRollup.__table__
SEGMENT = tables.SegmentRollup.__table__


@pytest.mark.usefixtures("journey")
def test_completion_counts_each_score_into_the_rollup(db: Database, tenant: Tenant) -> None:
    for score in (10, 10, 3):
        complete(db, tenant, score, sat=5)
    assert _histogram(db, METRIC, metric="nps") == {10: 2, 3: 1}
    assert _histogram(db, METRIC, metric="csat") == {5: 3}
    assert analytics.rebuild_rollups(db, workspace_id=tenant.id).is_clean


@pytest.mark.usefixtures("journey")
def test_language_and_device_class_are_rolled_up_from_the_response(
    db: Database, tenant: Tenant
) -> None:
    complete(db, tenant, 9, locale="fr", device_class="mobile")
    complete(db, tenant, 2, locale="de")
    assert _histogram(db, SEGMENT, dimension="language", value="fr") == {9: 1}
    assert _histogram(db, SEGMENT, dimension="device_class") == {9: 1}
    assert analytics.rebuild_rollups(db, workspace_id=tenant.id).is_clean


@pytest.mark.usefixtures("journey")
def test_a_later_attribute_change_does_not_rewrite_history(db: Database, tenant: Tenant) -> None:
    declare_segments(db, tenant, "tier", "region")
    set_attributes(db, tenant, "C-1", tier="gold", region="north")
    complete(db, tenant, 10, contact="C-1")
    set_attributes(db, tenant, "C-1", tier="silver")
    complete(db, tenant, 4, contact="C-1")
    assert _histogram(db, SEGMENT, dimension="segment:tier", value="gold") == {10: 1}
    assert _histogram(db, SEGMENT, dimension="segment:tier", value="silver") == {4: 1}
    assert _histogram(db, SEGMENT, dimension="segment:region", value="north") == {10: 1, 4: 1}
    # the rebuild counts the snapshots, not the contact's current attributes
    assert analytics.rebuild_rollups(db, workspace_id=tenant.id).is_clean


@pytest.mark.usefixtures("journey")
def test_attributes_that_are_not_segments_are_not_kept(db: Database, tenant: Tenant) -> None:
    declare_segments(db, tenant, "tier")
    set_attributes(db, tenant, "C-1", tier=["a", "list"], plan="pro")
    complete(db, tenant, 8, contact="C-1")
    with db.transaction() as session:
        assert session.scalars(select(tables.ResponseSegment.attribute)).all() == []


@pytest.mark.usefixtures("journey")
def test_rebuild_finds_and_fixes_every_kind_of_difference(db: Database, tenant: Tenant) -> None:
    complete(db, tenant, 10, locale="en")
    complete(db, tenant, 6, locale="en")
    with db.transaction() as session:
        nps = METRIC.c.metric == "nps"
        session.execute(update(METRIC).where(nps, METRIC.c.h10 == 1).values(h10=7))
        session.execute(update(SEGMENT).where(SEGMENT.c.h6 == 1).values(h6=0))
        row = session.execute(select(METRIC).where(nps)).mappings().one()
        ghost = dict.fromkeys(tables.HISTOGRAM, 0) | {"h0": 2, "question_id": "ghost"}
        session.execute(insert(METRIC).values({**row, **ghost}))
    report = analytics.rebuild_rollups(db, workspace_id=tenant.id)
    found = {(d.table, d.key["score"], d.expected, d.found) for d in report.differences}
    assert found == {
        ("metric_rollup", 10, 1, 7),  # a wrong count
        ("metric_rollup", 0, 0, 2),  # a row no fact backs
        ("segment_rollup", 6, 1, 0),  # a missing row
    }
    assert report.differing == 3
    assert _histogram(db, METRIC, metric="nps") == {10: 1, 6: 1}
    assert _histogram(db, SEGMENT, dimension="language") == {10: 1, 6: 1}
    assert analytics.rebuild_rollups(db).is_clean


@pytest.mark.usefixtures("journey")
def test_concurrent_completions_are_all_counted(db: Database, tenant: Tenant) -> None:
    clients = 16
    start = threading.Barrier(clients)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            complete(db, tenant, 9 if i % 2 else 3, sat=4, locale="en")
        except BaseException as exc:  # reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _histogram(db, METRIC, metric="nps") == {9: 8, 3: 8}
    assert _histogram(db, SEGMENT, dimension="language", metric="csat") == {4: 16}
    assert analytics.rebuild_rollups(db, workspace_id=tenant.id).is_clean


@pytest.mark.usefixtures("journey")
def test_a_fact_without_a_touchpoint_is_keyed_by_the_nil_uuid(db: Database, tenant: Tenant) -> None:
    with db.transaction() as session:
        session.execute(update(tables.Survey).values(touchpoint_id=None))
    complete(db, tenant, 7)
    assert _histogram(db, METRIC, touchpoint_id=uuid.UUID(int=0)) == {7: 1}
    assert analytics.rebuild_rollups(db).is_clean
