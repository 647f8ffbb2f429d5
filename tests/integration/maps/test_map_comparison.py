"""Two periods or two segments side by side on the map: each stage's metrics on both sides
and the difference with its interval and p-value, as analytics computes them; SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import Tenant
from journeyscope import analytics, maps, simulation
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput
from journeyscope.store import Database
from metrics_support import declare_segments

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
SINCE, UNTIL = dt.date(2027, 2, 15), dt.date(2027, 3, 1)
MIN_N = 5
GOLD, SILVER = {"segment:tier": ["gold"]}, {"segment:tier": ["silver"]}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def simulated(db: Database, tenant: Tenant) -> Tenant:
    """Four weeks of saas-app traffic: the map's fortnight and the one before it."""
    declare_segments(db, tenant, "tier")
    simulation.simulate(
        db, workspace_id=tenant.id, start=SINCE - dt.timedelta(days=14), days=28,
        responses_per_day=60, seed=4, journey_key="saas-app",
    )  # fmt: skip
    return tenant


def _map(db: Database, tenant: Tenant, **options: object) -> maps.JourneyMap:
    return maps.journey_map(
        db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE, until=UNTIL,
        min_n=MIN_N, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_previous_period_sits_beside_this_one(db: Database, simulated: Tenant) -> None:
    mapped = _map(db, simulated, compare="previous")
    cmp = mapped.comparison
    assert cmp is not None and cmp.kind == "previous"
    assert (cmp.base.since, cmp.base.until) == (SINCE - dt.timedelta(days=14), SINCE)
    assert (cmp.other.since, cmp.other.until) == (SINCE, UNTIL)
    assert [s.stage for s in cmp.stages] == [s.key for s in mapped.stages]
    expected = analytics.compare_metric(
        db, workspace_id=simulated.id, metric="nps", since=SINCE, until=UNTIL, by="stage",
        journey="saas-app", min_n=MIN_N,
    )  # fmt: skip
    by_stage = {dict(c.group)["stage"]: c for c in expected.cells}
    compared = 0
    for stage, sc in zip(mapped.stages, cmp.stages, strict=True):
        nps = next(m for m in sc.metrics if m.metric == "nps")
        assert nps.difference == by_stage[stage.key].difference
        this_period = next(m.estimate for m in stage.metrics if m.metric == "nps")
        assert nps.difference.other == this_period  # the map's own figure is the "other" side
        if nps.difference.value is not None:
            compared += 1
            assert nps.difference.low < nps.difference.value < nps.difference.high  # type: ignore[operator]
            assert 0 <= nps.difference.p_value <= 1  # type: ignore[operator]
    assert compared >= 3
    assert {m.metric for sc in cmp.stages for m in sc.metrics} == {"nps", "csat", "ces"}


def test_two_segments_side_by_side_are_each_segments_own_map(
    db: Database, simulated: Tenant
) -> None:
    mapped = _map(db, simulated, filters=GOLD, compare="segment", compare_filters=SILVER)
    gold, silver = _map(db, simulated, filters=GOLD), _map(db, simulated, filters=SILVER)
    cmp = mapped.comparison
    assert cmp is not None and cmp.kind == "segment"
    assert (cmp.base.filters, cmp.other.filters) == (
        {"segment:tier": ("gold",)},
        {"segment:tier": ("silver",)},
    )
    assert "gold" in cmp.base.label and "silver" in cmp.other.label
    differences = 0
    for sc, a, b in zip(cmp.stages, gold.stages, silver.stages, strict=True):
        for md in sc.metrics:
            d = md.difference
            assert d.base == next(m.estimate for m in a.metrics if m.metric == md.metric)
            assert d.other == next(m.estimate for m in b.metrics if m.metric == md.metric)
            if d.value is not None:
                differences += 1
                assert d.value == pytest.approx(d.other.value - d.base.value)  # type: ignore[operator]
                assert d.p_value is not None
    assert differences >= 3


def test_a_comparison_must_be_one_known_kind_with_another_side(
    db: Database, simulated: Tenant
) -> None:
    for options, field in [
        ({"compare": "previous", "compare_filters": SILVER}, "compare_segment"),
        ({"compare": "yesterday"}, "compare"),
        ({"compare": "segment"}, "compare_segment"),
        ({"filters": GOLD, "compare": "segment", "compare_filters": GOLD}, "compare_segment"),
        ({"compare": "segment", "compare_filters": {"stage": ["x"]}}, "filter"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            _map(db, simulated, **options)
        assert caught.value.field == field, options
    assert _map(db, simulated).comparison is None
