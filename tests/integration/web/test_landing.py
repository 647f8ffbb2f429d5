"""``/`` says what is running and links to working pages; the icon is served, not a 404."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factories import RETAIL_JOURNEY, Tenant
from journeyscope import __version__
from journeyscope.web.pages.hosted_security import CSP as HOSTED_CSP

LINK = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"]+)"')


def test_the_landing_page_names_the_version_and_every_link_works(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert f"Version {__version__}" in page.text
    links = LINK.findall(page.text)
    assert {"/v1/docs", "/v1/openapi.json", "/static/favicon.svg"} <= set(links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_landing_page_has_the_public_pages_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["content-security-policy"] == HOSTED_CSP
    assert (headers["x-frame-options"], headers["referrer-policy"]) == ("DENY", "no-referrer")


def test_the_landing_page_shows_nothing_of_any_workspace(
    client: TestClient, tenant: Tenant
) -> None:
    assert client.post("/v1/journeys", headers=tenant.headers, json=RETAIL_JOURNEY).is_success
    page = client.get("/").text.lower()
    assert tenant.slug not in page and "retail" not in page


def test_the_favicon_is_an_svg_image(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    assert icon.content.startswith(b"<svg") and b"<script" not in icon.content


def test_public_pages_name_the_icon(client: TestClient) -> None:
    page = client.get("/u/not-a-token")  # the hosted layout, as every survey page uses it
    assert page.status_code == 403
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
