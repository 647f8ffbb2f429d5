"""The journey map in Chromium: a viewer finds it from the journey list, reads both curves
and the figures' intervals, filters by channel, clicks a pain point through to its transcript
turn, and the pages pass axe on desktop and phone."""

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
from journeyscope import interviews, simulation
from journeyscope.interviews import EXAMPLE_INTERVIEW
from journeyscope.workspaces import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_viewer_opens_the_map_and_filters_it(
    live: LiveServer, browser: Any, viewport: dict[str, int], name: str
) -> None:
    tenant = make_tenant(live.db, "acme")
    today = live.db.clock.now().date()
    simulation.simulate(
        live.db, workspace_id=tenant.id, start=today - dt.timedelta(days=14), days=14,
        responses_per_day=40, seed=2, journey_key="saas-app",
    )  # fmt: skip
    viewer = make_person(live.db, tenant, Role.VIEWER)
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe needs its script
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live.url + "/app/journeys")
    page.get_by_label("Email address").fill(viewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live.url + "/app/journeys")
    page.get_by_role("link", name="SaaS app subscription", exact=True).click()
    page.wait_for_url(live.url + "/app/journeys/saas-app/map")
    assert page.locator("svg circle").count() >= 1
    # Which stage gets 30 answers depends on the simulated days (the date): take one that did.
    titles = page.locator('span.figure[data-metric="nps"][data-stage]').evaluate_all(
        "cells => cells.map(c => [c.dataset.stage, c.title])"
    )
    measured = [stage for stage, title in titles if "interval" in title and "n=" in title]
    assert measured, titles
    figure = page.locator(f'span.figure[data-stage="{measured[0]}"][data-metric="nps"]')
    header = page.locator(f"#stage-{measured[0]}").bounding_box()
    cell = figure.bounding_box()
    assert header and cell and abs(header["x"] - cell["x"]) < 40  # under its stage, even on a phone
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, f"journey-map-{name}")
    page.get_by_label("Channel").select_option("email")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**channel=email**")
    assert "channel = email" in page.inner_text("#period")
    page.get_by_label("Channel").select_option("")
    page.get_by_label("From").fill((today - dt.timedelta(days=7)).isoformat())
    page.get_by_label("Until (not included)").fill(today.isoformat())
    page.get_by_label("Compare with").select_option("previous")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**compare=previous**")
    assert "previous period" in page.inner_text("#comparison")
    titles = page.locator("table.comparison .difference").evaluate_all(
        "cells => cells.map(c => c.title)"
    )
    assert len(titles) == 18  # six stages, three metrics
    assert any("interval" in t and "p=" in t for t in titles), titles
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, f"journey-map-compared-{name}")
    context.close()


def test_a_pain_point_opens_its_transcript_turn(live: LiveServer, browser: Any) -> None:
    tenant = make_tenant(live.db, "acme")
    today = live.db.clock.now().date()
    simulation.simulate(
        live.db, workspace_id=tenant.id, start=today - dt.timedelta(days=3), days=3,
        responses_per_day=5, seed=2, journey_key="saas-app",
    )  # fmt: skip
    options = interviews.InterviewImport(
        filename=EXAMPLE_INTERVIEW.name, journey_key="saas-app", participant="P01"
    )
    interviews.import_interview(
        live.db, workspace_id=tenant.id, source=EXAMPLE_INTERVIEW.read_bytes(), options=options
    )
    assert interviews.analyse_queued(live.db).analysed == 1
    viewer = make_person(live.db, tenant, Role.VIEWER)
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live.url + "/app/journeys/saas-app/map")
    page.get_by_label("Email address").fill(viewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/app/journeys/saas-app/map")
    pains = page.locator("tr", has=page.locator("th", has_text="Pain points"))
    pain = pains.locator("details.evidence").first
    pain.locator("summary").click()
    quote = pain.locator("blockquote", has=page.locator("a[href*='/app/interviews/']")).first
    said = quote.inner_text().split("”")[0].strip("“ \n")
    quote.locator("a.quote-source").click()
    page.wait_for_url("**/app/interviews/**#turn-*")
    turn = page.locator(".turn:target")
    assert turn.count() == 1
    assert turn.get_attribute("id") == "turn-" + page.url.rsplit("#turn-", 1)[1]
    assert said[:40] in turn.inner_text()
    highlighted = turn.evaluate("el => getComputedStyle(el).backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, "interview-transcript-desktop")
    context.close()
