"""Signing in and out in Chromium: the form, the signed-in page, the people page, sign-out."""

from __future__ import annotations

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
from factories import PASSWORD, make_person, make_tenant
from journeyscope.workspaces import Role

pytestmark = pytest.mark.browser


def _sign_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(url + "/app/people")  # a page that needs a session sends the browser to the form
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def scanned(browser: Any) -> Iterator[Any]:
    """A tab whose pages axe-core can scan (the pages' policy refuses injected scripts)."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_an_owner_signs_in_sees_their_workspace_and_signs_out(
    live: LiveServer, scanned: Any
) -> None:
    page = scanned
    owner = make_person(live.db, make_tenant(live.db, "acme"), Role.OWNER)
    page.goto(live.url + "/login")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, "sign-in-desktop")
    _sign_in(page, live.url, owner.email, "not the password")
    page.wait_for_selector("#sign-in-error")
    assert "not right" in page.inner_text("#sign-in-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live.url + "/app/people")  # back where it was going
    assert owner.email in page.inner_text("main")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, "people-desktop")
    page.get_by_role("link", name="Home").click()
    page.wait_for_url(live.url + "/app")
    assert page.inner_text("#role") == "owner"
    assert page.inner_text("#who") == owner.email
    assert "acme" in page.inner_text("#workspace")
    cookie = next(c for c in page.context.cookies() if c["name"] == "js_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("js_session") == -1  # scripts cannot read it
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live.url + "/login")
    assert not [c for c in page.context.cookies() if c["name"] == "js_session"]
    page.goto(live.url + "/app")
    page.wait_for_url(live.url + "/login?next=/app")


def test_a_viewer_on_a_phone_gets_403_on_the_people_page(live: LiveServer, browser: Any) -> None:
    viewer = make_person(live.db, make_tenant(live.db, "acme"), Role.VIEWER)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live.url, viewer.email, PASSWORD)
    page.wait_for_url(live.url + "/app/people")
    assert "Not allowed" in page.inner_text("h1")
    assert page.get_by_role("link", name="People").count() == 0
    page.get_by_role("link", name="Home").click()
    assert page.inner_text("#role") == "viewer"
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    save_screenshot(page, "home-phone")
    context.close()
