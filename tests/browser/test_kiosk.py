"""The kiosk in Chromium: offline answers are queued and each is stored exactly once."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from browser_support import (
    DESKTOP,
    LiveServer,
    axe_violations,
    describe_violations,
    save_screenshot,
)
from factories import FOUND_IT_SURVEY, make_published_survey, make_tenant
from journeyscope import journey, surveys
from journeyscope.store import Database, tables

pytestmark = pytest.mark.browser

SMILEY_SURVEY = surveys.get_template("kiosk-smiley-csat").definition.model_dump(
    mode="json", exclude_none=True
)


@pytest.fixture
def kiosk_context(browser: Any) -> Iterator[Any]:
    """A fresh profile; CSP bypassed only so that axe-core can be injected for the scan."""
    made = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    made.set_default_timeout(10_000)
    yield made
    made.close()


def _wait(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _responses(db: Database) -> list[tables.Response]:
    with db.transaction() as session:
        rows = list(session.scalars(select(tables.Response)))
        session.expunge_all()
        return rows


def _wait_for_service_worker(page: Any) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    for _ in range(20):
        if page.evaluate("() => !!navigator.serviceWorker.controller"):
            break
        page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    cached = "async () => !!(await caches.match(location.href))"
    _wait(lambda: bool(page.evaluate(cached)), "the page to be cached", 10)


def _answer(page: Any, score: int, reason: str | None = None) -> None:
    page.locator("button.smiley").nth(score - 1).click()
    if reason is not None:
        page.get_by_role("button", name=reason).click()
    page.wait_for_selector(".thanks")
    page.wait_for_selector("button.smiley")  # the kiosk reset itself for the next customer


def test_offline_answers_are_sent_exactly_once(live: LiveServer, kiosk_context: Any) -> None:
    tenant = make_tenant(live.db, "acme")
    make_published_survey(live.db, tenant, definition=SMILEY_SURVEY)
    point = journey.get_touchpoint(
        live.db, workspace_id=tenant.id, journey_key="retail", key="till"
    )
    page = kiosk_context.new_page()
    page.goto(f"{live.url}/k/{point.public_id}?reset=1")
    page.wait_for_selector("button.smiley")
    _wait_for_service_worker(page)

    kiosk_context.set_offline(True)
    page.reload()  # served by the service worker from its cache
    page.wait_for_selector("button.smiley")
    # Proof that the service worker's own fetch is offline too: a French page was never
    # cached, so the cached English copy (same path) is what comes back.
    page.goto(f"{live.url}/k/{point.public_id}?reset=1&lang=fr")
    page.wait_for_selector("button.smiley")
    assert page.get_attribute("html", "lang") == "en"
    _answer(page, 5)
    _answer(page, 2, reason="Staff")
    _answer(page, 4)
    assert page.inner_text("#queue") == "3 answers waiting to be sent"
    assert _responses(live.db) == []

    kiosk_context.set_offline(False)
    _wait(lambda: len(_responses(live.db)) >= 3, "the queue to drain")
    page.wait_for_function("document.body.dataset.queued === '0'")
    rows = _responses(live.db)
    assert len(rows) == 3
    assert all(row.is_complete and row.channel == "onsite" for row in rows)
    assert {row.touchpoint_id for row in rows} == {point.id}
    assert {row.device_class for row in rows} == {"kiosk"}
    assert sorted(row.answers["csat"] for row in rows) == [2, 4, 5]
    assert [row.answers for row in rows if row.answers["csat"] == 2] == [
        {"csat": 2, "problem": "staff"}
    ]
    assert page.inner_text("#queue") == ""


def test_kiosk_is_accessible_and_keyboard_friendly(live: LiveServer, kiosk_context: Any) -> None:
    tenant = make_tenant(live.db, "acme")
    make_published_survey(live.db, tenant, definition=SMILEY_SURVEY)
    point = journey.get_touchpoint(
        live.db, workspace_id=tenant.id, journey_key="retail", key="till"
    )
    page = kiosk_context.new_page()
    page.goto(f"{live.url}/k/{point.public_id}?lang=fr")
    page.wait_for_selector("button.smiley")
    box = page.locator("button.smiley").first.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    save_screenshot(page, "kiosk")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the second face: "Mécontent"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Passer").wait_for()
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    page.get_by_role("button", name="Passer").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".thanks")
    assert page.inner_text(".thanks") == "Merci !"
    _wait(lambda: len(_responses(live.db)) == 1, "the answer to arrive")
    assert _responses(live.db)[0].answers == {"csat": 2}


def test_the_button_says_next_or_send_as_the_answers_make_the_path_go_on(
    live: LiveServer, kiosk_context: Any
) -> None:
    tenant = make_tenant(live.db, "acme")
    make_published_survey(live.db, tenant, definition=FOUND_IT_SURVEY)
    point = journey.get_touchpoint(
        live.db, workspace_id=tenant.id, journey_key="retail", key="till"
    )
    page = kiosk_context.new_page()
    page.goto(f"{live.url}/k/{point.public_id}")
    action = page.locator("button.action")
    assert action.inner_text() == "Send"  # as it stands, nothing shows the second page
    page.get_by_role("button", name="No").click()
    assert action.inner_text() == "Next"  # "No" shows it
    page.get_by_role("button", name="Yes").click()
    assert action.inner_text() == "Send"
    page.get_by_label("Anything to add?").fill("Great shop")  # typing shows it too
    assert action.inner_text() == "Next"
    page.get_by_label("Anything to add?").fill("")
    assert action.inner_text() == "Send"
    page.get_by_role("button", name="No").click()
    action.click()
    page.get_by_label("Tell us more").wait_for()
    assert action.inner_text() == "Send"
