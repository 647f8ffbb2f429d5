"""Hosted survey pages in Chromium: filled by clicks and keys, checked by axe, photographed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
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
from factories import make_published_survey, make_tenant
from journeyscope import collection
from journeyscope.surveys import PublishedSurvey

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(live: LiveServer) -> PublishedSurvey:
    return make_published_survey(live.db, make_tenant(live.db, "acme"))


@pytest.fixture
def scan_page(browser: Any) -> Iterator[Any]:
    """A tab that lets axe-core in: our CSP refuses every injected script, as it should."""
    made = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    made.set_default_timeout(10_000)
    yield made.new_page()
    made.close()


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_respondent_completes_the_branching_survey_by_mouse_and_keyboard(
    live: LiveServer, scan_page: Any, survey: PublishedSurvey
) -> None:
    page = scan_page
    page.goto(f"{live.url}/s/{survey.public_id}")
    assert page.title() == "After your visit"
    assert_accessible(page)
    save_screenshot(page, "hosted-desktop")

    page.get_by_role("button", name="Next").click()
    assert page.title().startswith("Error:")
    page.wait_for_function("document.activeElement.id === 'error-summary'")  # autofocus, no JS
    assert_accessible(page)

    page.get_by_text("3", exact=True).click()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What went wrong?").fill("Long queue")
    page.focus("#q-ease-4")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#q-ease-5")
    page.get_by_role("button", name="Submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1.thanks")
    assert "Thank you for your feedback." in page.inner_text("h1")
    assert_accessible(page)

    cookie = next(c for c in page.context.cookies() if c["name"] == "js_response")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    response = collection.find_response(
        live.db, workspace_id=survey.workspace_id, response_id=uuid.UUID(cookie["value"])
    )
    assert response is not None and response.is_complete
    assert response.answers == {"nps": 3, "wrong": "Long queue", "ease": 5}
    assert response.channel == "onsite" and response.version == survey.version


def test_phone_layout_fits_the_screen_under_the_strict_csp(
    live: LiveServer, page: Any, survey: PublishedSurvey
) -> None:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.set_viewport_size(PHONE)
    page.goto(f"{live.url}/s/{survey.public_id}")
    assert not [text for text in refused if "Content Security Policy" in text], refused
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # CSS loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("10", exact=True).click()
    assert page.is_checked("#q-nps-10")
    save_screenshot(page, "hosted-phone")


SECRET = "browser-test-secret"  # the live server's (conftest.py)


def _score_link(live: LiveServer, survey: PublishedSurvey, score: int) -> tuple[uuid.UUID, str]:
    invitation = collection.new_invitation(
        workspace_id=survey.workspace_id, survey_id=survey.survey_id, now=live.db.clock.now()
    )
    token = collection.sign_invitation(invitation, SECRET)
    return invitation.response_id, f"{live.url}/i/{token}?nps={score}"


def _saved(live: LiveServer, survey: PublishedSurvey, response_id: uuid.UUID) -> Any:
    return collection.find_response(
        live.db, workspace_id=survey.workspace_id, response_id=response_id
    )


def test_a_score_link_opened_in_a_browser_saves_the_score_once(
    live: LiveServer, page: Any, survey: PublishedSurvey
) -> None:
    response_id, link = _score_link(live, survey, 9)
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(link)
    page.wait_for_url(re.compile(r"\?page=score&lang=en$"))  # saved; the score left the URL
    assert page.is_checked("#q-nps-9")
    saved = _saved(live, survey, response_id)
    assert saved is not None and saved.answers == {"nps": 9} and not saved.is_complete
    page.reload()
    assert page.is_checked("#q-nps-9")
    assert len(posts) == 1, posts
    assert page.get_by_role("button", name="Save my answer").count() == 0


def test_without_script_a_score_link_saves_only_when_the_button_is_pressed(
    live: LiveServer, browser: Any, survey: PublishedSurvey
) -> None:
    response_id, link = _score_link(live, survey, 4)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(link)
    assert page.is_checked("#q-nps-4")
    assert _saved(live, survey, response_id) is None  # a scanner that stops here saves nothing
    page.get_by_text("Your answer is not saved yet.").wait_for()
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_url(re.compile(r"\?page=score&lang=en$"))
    saved = _saved(live, survey, response_id)
    assert saved is not None and saved.answers == {"nps": 4} and not saved.is_complete
    context.close()
