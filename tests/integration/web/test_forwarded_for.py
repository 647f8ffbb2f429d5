"""Whose address the rate limits count: the connection's, unless a named proxy vouches.

A real uvicorn server, configured by the function ``journeyscope serve`` uses, on a free port.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from browser_support import ThreadedServer, free_port
from journeyscope.settings import Settings
from journeyscope.web.app import create_app
from journeyscope.web.server import server_config

ELIGIBILITY = "/v1/public/workspaces/acme/eligibility"
VISIT = {"visitor_id": "v1", "url": "https://shop.example/"}


@contextmanager
def serving(tmp_path: Path, forwarded_allow_ips: str) -> Iterator[str]:
    settings = Settings(
        data_dir=tmp_path,
        security={"secret_key": "test-secret-key"},
        limits={"public_rate_limit": "2/minute"},
    )
    app = create_app(settings)
    config = server_config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        forwarded_allow_ips=forwarded_allow_ips,
    )
    with ThreadedServer(app, config=config) as server:
        yield server.url
    app.state.db.dispose()


def statuses(url: str, *forwarded: str) -> list[int]:
    """The status of one public request per ``X-Forwarded-For`` value."""
    with httpx.Client(base_url=url) as client:
        return [
            client.post(ELIGIBILITY, json=VISIT, headers={"X-Forwarded-For": ip}).status_code
            for ip in forwarded
        ]


def test_by_default_a_spoofed_forwarded_for_does_not_buy_a_new_budget(tmp_path: Path) -> None:
    with serving(tmp_path, "") as url:
        codes = statuses(url, "203.0.113.1", "203.0.113.2", "203.0.113.3")
    assert codes[2] == 429  # all three counted against 127.0.0.1
    assert 429 not in codes[:2]


def test_behind_a_named_proxy_each_forwarded_client_has_its_own_budget(tmp_path: Path) -> None:
    with serving(tmp_path, "127.0.0.1") as url:
        codes = statuses(url, "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.1")
        again = statuses(url, "203.0.113.1")
    assert 429 not in codes
    assert again == [429]  # the third request of 203.0.113.1
