"""In Chromium, our pages ask for nothing that is missing or refused, and name their icon."""

from __future__ import annotations

from typing import Any

import pytest

from browser_support import LiveServer
from factories import make_published_survey, make_tenant

pytestmark = pytest.mark.browser


def failures_while_opening(
    page: Any, url: str, ready: str, *, timeout_ms: int = 10_000
) -> tuple[list[str], list[str]]:
    """Failed requests (status ≥ 400 or no answer) and refused loads while ``url`` settles."""
    failed: list[str] = []
    refused: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.on("console", lambda m: refused.append(m.text) if "Refused to" in m.text else None)
    page.goto(url)
    page.wait_for_selector(ready, timeout=timeout_ms)
    page.wait_for_load_state("networkidle")  # the icon is asked for after the load event
    return failed, refused


def test_a_hosted_survey_page_loads_everything_it_names(live: LiveServer, page: Any) -> None:
    survey = make_published_survey(live.db, make_tenant(live.db, "acme"))
    failed, refused = failures_while_opening(page, f"{live.url}/s/{survey.public_id}", "form")
    assert (failed, refused) == ([], [])
    # Headless Chromium asks for no icon by itself: fetch the one the page names.
    icon = "fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)"
    assert page.evaluate(icon) == 200


def test_the_landing_page_loads_everything_it_names(live: LiveServer, page: Any) -> None:
    failed, refused = failures_while_opening(page, live.url + "/", "h1")
    assert (failed, refused) == ([], [])
    assert page.title() == "Journeyscope"


def test_the_api_docs_run_under_their_policy(live: LiveServer, page: Any) -> None:
    # Swagger UI renders the whole schema first: ~16 s on a busy two-core machine.
    ready = ".swagger-ui .info .title"
    failed, refused = failures_while_opening(page, live.url + "/v1/docs", ready, timeout_ms=60_000)
    assert (failed, refused) == ([], [])
    assert "Journeyscope" in page.inner_text(ready)
