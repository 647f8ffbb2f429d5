"""The documented commands run against `journeyscope demo`, as a newcomer would type them.

Every shell block in README.md and docs/ that is marked with the comment line
``<!-- runnable: against journeyscope demo ... -->`` right above it is run, in the order the
pages are read (README first, then docs/ by path), by bash against one demo server started
here on a free port, with ``BASE`` and ``KEY`` set as docs/index.md tells readers to set
them. ``curl`` fails on any 4xx or 5xx answer, and each block stops at its first failing
command. Blocks that need a set-up of one's own (files, a mail server) are not marked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from parallel import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "journeyscope"
MARKER = re.compile(r"^<!-- runnable: against journeyscope demo\b.*-->$")
FENCE = re.compile(r"^```(bash|sh)\s*$")
PRELUDE = """set -euo pipefail
curl() { command curl --fail-with-body --silent --show-error "$@"; }
"""


@dataclass(frozen=True)
class Block:
    """One runnable shell block of the docs."""

    path: Path
    line: int  # of the opening fence
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Demo:
    """A running `journeyscope demo` and what the examples need to reach it."""

    base: str
    key: str
    env: dict[str, str]
    workdir: Path
    log: Path


def runnable_blocks() -> list[Block]:
    """The marked blocks, README first, then docs/ by path, each in page order."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [block for page in pages for block in _blocks_of(page)]


def _blocks_of(page: Path) -> Iterator[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines[:-1]):
        if MARKER.match(line):
            assert FENCE.match(lines[index + 1]), f"{page}:{index + 1}: no bash block follows"
            end = lines.index("```", index + 2)
            yield Block(page, index + 2, "\n".join(lines[index + 2 : end]))


def _as_typed(block: Block, demo: Demo) -> str:
    """The block as a reader runs it after following docs/index.md: BASE and KEY are set."""
    kept = [line for line in block.text.splitlines() if not line.startswith("KEY=js_...")]
    text = "\n".join(kept).replace("http://127.0.0.1:8000", demo.base)
    return text.replace(".venv/bin/journeyscope", "journeyscope")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`journeyscope demo` on a free port, with its own data folder, for the whole module."""
    folder = tmp_path_factory.mktemp("docs-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYSCOPE_")}
    env |= {
        "JOURNEYSCOPE_DATA_DIR": str(folder / "journeyscope-data"),
        "JOURNEYSCOPE_DISPATCH_INTERVAL_SECONDS": "0.5",
        "PATH": f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}",
    }
    port = free_port()
    log = folder / "demo.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(SCRIPT), "demo", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_ready(base, server, log)
        key = re.search(r"^Demo API key .*: (js_\S+)$", log.read_text(), re.MULTILINE)
        assert key is not None, log.read_text()
        workdir = folder / "work"
        workdir.mkdir()
        (workdir / "examples").symlink_to(ROOT / "examples")
        yield Demo(base, key.group(1), env | {"BASE": base, "KEY": key.group(1)}, workdir, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 240  # the demo analyses its example interview first
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the demo did not start:\n{log.read_text()}")


def _wait_for(pattern: str, log: Path, seconds: float = 60) -> str | None:
    """The first log line matching ``pattern``, waiting for the dispatcher to write it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(), re.MULTILINE)
        if found:
            return found.group(0)
        time.sleep(0.2)
    return None


def test_the_docs_mark_their_runnable_examples() -> None:
    blocks = runnable_blocks()
    pages = {block.path.relative_to(ROOT).as_posix() for block in blocks}
    assert {"README.md", "docs/connect.md", "docs/channels/kiosk.md"} <= pages
    assert len(blocks) >= 10


@pytest.mark.slow
def test_every_runnable_example_works_against_the_demo(demo: Demo) -> None:
    failures = []
    for block in runnable_blocks():
        done = subprocess.run(
            ["bash", "-c", PRELUDE + _as_typed(block, demo)],
            cwd=demo.workdir,
            env=demo.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            failures.append(f"{block.where} exit {done.returncode}:\n{done.stdout}{done.stderr}")
    assert failures == [], "\n\n".join(failures)
    invited = _wait_for(
        r"^\[console email: not sent\] invitation to ana@example\.com .*$", demo.log
    )
    assert invited is not None, "the README's event sent no invitation:\n" + demo.log.read_text()
    assert f"{demo.base}/i/" in invited  # the personal link, at the port the demo serves on


def test_mkdocs_is_named_with_the_extra_that_installs_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for mention in re.finditer(r"mkdocs serve", readme):
        nearby = readme[mention.start() : mention.start() + 200]
        assert ".[dev]" in nearby, nearby
