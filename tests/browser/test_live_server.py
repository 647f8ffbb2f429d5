"""The browser harness itself: Chromium reaches the live server and axe-core runs."""

from __future__ import annotations

from typing import Any

import pytest

from browser_support import LiveServer, axe_violations, describe_violations

pytestmark = pytest.mark.browser


def test_chromium_loads_the_api_docs_from_vendored_assets(live: LiveServer, page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live.url + "/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Journeyscope" in page.inner_text(".swagger-ui .info .title")
    assert requests, "the page made no requests"
    assert all(url.startswith(live.url) or url.startswith("data:") for url in requests), requests


def test_axe_reports_a_page_with_a_violation(live: LiveServer, browser: Any) -> None:
    # The scan must be able to fail: an image without alternative text is a critical violation.
    # /healthz's policy refuses injected scripts, as every answer's does: axe needs bypass_csp.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live.url + "/healthz")
    page.set_content(
        '<html lang="en"><head><title>t</title></head>'
        '<body><main><img src="x.png"></main></body></html>'
    )
    violations = axe_violations(page)
    context.close()
    assert [v["id"] for v in violations] == ["image-alt"], describe_violations(violations)
