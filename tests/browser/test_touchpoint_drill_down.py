"""The touchpoint drill-down in Chromium: a viewer clicks a touchpoint on the map, the Vega
charts draw under the pages' own Content-Security-Policy (no 'unsafe-eval', no inline style),
a point says what it is on hover, and the page passes axe on desktop and phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from browser_support import (
    DESKTOP,
    PHONE,
    LiveServer,
    axe_violations,
    describe_violations,
    save_screenshot,
)
from factories import PASSWORD, Person, make_person, make_tenant
from journeyscope import analytics, simulation
from journeyscope.workspaces import Role

pytestmark = pytest.mark.browser


def _simulated(live: LiveServer) -> tuple[Person, str]:
    tenant = make_tenant(live.db, "acme")
    today = live.db.clock.now().date()
    simulation.simulate(
        live.db, workspace_id=tenant.id, start=today - dt.timedelta(days=56), days=56,
        responses_per_day=40, seed=2,
    )  # fmt: skip
    analytics.detect_metric_changes(live.db, workspace_id=tenant.id)
    busiest = simulation.busiest_touchpoint(live.db, workspace_id=tenant.id, seed=2)
    return make_person(live.db, tenant, Role.VIEWER), busiest


def _sign_in(page: Any, live: LiveServer, person: Person, target: str) -> None:
    page.goto(live.url + target)
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**" + target.split("?")[0] + "*")


def test_the_charts_draw_under_the_pages_policy(live: LiveServer, browser: Any) -> None:
    viewer, busiest = _simulated(live)
    context = browser.new_context(viewport=DESKTOP)  # the real CSP: no bypass
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    _sign_in(page, live, viewer, "/app/journeys/retail/map")
    page.locator(f'a.drill[href*="/touchpoints/{busiest}"]').click()
    page.wait_for_url(f"**/app/journeys/retail/touchpoints/{busiest}*")
    page.wait_for_selector('#metric-chart[data-rendered="true"] svg')
    assert page.locator("#metric-chart svg path").count() >= 2  # the band and the line
    assert page.get_attribute("#metric-chart", "data-failed") is None
    if page.locator("#drivers-chart").count():
        page.wait_for_selector('#drivers-chart[data-rendered="true"] svg')
    point = page.locator("#metric-chart svg .mark-symbol path").last
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    said = tooltip.inner_text()
    assert "n=" in said and ("interval" in said or "too few" in said), said
    assert not [m for m in refused if "Content Security Policy" in m], refused
    context.close()


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_drill_down_passes_axe(
    live: LiveServer, browser: Any, viewport: dict[str, int], name: str
) -> None:
    viewer, busiest = _simulated(live)
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe needs its script
    context.set_default_timeout(15_000)
    page = context.new_page()
    _sign_in(page, live, viewer, f"/app/journeys/retail/touchpoints/{busiest}")
    page.wait_for_selector('#metric-chart[data-rendered="true"] svg')
    assert "UTC" in page.inner_text("#period")
    figure = page.locator("#weeks .figure").first
    assert "n=" in (figure.get_attribute("title") or "")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, f"touchpoint-{name}")
    context.close()
