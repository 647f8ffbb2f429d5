"""The overview in Chromium: a viewer reaches it from the navigation, reads the key metrics'
intervals on hover and the funnel, and the page passes axe on desktop and phone."""

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
from factories import PASSWORD, make_person, make_tenant
from journeyscope import analytics, simulation
from journeyscope.workspaces import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_viewer_opens_the_overview_from_the_navigation(
    live: LiveServer, browser: Any, viewport: dict[str, int], name: str
) -> None:
    tenant = make_tenant(live.db, "acme")
    today = live.db.clock.now().date()
    simulation.simulate(
        live.db, workspace_id=tenant.id, start=today - dt.timedelta(days=56), days=56,
        responses_per_day=40, seed=2,
    )  # fmt: skip
    analytics.detect_metric_changes(live.db, workspace_id=tenant.id)
    viewer = make_person(live.db, tenant, Role.VIEWER)
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe needs its script
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live.url + "/app")
    page.get_by_label("Email address").fill(viewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live.url + "/app")
    page.get_by_role("navigation").get_by_role("link", name="Overview").click()
    page.wait_for_url(live.url + "/app/overview")
    nps = page.locator('[data-metric="nps"] .figure')
    assert "interval" in (nps.get_attribute("title") or "")
    assert "UTC" in page.inner_text("#period")
    assert page.locator("#funnel tbody tr").count() >= 2  # a channel and the total
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, f"overview-{name}")
    context.close()
