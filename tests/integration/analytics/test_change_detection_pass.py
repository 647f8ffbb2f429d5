"""The scheduled change detection: touchpoint series from the rollups, changes stored."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import Tenant
from journeyscope import analytics
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database
from metrics_support import START, make_journey, plant_daily_nps

DAYS = 120
DROP = 100  # the last 20 days are 30 NPS points lower


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def test_a_planted_drop_is_stored_with_where_when_and_size(db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=DAYS, drop_after=DROP)
    done = analytics.detect_metric_changes(db, workspace_id=tenant.id)
    assert (done.workspaces, done.series) == (1, 1)
    [change] = analytics.list_changes(db, workspace_id=tenant.id).items
    assert (change.journey, change.stage, change.touchpoint) == ("retail", "buy", "till")
    assert (change.metric, change.statistic, change.direction) == ("nps", "nps", "down")
    start = START.date() - dt.timedelta(days=DAYS - 1 - DROP)
    assert abs((change.started_on - start).days) <= 3
    assert change.low < -0.3 < change.high
    assert change.p_value < 0.05
    assert change.detected_at == START


def test_a_flat_series_gives_no_change(db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=DAYS)
    done = analytics.detect_metric_changes(db)
    assert (done.series, done.changes) == (1, 0)
    assert analytics.list_changes(db, workspace_id=tenant.id).items == []


def test_a_later_pass_keeps_when_a_change_was_first_detected(
    db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=DAYS, drop_after=DROP)
    analytics.detect_metric_changes(db, workspace_id=tenant.id)
    clock.advance(hours=1)
    analytics.detect_metric_changes(db, workspace_id=tenant.id)
    [change] = analytics.list_changes(db, workspace_id=tenant.id).items
    assert change.detected_at == START


def test_changes_are_filtered_by_journey_metric_and_start(db: Database, tenant: Tenant) -> None:
    make_journey(db, tenant)
    plant_daily_nps(db, tenant, days=DAYS, drop_after=DROP)
    analytics.detect_metric_changes(db, workspace_id=tenant.id)
    late = START.date() + dt.timedelta(days=1)
    assert analytics.list_changes(db, workspace_id=tenant.id, metric="csat").items == []
    assert analytics.list_changes(db, workspace_id=tenant.id, since=late).items == []
    assert len(analytics.list_changes(db, workspace_id=tenant.id, journey="retail").items) == 1
    with pytest.raises(NotFound):
        analytics.list_changes(db, workspace_id=tenant.id, journey="nope")
    with pytest.raises(InvalidInput) as caught:
        analytics.list_changes(db, workspace_id=tenant.id, metric="rating")
    assert caught.value.field == "metric"
