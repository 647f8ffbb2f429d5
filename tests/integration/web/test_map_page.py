"""The signed-in map page: a viewer reads a simulated journey's map, its figures follow the
filters, every number says what it is, and nothing of another workspace shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_person, make_tenant
from journeyscope import maps, simulation
from journeyscope.clock import FixedClock
from journeyscope.store import Database
from journeyscope.workspaces import Role
from metrics_support import declare_segments
from signin_support import sign_in_as

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
SINCE = dt.date(2027, 2, 15)
PAGE = "/app/journeys/saas-app/map"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def viewer(client: TestClient, tenant: Tenant, db: Database) -> TestClient:
    """A viewer signed in to a workspace with two weeks of simulated saas-app traffic."""
    declare_segments(db, tenant, "tier")
    simulation.simulate(
        db, workspace_id=tenant.id, start=SINCE, days=14, responses_per_day=60, seed=9,
        journey_key="saas-app",
    )  # fmt: skip
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    return client


def _figure(html: str, stage: str, metric: str) -> tuple[str, str]:
    found = re.search(
        rf'data-stage="{stage}" data-metric="{metric}" title="([^"]+)">([^<]+)<', html
    )
    assert found, html
    return found[2], found[1]


def test_a_viewer_reads_the_map_with_every_stage_and_both_curves(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    journeys = viewer.get("/app/journeys")
    assert journeys.status_code == 200 and f'href="{PAGE}"' in journeys.text
    page = viewer.get(PAGE, params={"since": SINCE.isoformat()})
    assert page.status_code == 200, page.text
    expected = maps.journey_map(db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE)
    for stage in expected.stages:
        assert f'id="stage-{stage.key}"' in page.text
        nps = next(m.estimate for m in stage.metrics if m.metric == "nps")
        shown, title = _figure(page.text, stage.key, "nps")
        if nps.value is None:  # a quiet stage in this simulated fortnight
            assert (shown, f"n={nps.n}") == ("too few", title.split(", ")[0].split(": ")[1])
            continue
        assert shown == f"{nps.value * 100:+.0f}"
        assert f"n={nps.n}" in title and "95% interval" in title and "adjusted-wald" in title
    assert page.text.count("<circle") == sum(
        s.survey_feeling.estimate.value is not None for s in expected.stages
    )
    assert "UTC" in page.text
    assert page.headers["content-security-policy"]


def test_the_segment_filter_changes_the_figures(viewer: TestClient) -> None:
    everyone = viewer.get(PAGE, params={"since": SINCE.isoformat()})
    gold = viewer.get(PAGE, params={"since": SINCE.isoformat(), "segment": "tier", "value": "gold"})
    assert gold.status_code == 200
    assert "segment:tier = gold" in gold.text
    assert 0 < _n(gold.text) < _n(everyone.text)


def _n(html: str) -> int:
    found = re.search(r"n=(\d+)", _figure(html, "purchase", "nps")[1])
    assert found
    return int(found[1])


def test_too_few_answers_say_so_with_their_n(viewer: TestClient) -> None:
    page = viewer.get(PAGE, params={"since": "2027-02-28", "channel": "email"})
    assert page.status_code == 200
    assert "too few" in page.text and "at least 30 needed" in page.text


def test_a_bad_period_or_an_unknown_journey_is_a_page_that_says_why(viewer: TestClient) -> None:
    empty = viewer.get(PAGE, params={"since": "2027-03-01", "until": "2027-02-01"})
    assert empty.status_code == 422 and "period is empty" in empty.text
    assert viewer.get("/app/journeys/nope/map").status_code == 404


def test_nobody_signed_out_and_nobody_of_another_workspace_sees_the_map(
    viewer: TestClient, db: Database, client: TestClient
) -> None:
    other = make_tenant(db, slug="other")
    simulation.simulate(
        db, workspace_id=other.id, start=SINCE, days=2, responses_per_day=5, seed=1,
        journey_key="retail",
    )  # fmt: skip
    assert viewer.get("/app/journeys/retail/map").status_code == 404
    assert 'href="/app/journeys/retail/map"' not in viewer.get("/app/journeys").text
    viewer.cookies.clear()
    signed_out = viewer.get(PAGE, follow_redirects=False)
    assert signed_out.status_code in (302, 303) and "/login" in signed_out.headers["location"]


def test_each_stage_and_touchpoint_shows_its_response_rate_with_n(
    viewer: TestClient, db: Database, tenant: Tenant
) -> None:
    page = viewer.get(PAGE, params={"since": SINCE.isoformat()})
    expected = maps.journey_map(db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE)
    for stage in expected.stages:
        for key, rate in [(stage.key, stage.response_rate)] + [
            (f"{stage.key}.{t.key}", t.response_rate) for t in stage.touchpoints
        ]:
            found = re.search(rf'data-rate="{re.escape(key)}" title="([^"]+)">([^<]+)<', page.text)
            assert found, key
            title, shown = found[1], found[2]
            assert f"{rate.completed} completed of {rate.sent} sent" in title
            if rate.rate.value is not None:
                assert shown == f"{rate.rate.value:.0%}"
                assert f"n={rate.sent}" in title and "wilson" in title
    assert any(s.response_rate.rate.value is not None for s in expected.stages)


def test_the_previous_period_sits_beside_with_the_difference(viewer: TestClient) -> None:
    plain = viewer.get(PAGE, params={"since": "2027-02-22"})
    assert 'id="comparison"' not in plain.text
    page = viewer.get(
        PAGE, params={"since": "2027-02-22", "until": "2027-03-01", "compare": "previous"}
    )
    assert page.status_code == 200, page.text
    assert "Side by side: this period against previous period" in page.text
    assert "Previous period: 2027-02-15 to 2027-02-22" in page.text
    rows = re.findall(
        r'<tr data-stage="([a-z-]+)" data-metric="nps">.*?<td class="difference" '
        r'title="([^"]+)">([^<]+)<',
        page.text,
        re.S,
    )
    assert rows, page.text
    # Which stage gets 30 answers in both weeks depends on the draw (the workspace id): the
    # busiest stages do; every stage either has its difference or says why not.
    compared = [(t, s.strip()) for _, t, s in rows if "95% interval (" in t and "p=" in t]
    assert compared, rows
    assert all(re.fullmatch(r"[+-]\d+", shown) for _, shown in compared)
    assert all("too few" in t or (t, s.strip()) in compared for _, t, s in rows), rows
    assert 'option value="previous" selected' in page.text


def test_two_segment_values_sit_side_by_side(viewer: TestClient) -> None:
    params = {"since": SINCE.isoformat(), "segment": "tier", "value": "gold"}
    page = viewer.get(PAGE, params={**params, "compare_segment": "silver"})
    assert page.status_code == 200, page.text
    assert "Side by side: segment:tier = silver against segment:tier = gold" in page.text
    sides = re.findall(
        r'<tr data-stage="purchase" data-metric="nps">.*?<td class="side base" title="[^"]*">'
        r"([^<]+)<.*?<td class=\"side other\" title=\"[^\"]*\">([^<]+)<",
        page.text,
        re.S,
    )
    gold = viewer.get(PAGE, params=params)
    silver = viewer.get(PAGE, params={**params, "value": "silver"})
    assert sides == [
        (
            _figure(gold.text, "purchase", "nps")[0] + " ",
            _figure(silver.text, "purchase", "nps")[0] + " ",
        )
    ]
    same = viewer.get(PAGE, params={**params, "compare_segment": "gold"})
    assert same.status_code == 422 and "other segment" in same.text
