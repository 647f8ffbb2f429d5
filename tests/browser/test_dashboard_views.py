"""The dashboard's interview and read-only views in Chromium: a viewer signs in, opens the
interviews from the navigation, reads a played-down turn and its probe in the transcript, the
coaching report, a survey's preview and the channels page; axe finds nothing serious on any
of them, on desktop and phone."""

from __future__ import annotations

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
from factories import FOUND_IT_SURVEY, PASSWORD, make_person, make_published_survey, make_tenant
from journeyscope import interviews, journey
from journeyscope.interviews import EXAMPLE_INTERVIEW, FindingKind, InterviewImport
from journeyscope.journey import example_paths, load_journey_file
from journeyscope.workspaces import Role

pytestmark = pytest.mark.browser
TITLE = "Onboarding call"


def _fill(live: LiveServer) -> Any:
    tenant = make_tenant(live.db, "acme")
    make_published_survey(live.db, tenant, key="till", definition=FOUND_IT_SURVEY)
    saas = next(p for p in example_paths() if p.stem == "saas-app")
    journey.apply_journey(live.db, workspace_id=tenant.id, spec=load_journey_file(saas))
    options = InterviewImport(filename=EXAMPLE_INTERVIEW.name, journey_key="saas-app", title=TITLE)
    made = interviews.import_interview(
        live.db, workspace_id=tenant.id, source=EXAMPLE_INTERVIEW.read_bytes(), options=options
    )
    assert interviews.analyse_queued(live.db).analysed == 1
    return tenant, made.id


def _check(page: Any, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    save_screenshot(page, name)


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_viewer_reads_interviews_a_survey_preview_and_the_channels(
    live: LiveServer, browser: Any, viewport: dict[str, int], name: str
) -> None:
    tenant, interview_id = _fill(live)
    detail = interviews.get_interview(live.db, workspace_id=tenant.id, interview_id=interview_id)
    probe = next(f for f in detail.findings if f.kind is FindingKind.PROBE and f.follow_ups)
    viewer = make_person(live.db, tenant, Role.VIEWER)
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe needs its script
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live.url + "/app")
    page.get_by_label("Email address").fill(viewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live.url + "/app")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews").click()
    page.wait_for_url(live.url + "/app/interviews")
    assert "analysed" in page.inner_text("table.interviews")
    _check(page, f"interviews-{name}")

    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{live.url}/app/interviews/{interview_id}")
    turn = page.locator(f"#turn-{probe.quotes[0].position}")
    assert turn.locator(".played-down-note").is_visible()
    assert turn.get_by_text(probe.follow_ups[0]).is_visible()
    assert page.locator(".turn.played-down").count() >= 1
    _check(page, f"transcript-{name}")

    page.get_by_role("link", name="Interviewer coaching report").click()
    page.wait_for_url(f"{live.url}/app/interviews/{interview_id}/coaching")
    assert page.get_by_role("heading", name="Interviewer coaching report").is_visible()
    _check(page, f"coaching-{name}")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="Till").click()
    page.wait_for_url(live.url + "/app/surveys/till")
    frame = page.frame_locator("iframe.preview")
    assert frame.get_by_text("Did you find what you needed?").is_visible()
    _check(page, f"survey-{name}")
    page.goto(live.url + "/app/surveys/till/preview")
    assert page.get_by_text("nothing you choose here is sent or recorded").is_visible()
    _check(page, f"survey-preview-{name}")

    page.goto(live.url + "/app")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Channels").click()
    page.wait_for_url(live.url + "/app/channels")
    code = page.locator("#touchpoint-retail-till img").first
    code.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", code.element_handle())
    _check(page, f"channels-{name}")
    context.close()


def test_the_new_pages_load_everything_they_name_under_their_own_policies(
    live: LiveServer, page: Any
) -> None:
    tenant, interview_id = _fill(live)
    viewer = make_person(live.db, tenant, Role.VIEWER)
    failed: list[str] = []
    refused: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
    page.goto(live.url + "/login")
    page.get_by_label("Email address").fill(viewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live.url + "/app")
    for path in (
        "/app/interviews",
        f"/app/interviews/{interview_id}",
        f"/app/interviews/{interview_id}/coaching",
        "/app/journeys/saas-app",
        "/app/surveys/till",
        "/app/rules",
        "/app/channels",
    ):
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
    # The framed preview loaded with its stylesheet: framing by our own page is allowed.
    page.goto(live.url + "/app/surveys/till")
    frame = page.frame_locator("iframe.preview")
    assert frame.get_by_text("Did you find what you needed?").is_visible()
    page.goto(live.url + "/app/channels")
    page.wait_for_load_state("networkidle")
    images = page.locator("img")
    assert images.count() >= 2
    assert page.evaluate("() => [...document.images].every((i) => i.naturalWidth > 0)")
    assert failed == [] and refused == [], (failed, refused)
