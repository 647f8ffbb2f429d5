"""Metric tables and period comparisons answered from the rollups, on both databases."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest

from factories import Tenant
from journeyscope import analytics
from journeyscope.analytics import NpsCounts, compare_nps, estimate_nps, estimate_proportion
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database
from metrics_support import START, complete, declare_segments, make_journey, set_attributes

WEEK_1 = START.date()  # Monday of 2026-W10


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def scored(db: Database, tenant: Tenant, clock: FixedClock) -> None:
    """Week 1: the till 20 promoters, 5 passives, 5 detractors; the call 10/10/10.
    Week 2: the till 10/10/10."""
    make_journey(db, tenant)
    for survey, counts in (("visit", (20, 5, 5)), ("care", (10, 10, 10))):
        for score, n in zip((10, 7, 2), counts, strict=True):
            for _ in range(n):
                complete(db, tenant, score, survey=survey, sat=score // 2)
    clock.advance(days=7)
    for score in (10, 7, 2):
        for _ in range(10):
            complete(db, tenant, score)


def _table(db: Database, tenant: Tenant, **options: Any) -> analytics.MetricTable:
    return analytics.metric_table(db, workspace_id=tenant.id, **{"metric": "nps", **options})


@pytest.mark.usefixtures("scored")
def test_nps_by_stage_and_iso_week_in_journey_order(db: Database, tenant: Tenant) -> None:
    table = _table(db, tenant, by="stage", grain="week", journey="retail")
    cells = [(c.keys["stage"], c.label, c.estimate.n) for c in table.cells]
    assert cells == [("buy", "2026-W10", 30), ("buy", "2026-W11", 30), ("care", "2026-W10", 30)]
    assert table.cells[0].estimate == estimate_nps(detractors=5, passives=5, promoters=20)
    assert table.cells[0].period == WEEK_1


@pytest.mark.usefixtures("scored")
def test_a_cell_below_min_n_gives_n_and_no_number(db: Database, tenant: Tenant) -> None:
    table = _table(db, tenant, by="touchpoint", since=WEEK_1, until=WEEK_1 + dt.timedelta(7))
    [till, call] = table.cells
    assert (till.keys, call.keys) == ({"touchpoint": "till"}, {"touchpoint": "call"})
    small = _table(db, tenant, by="touchpoint", min_n=31, since=WEEK_1 + dt.timedelta(7))
    [cell] = small.cells
    assert (cell.estimate.n, cell.estimate.value, cell.estimate.is_too_few) == (30, None, True)


@pytest.mark.usefixtures("scored")
def test_csat_defaults_to_the_top_two_box_share(db: Database, tenant: Tenant) -> None:
    table = _table(db, tenant, metric="csat", filters={"survey": "visit"})
    [cell] = table.cells
    # week 1 only (week 2 left it out): sat = score // 2 gives 20 fives, 5 threes, 5 ones
    assert table.statistic == "top2"
    assert cell.estimate == estimate_proportion(successes=20, n=30)
    mean = _table(db, tenant, metric="csat", statistic="mean", filters={"survey": "visit"})
    assert mean.cells[0].estimate.value == pytest.approx((20 * 5 + 5 * 3 + 5 * 1) / 30)


@pytest.mark.usefixtures("scored")
def test_filters_and_groups_by_channel_and_survey(db: Database, tenant: Tenant) -> None:
    table = _table(db, tenant, by=("survey", "channel"), filters={"stage": ["care"]})
    assert [(c.keys, c.estimate.n) for c in table.cells] == [
        ({"survey": "care", "channel": "onsite"}, 30)
    ]


@pytest.mark.usefixtures("scored")
def test_period_over_period_uses_the_same_length_before(db: Database, tenant: Tenant) -> None:
    week_2 = WEEK_1 + dt.timedelta(7)
    result = analytics.compare_metric(
        db,
        workspace_id=tenant.id,
        metric="nps",
        by="stage",
        since=week_2,
        until=week_2 + dt.timedelta(7),
        journey="retail",
    )
    assert (result.previous_since, result.previous_until) == (WEEK_1, week_2)
    [buy, care] = result.cells
    assert buy.difference == compare_nps(NpsCounts(5, 5, 20), NpsCounts(10, 10, 10))
    assert (care.current.n, care.previous.n, care.difference.value) == (0, 30, None)


@pytest.mark.usefixtures("scored")
def test_segments_group_metrics_with_stage(db: Database, tenant: Tenant) -> None:
    declare_segments(db, tenant, "tier")
    set_attributes(db, tenant, "C-1", tier="gold")
    set_attributes(db, tenant, "C-2", tier="silver")
    for contact, score in (("C-1", 10), ("C-1", 9), ("C-2", 0)):
        complete(db, tenant, score, contact=contact)
    table = _table(db, tenant, by=("stage", "segment:tier"), min_n=0)
    assert [(c.keys, c.estimate.n, c.estimate.value) for c in table.cells] == [
        ({"stage": "buy", "segment:tier": "gold"}, 2, 1.0),
        ({"stage": "buy", "segment:tier": "silver"}, 1, -1.0),
    ]
    gold = _table(db, tenant, filters={"segment:tier": "gold"}, min_n=0)
    assert gold.cells[0].estimate.n == 2


@pytest.mark.usefixtures("scored")
def test_a_segment_cannot_be_combined_with_channel(db: Database, tenant: Tenant) -> None:
    with pytest.raises(InvalidInput) as caught:
        _table(db, tenant, by="channel", filters={"segment:tier": "gold"})
    assert caught.value.field == "filters"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"metric": "nps", "statistic": "mean"}, "statistic"),
        ({"metric": "effort"}, "metric"),
        ({"metric": "nps", "grain": "year"}, "grain"),
        ({"metric": "nps", "by": "colour"}, "by"),
        ({"metric": "nps", "since": WEEK_1, "until": WEEK_1}, "since"),
    ],
)
def test_bad_options_name_their_field(
    db: Database, tenant: Tenant, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        analytics.metric_table(db, workspace_id=tenant.id, **options)
    assert caught.value.field == field


def test_an_unknown_journey_is_not_found(db: Database, tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        _table(db, tenant, journey="nope")


@pytest.mark.usefixtures("scored")
def test_to_polars_passes_one_record_per_cell(
    db: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("polars")
    fake.DataFrame = lambda records: records  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "polars", fake)
    records = _table(db, tenant, by="stage", journey="retail").to_polars()
    assert [(r["stage"], r["n"], r["is_too_few"]) for r in records] == [
        ("buy", 60, False),
        ("care", 30, False),
    ]


def test_to_pandas_without_pandas_says_how_to_install_it(
    db: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(InvalidInput) as caught:
        _table(db, tenant).to_pandas()
    assert "pip install pandas" in (caught.value.hint or "")
