"""Helpers for the browser tests: a threaded uvicorn server, axe-core scans, screenshots."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from journeyscope.settings import Settings
from journeyscope.store import Database
from parallel import free_port

CHROMIUM = os.environ.get("JOURNEYSCOPE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class ThreadedServer:
    """Uvicorn serving an ASGI app on loopback from a background thread."""

    def __init__(
        self, app: Any, port: int | None = None, *, config: uvicorn.Config | None = None
    ) -> None:
        """Serve ``app`` on ``port``, or exactly as ``config`` says (its app and port)."""
        config = config or uvicorn.Config(
            app, host="127.0.0.1", port=port or free_port(), log_level="warning"
        )
        self.port = config.port
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass(frozen=True)
class LiveServer:
    """The running app: its URL, its database and its settings."""

    url: str
    db: Database
    settings: Settings


def axe_violations(page: Any, *, include: str | None = None) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2.1 A/AA violations on the page, by vendored axe-core.

    ``include`` narrows the scan to one element (a CSS selector); axe scans open shadow roots.
    """
    page.add_script_tag(path=str(AXE_JS))
    context = include or "document"
    result = page.evaluate(
        """async (selector) => {
            const target = selector === "document" ? document : {include: [[selector]]};
            return await axe.run(target, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
        }""",
        context,
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable assertion message: rule, impact, help and the offending elements."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["html"][:120] for node in v["nodes"][:3])
        for v in violations
    )


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ for review."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, f"screenshot {path} is empty"
    return path
