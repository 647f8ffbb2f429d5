"""The signed-in overview: key metrics with what they are, detected changes marked, the funnel
per channel, this week's moves, "too few" where the minimum n is not met, and nothing of
another workspace."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_person, make_tenant
from journeyscope import analytics, orchestration, simulation
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from journeyscope.workspaces import Role
from signin_support import sign_in_as

NOW = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)  # 12 weeks without the holiday dip
DAYS = 84
PAGE = "/app/overview"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _fill(
    db: Database, tenant: Tenant, *, days: int, per_day: float, drop: bool, ago: int = 21
) -> str:
    """Simulate retail traffic ending yesterday; the busiest touchpoint's NPS drops ``ago``
    days before today if asked."""
    busiest = simulation.busiest_touchpoint(db, workspace_id=tenant.id, seed=3)
    planted = [simulation.PlantedChange(busiest, "nps", start_day=max(0, days - ago), size=-60)]
    simulation.simulate(
        db, workspace_id=tenant.id, start=NOW.date() - dt.timedelta(days=days), days=days,
        responses_per_day=per_day, seed=3, planted=planted if drop else (),
    )  # fmt: skip
    analytics.detect_metric_changes(db, workspace_id=tenant.id)
    return busiest


@pytest.fixture
def busy(db: Database, tenant: Tenant) -> str:
    """Twelve weeks of retail traffic with a planted NPS drop three weeks ago."""
    return _fill(db, tenant, days=DAYS, per_day=80, drop=True)


@pytest.fixture
def viewer(client: TestClient, tenant: Tenant, db: Database, busy: str) -> TestClient:
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    return client


def _card(html: str, metric: str) -> str:
    found = re.search(rf'<li class="card" data-metric="{metric}">(.*?)\n</li>\n', html, re.S)
    assert found, html
    return found[1]


def test_a_viewer_reads_each_key_metric_with_its_interval_n_and_method(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    page = viewer.get(PAGE)
    assert page.status_code == 200, page.text
    since, until = NOW.date() - dt.timedelta(days=27), NOW.date() + dt.timedelta(days=1)
    assert f"from {since} to {until} (UTC days" in page.text
    for metric, method in (("nps", "adjusted-wald"), ("csat", "wilson"), ("ces", "t")):
        (cell,) = analytics.compare_metric(
            db, workspace_id=tenant.id, metric=metric, since=since, until=until
        ).cells
        card = _card(page.text, metric)
        figure = re.search(r'<p class="figure" title="([^"]+)">([^<]+)</p>', card)
        assert figure, card
        value = cell.current.value
        assert value is not None
        expected = {"nps": f"{value * 100:+.0f}", "csat": f"{value:.0%}", "ces": f"{value:.1f}"}
        assert figure[2] == expected[metric]
        assert f"n={cell.current.n}" in figure[1] and "95% interval" in figure[1]
        assert method in figure[1]


def test_the_detected_drop_is_marked_on_nps_and_listed(
    viewer: TestClient, db: Database, tenant: Tenant, busy: str
) -> None:
    changes = analytics.list_changes(db, workspace_id=tenant.id, metric="nps").items
    drop = next(c for c in changes if c.touchpoint == busy and c.direction == "down")
    page = viewer.get(PAGE).text
    marker = f"▼ {busy} down since {drop.started_on.isoformat()} (UTC)"
    assert marker in _card(page, "nps")
    assert marker not in _card(page, "csat")
    assert f"<td>{drop.started_on.isoformat()}</td><td>NPS</td>" in page


def test_the_funnel_shows_every_channel_with_its_steps(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    query = orchestration.FunnelQuery(
        since=NOW.date() - dt.timedelta(days=27), until=NOW.date(), group_by=("channel",)
    )
    funnel = orchestration.invitation_funnel(db, workspace_id=tenant.id, query=query)
    assert funnel.groups
    page = viewer.get(PAGE).text
    for group in funnel.groups:
        row = re.search(rf'<tr data-channel="{group.channel}">(.*?)</tr>', page)
        assert row, page
        cells = re.findall(r"<td>(\d+)", row[1])
        counts = [group.planned, group.sent, group.opened, group.started, group.completed]
        assert [int(c) for c in cells] == counts


def test_a_quiet_workspace_says_too_few_responses(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    _fill(db, tenant, days=3, per_day=4, drop=False)
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get(PAGE)
    assert page.status_code == 200
    nps = _card(page.text, "nps")
    assert "too few responses" in nps and "at least 30 needed" in nps
    assert "too few to compare" in nps


def test_a_person_of_another_workspace_sees_none_of_its_figures(
    client: TestClient, db: Database, busy: str
) -> None:
    other = make_tenant(db, slug="other")
    sign_in_as(client, make_person(db, other, Role.OWNER))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert busy not in page.text
    assert page.text.count("too few responses") == 3
    assert "No invitations in the period." in page.text and "No change detected." in page.text
    client.cookies.clear()
    signed_out = client.get(PAGE, follow_redirects=False)
    assert signed_out.status_code in (302, 303) and "/login" in signed_out.headers["location"]


def test_a_drop_this_week_is_listed_under_what_changed_this_week(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    # 200 a day: the busiest touchpoint's two weeks then hold enough answers whatever its share
    # (at 80 a day a small share missed p <= 0.05 about one workspace in 15).
    busiest = _fill(db, tenant, days=21, per_day=200, drop=True, ago=5)
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get(PAGE).text
    week = re.search(r'<ul id="week-list">(.*?)</ul>', page, re.S)
    assert week, page
    moved = re.search(rf">NPS at {busiest}: (-\d+) points</span>", week[1])
    assert moved, week[1]
    assert int(moved[1]) <= -20
