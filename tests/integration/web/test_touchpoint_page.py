"""The touchpoint drill-down: the metric per week equals analytics', the detected drop and the
seasonal baseline are on it, verbatims come newest first with their emotions and a link to
their response, the drivers grid equals analytics', "too few" below the minimum, and nothing
of another workspace (404)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_person, make_tenant
from journeyscope import analytics, collection, simulation, verbatims
from journeyscope.clock import FixedClock
from journeyscope.collection import ResponseIn
from journeyscope.store import Database
from journeyscope.workspaces import Role
from signin_support import sign_in_as

NOW = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)  # 12 weeks without the holiday dip
DAYS = 84
NOTES = [
    "The queue at the till was far too slow and I was angry",
    "Lovely staff, quick and friendly, I was delighted",
    "It was fine I guess",
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def busiest(db: Database, tenant: Tenant) -> str:
    """Twelve weeks of retail traffic; the busiest touchpoint's NPS drops three weeks ago."""
    busiest = simulation.busiest_touchpoint(db, workspace_id=tenant.id, seed=3)
    planted = [simulation.PlantedChange(busiest, "nps", start_day=DAYS - 21, size=-60)]
    simulation.simulate(
        db, workspace_id=tenant.id, start=NOW.date() - dt.timedelta(days=DAYS), days=DAYS,
        responses_per_day=80, seed=3, planted=planted,
    )  # fmt: skip
    analytics.detect_metric_changes(db, workspace_id=tenant.id)
    return busiest


def _url(touchpoint: str, query: str = "") -> str:
    return f"/app/journeys/retail/touchpoints/{touchpoint}" + (f"?{query}" if query else "")


@pytest.fixture
def viewer(client: TestClient, tenant: Tenant, db: Database, busiest: str) -> TestClient:
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    return client


def _rows(page: str) -> dict[str, str]:
    body = re.search(r'<table id="weeks">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, page
    return dict(re.findall(r'<tr data-week="([^"]+)">(.*?)</tr>', body[1], re.S))


def test_each_week_shows_analytics_figure_with_its_n_interval_and_method(
    viewer: TestClient, db: Database, tenant: Tenant, busiest: str
) -> None:
    page = viewer.get(_url(busiest))
    assert page.status_code == 200, page.text
    since = NOW.date() + dt.timedelta(days=1) - dt.timedelta(days=90)
    table = analytics.metric_table(
        db, workspace_id=tenant.id, metric="nps", grain="week", since=since,
        until=NOW.date() + dt.timedelta(days=1), journey="retail",
        filters={"touchpoint": [busiest]},
    )  # fmt: skip
    rows = _rows(page.text)
    assert len(rows) == len(table.cells) >= 12
    for cell in table.cells:
        assert cell.label is not None
        row = rows[cell.label]
        figure = re.search(r'<span class="figure[^"]*" title="([^"]+)">([^<]+)</span>', row)
        assert figure, row
        if cell.estimate.value is None:
            assert figure[2] == "too few responses"
            assert f"n={cell.estimate.n}" in figure[1]
        else:
            assert figure[2] == f"{cell.estimate.value * 100:+.0f}"
            assert f"n={cell.estimate.n}" in html.unescape(figure[1])
            assert "95% interval" in figure[1] and "adjusted-wald" in figure[1]
    assert "(UTC days, the last one not included)" in page.text


def test_the_chart_spec_carries_the_weeks_the_baseline_and_the_detected_drop(
    viewer: TestClient, db: Database, tenant: Tenant, busiest: str
) -> None:
    page = viewer.get(_url(busiest)).text
    found = re.search(r'<script type="application/json" id="metric-spec">(.*?)</script>', page)
    assert found, page
    spec = json.loads(found[1])
    band, line, baseline, changes = spec["layer"]
    assert band["mark"]["type"] == "area" and line["mark"]["type"] == "line"
    values = line["data"]["values"]
    assert values and all({"figure", "explained", "n"} <= set(v) for v in values)
    assert all(v["low"] <= v["value"] <= v["high"] for v in values)
    drops = [
        c
        for c in analytics.list_changes(db, workspace_id=tenant.id, metric="nps").items
        if c.touchpoint == busiest and c.direction == "down"
    ]
    assert drops
    marked = {c["start"] for c in changes["data"]["values"]}
    assert {d.started_on.isoformat() for d in drops} <= marked
    expected = analytics.touchpoint_baseline(
        db, workspace_id=tenant.id, journey="retail", touchpoint=busiest, metric="nps"
    )
    assert expected is not None
    last = values[-1]
    start = dt.date.fromisoformat(last["start"])
    end = NOW.date() + dt.timedelta(days=1)
    mean = expected.mean_over(start, min(start + dt.timedelta(days=7), end))
    assert mean is not None
    shown = {b["week"]: b["baseline"] for b in baseline["data"]["values"]}
    assert shown[last["week"]] == pytest.approx(round(mean * 100, 1))
    assert f"▼ NPS down since {drops[0].started_on.isoformat()} (UTC)" in page


def test_the_baseline_follows_the_level_before_and_after_the_drop(
    db: Database, tenant: Tenant, busiest: str
) -> None:
    baseline = analytics.touchpoint_baseline(
        db, workspace_id=tenant.id, journey="retail", touchpoint=busiest, metric="nps"
    )
    assert baseline is not None and baseline.start is not None
    drop = NOW.date() - dt.timedelta(days=21)
    before = baseline.mean_over(drop - dt.timedelta(days=28), drop)
    after = baseline.mean_over(drop + dt.timedelta(days=3), NOW.date())
    assert before is not None and after is not None
    assert before - after > 0.3  # a 60-point planted drop, the baseline steps with it


def _comment(db: Database, tenant: Tenant, touchpoint: str, note: str) -> uuid.UUID:
    answers = {"nps": 3, "csat": 2, "ces": 5, "ease": 2, "speed": 2, "value": 3, "comment": note}
    data = ResponseIn.model_validate(
        {"id": str(uuid.uuid4()), "survey_key": simulation.survey_key(touchpoint),
         "channel": "email", "answers": answers, "complete": True}
    )  # fmt: skip
    view, _ = collection.submit_response(db, workspace_id=tenant.id, data=data)
    return view.id


def test_verbatims_come_newest_first_with_emotions_and_a_link_to_their_response(
    client: TestClient, db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    simulation.simulate(
        db, workspace_id=tenant.id, start=NOW.date() - dt.timedelta(days=3), days=3,
        responses_per_day=4, seed=3,
    )  # fmt: skip
    busiest = simulation.busiest_touchpoint(db, workspace_id=tenant.id, seed=3)
    ids = []
    for note in NOTES:
        clock.advance(minutes=1)
        ids.append(_comment(db, tenant, busiest, note))
    while verbatims.analyse_queued(db).claimed:
        pass
    listed = verbatims.touchpoint_verbatims(
        db, workspace_id=tenant.id, journey_key="retail", touchpoint=busiest
    )
    assert [v.response_id for v in listed.items[:3]] == ids[::-1]
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get(_url(busiest)).text
    section = re.search(r'<ol class="verbatims" id="verbatims"[^>]*>(.*?)</ol>', page, re.S)
    assert section, page
    links = re.findall(r'<a href="/app/responses/([0-9a-f-]+)">', section[1])
    assert links == [str(v.response_id) for v in listed.items]
    assert NOTES[0] in section[1]
    angry = listed.items[2]
    assert angry.emotions
    label, intensity = angry.emotions[0]
    assert f"{label} {intensity * 100:.0f}%" in section[1]
    assert f"{listed.total} analysed answers in the period" in page
    assert client.get(f"/app/responses/{ids[0]}").status_code == 200


def test_verbatims_are_paged_twenty_at_a_time(
    client: TestClient, db: Database, tenant: Tenant, clock: FixedClock
) -> None:
    simulation.simulate(
        db, workspace_id=tenant.id, start=NOW.date() - dt.timedelta(days=3), days=3,
        responses_per_day=4, seed=3,
    )  # fmt: skip
    busiest = simulation.busiest_touchpoint(db, workspace_id=tenant.id, seed=3)
    for i in range(23):
        clock.advance(minutes=1)
        _comment(db, tenant, busiest, f"{NOTES[i % 3]} ({i})")
    while verbatims.analyse_queued(db).claimed:
        pass
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    first = client.get(_url(busiest)).text
    assert first.count('<li class="verbatim">') == 20
    older = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert older, first
    second = client.get(_url(busiest) + html.unescape(older[1]).split("#")[0]).text
    total = verbatims.touchpoint_verbatims(
        db, workspace_id=tenant.id, journey_key="retail", touchpoint=busiest
    ).total
    assert second.count('<li class="verbatim">') == total - 20
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_drivers_grid_equals_analytics(
    viewer: TestClient, db: Database, tenant: Tenant, busiest: str
) -> None:
    since = NOW.date() + dt.timedelta(days=1) - dt.timedelta(days=90)
    found = analytics.touchpoint_drivers(
        db, workspace_id=tenant.id, journey="retail", touchpoint=busiest, since=since,
        until=NOW.date() + dt.timedelta(days=1),
    )  # fmt: skip
    assert found is not None and not found.is_too_few
    assert found.survey == simulation.survey_key(busiest) and found.target == "nps"
    assert {d.driver for d in found.drivers} == {"ease", "speed", "value"}
    page = viewer.get(_url(busiest)).text
    for d in found.drivers:
        row = re.search(rf'<tr data-driver="{d.driver}">(.*?)</tr>', page)
        assert row, page
        assert f">{d.share * 100:.0f}%</span>" in row[1]
        assert f">{d.performance:.2f}</span>" in row[1]
        assert d.quadrant.value.replace("-", " ") in row[1]
    spec = re.search(r'<script type="application/json" id="drivers-spec">(.*?)</script>', page)
    assert spec
    points = json.loads(spec[1])["data"]["values"]
    assert {p["driver"]: p["share"] for p in points} == {
        d.driver: round(d.share * 100, 1) for d in found.drivers
    }


def test_a_quiet_touchpoint_says_too_few_responses(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    simulation.simulate(
        db, workspace_id=tenant.id, start=NOW.date() - dt.timedelta(days=7), days=7,
        responses_per_day=4, seed=3,
    )  # fmt: skip  # fewer than 30 answers in all: every figure is too few
    busiest = simulation.busiest_touchpoint(db, workspace_id=tenant.id, seed=3)
    sign_in_as(client, make_person(db, tenant, Role.VIEWER))
    page = client.get(_url(busiest, "metric=csat"))
    assert page.status_code == 200
    rows = _rows(page.text)
    assert rows and all("too few responses" in row for row in rows.values())
    assert "at least 30 needed" in page.text
    assert re.search(r'<p id="drivers" class="too-few">too few responses: n=\d+', page.text)


def test_the_channel_filter_narrows_the_figures(
    viewer: TestClient, db: Database, tenant: Tenant, busiest: str
) -> None:
    page = viewer.get(_url(busiest, "channel=sms")).text
    assert "only channel = sms" in page
    assert "not drawn with a channel or segment chosen" in page
    table = analytics.metric_table(
        db, workspace_id=tenant.id, metric="nps", grain="week",
        since=NOW.date() + dt.timedelta(days=1) - dt.timedelta(days=90),
        until=NOW.date() + dt.timedelta(days=1), journey="retail",
        filters={"touchpoint": [busiest], "channel": ["sms"]},
    )  # fmt: skip
    assert len(_rows(page)) == len(table.cells)


def test_an_unknown_touchpoint_is_a_clear_404(viewer: TestClient) -> None:
    page = viewer.get(_url("no-such-place"))
    assert page.status_code == 404
    assert "has no touchpoint &#39;no-such-place&#39;" in page.text or (
        "has no touchpoint 'no-such-place'" in page.text
    )
    assert viewer.get("/app/journeys/nowhere/touchpoints/till").status_code == 404


def test_a_person_of_another_workspace_gets_404_and_none_of_its_figures(
    client: TestClient, db: Database, busiest: str
) -> None:
    other = make_tenant(db, slug="other")
    sign_in_as(client, make_person(db, other, Role.OWNER))
    page = client.get(_url(busiest))
    assert page.status_code == 404
    assert 'id="weeks"' not in page.text and "analysed answer" not in page.text
    client.cookies.clear()
    signed_out = client.get(_url(busiest), follow_redirects=False)
    assert signed_out.status_code in (302, 303) and "/login" in signed_out.headers["location"]


def test_the_map_and_the_overview_link_to_the_drill_down(viewer: TestClient, busiest: str) -> None:
    link = f'href="/app/journeys/retail/touchpoints/{busiest}'
    assert link in viewer.get("/app/journeys/retail/map?channel=email").text
    assert link in viewer.get("/app/overview").text
