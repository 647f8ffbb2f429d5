"""The simulator writes what live traffic writes, once; the readers see its model in it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from factories import Tenant
from journeyscope import collection, orchestration, simulation
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput
from journeyscope.store import Database, tables

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
PUSH = ("email", "sms", "call_center")


@pytest.fixture
def clock() -> FixedClock:
    """After every simulated day: the simulator writes the past."""
    return FixedClock(NOW)


def _run(db: Database, tenant: Tenant, **overrides: object) -> simulation.SimulationReport:
    given: dict[str, object] = {
        "start": dt.date(2026, 11, 1),
        "days": 14,
        "responses_per_day": 25,
        "seed": 7,
    }
    return simulation.simulate(db, workspace_id=tenant.id, **(given | overrides))  # type: ignore[arg-type]


def _count(db: Database, table: object) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def _nps(values: list[float]) -> float:
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return 100 * (promoters - detractors) / len(values)


def test_counts_match_the_tables_and_every_response_has_its_facts(
    db: Database, tenant: Tenant
) -> None:
    report = _run(db, tenant)
    assert report.responses > 250
    assert _count(db, tables.Response) == report.responses
    assert _count(db, tables.Invitation) == report.invitations == report.events
    assert _count(db, tables.MetricFact) == report.responses * len(simulation.METRICS)


def test_the_funnel_endpoint_reads_a_consistent_funnel(db: Database, tenant: Tenant) -> None:
    _run(db, tenant)
    total = orchestration.invitation_funnel(
        db, workspace_id=tenant.id, query=orchestration.FunnelQuery()
    ).total
    assert total.planned > total.sent > total.opened > total.started > total.completed > 0
    assert total.bounced > 0 and total.failed > 0
    assert total.suppressed == sum(total.suppressed_by_reason.values()) > 0
    with db.transaction() as session:
        asked = session.scalar(
            select(func.count())
            .select_from(tables.Response)
            .where(tables.Response.channel.in_(PUSH))
        )
    assert total.completed == asked


def test_metric_facts_of_a_simulated_response_are_read_by_the_facts_reader(
    db: Database, tenant: Tenant
) -> None:
    _run(db, tenant, days=2)
    with db.transaction() as session:
        client_id = session.scalars(select(tables.Response.client_id).limit(1)).one()
    facts = collection.metric_facts(db, workspace_id=tenant.id, response_id=client_id)
    assert sorted(f["question_id"] for f in facts) == sorted(simulation.METRICS)


def test_a_second_run_with_the_same_seed_writes_nothing(db: Database, tenant: Tenant) -> None:
    first = _run(db, tenant, days=5)
    again = _run(db, tenant, days=5)
    assert (again.responses, again.invitations, again.events) == (0, 0, 0)
    assert again.days_skipped == 5
    assert _count(db, tables.Response) == first.responses
    assert _count(db, tables.Contact) == first.contacts


def test_a_longer_run_adds_only_the_new_days(db: Database, tenant: Tenant) -> None:
    first = _run(db, tenant, days=3)
    longer = _run(db, tenant, days=5)
    assert longer.days_skipped == 3
    assert _count(db, tables.Response) == first.responses + longer.responses


def test_contacts_carry_the_segments_as_attributes(db: Database, tenant: Tenant) -> None:
    _run(db, tenant, days=1, segments={"plan": ["pro", "free"]})
    with db.transaction() as session:
        attributes = session.scalars(select(tables.Contact.attributes)).all()
    assert {a["plan"] for a in attributes} == {"pro", "free"}


def test_a_planted_nps_drop_shows_in_the_facts(db: Database, tenant: Tenant) -> None:
    # The touchpoint gets a few answers a day: enough of them that a 50-point drop stands far
    # above the noise of two NPS estimates (a 40-point drop over 60 a day failed ~1 run in 6).
    change = simulation.PlantedChange("loyalty-nps", "nps", start_day=30, size=-50)
    _run(db, tenant, start=dt.date(2026, 9, 1), days=60, responses_per_day=240, planted=[change])
    with db.transaction() as session:
        rows = session.execute(
            select(tables.MetricFact.day, tables.MetricFact.value)
            .join(tables.Touchpoint, tables.Touchpoint.id == tables.MetricFact.touchpoint_id)
            .where(tables.Touchpoint.key == "loyalty-nps", tables.MetricFact.metric == "nps")
        ).all()
    cut = dt.date(2026, 10, 1)
    before = [value for day, value in rows if day < cut]
    after = [value for day, value in rows if day > cut]
    assert _nps(before) - _nps(after) > 20


def test_the_holiday_dip_shows_in_daily_means(db: Database, tenant: Tenant) -> None:
    _run(db, tenant, start=dt.date(2026, 10, 15), days=80, responses_per_day=40)
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    with db.transaction() as session:
        for day, value in session.execute(
            select(tables.MetricFact.day, tables.MetricFact.value).where(
                tables.MetricFact.metric == "nps"
            )
        ):
            by_day[day].append(value)
    dip = [
        v for day, vs in by_day.items() if abs((day - dt.date(2026, 12, 22)).days) <= 4 for v in vs
    ]
    usual = [v for day, vs in by_day.items() if day < dt.date(2026, 11, 30) for v in vs]
    assert sum(usual) / len(usual) - sum(dip) / len(dip) > 0.3


def test_a_range_reaching_today_is_refused(db: Database, tenant: Tenant) -> None:
    with pytest.raises(InvalidInput, match="not before today"):
        _run(db, tenant, start=NOW.date() - dt.timedelta(days=2), days=3)


def test_a_change_planted_on_an_unknown_touchpoint_is_refused(db: Database, tenant: Tenant) -> None:
    change = simulation.PlantedChange("nowhere", "nps", start_day=1, size=-8)
    with pytest.raises(InvalidInput, match="no touchpoint 'nowhere'"):
        _run(db, tenant, planted=[change])
