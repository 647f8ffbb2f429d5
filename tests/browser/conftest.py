"""Browser tests: the real server under uvicorn on loopback, driven by Debian's Chromium.

One live server (SQLite, in a thread) serves the whole session; tables are emptied after each
test. Playwright drives ``/usr/bin/chromium`` (``playwright install`` cannot download here).
Without Chromium the tests skip loudly, except in CI, where that is a failure (``.ci/run``
installs it). Screenshots go to ``tests/artifacts/`` for people to review.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, LiveServer, ThreadedServer, free_port
from journeyscope.settings import Settings
from journeyscope.store import Database, make_engine, upgrade
from journeyscope.store.tables import Base
from journeyscope.web.app import create_app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Journeyscope under uvicorn on a free port, on a migrated SQLite file."""
    folder = tmp_path_factory.mktemp("live")
    engine = make_engine(URL.create("sqlite", database=str(folder / "live.db")))
    upgrade(engine)
    db = Database(engine)
    port = free_port()
    settings = Settings(
        data_dir=folder,
        database={"url": engine.url.render_as_string(hide_password=False)},
        security={"secret_key": "browser-test-secret"},
        web={"base_url": f"http://127.0.0.1:{port}"},
        limits={"public_rate_limit": "100000/minute"},
    )
    with ThreadedServer(create_app(settings, db=db), port=port) as server:
        yield LiveServer(url=server.url, db=db, settings=settings)
    engine.dispose()


@pytest.fixture
def live(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server, its tables emptied after the test."""
    yield live_server
    with live_server.db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium under Playwright, for one test module.

    Not for the whole session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, and later tests that call ``asyncio.run`` would fail.
    """
    if not Path(CHROMIUM).exists():
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " (.ci/run installs it)", pytrace=False)
        pytest.skip("SKIPPING BROWSER TESTS: " + message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (cookies, storage, service workers) for one test."""
    made = browser.new_context(viewport=DESKTOP)
    made.set_default_timeout(10_000)
    yield made
    made.close()


@pytest.fixture
def page(context: Any) -> Any:
    """A tab in the test's own profile."""
    return context.new_page()
