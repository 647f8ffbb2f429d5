"""The installed ``journeyscope`` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from factories import empty_postgres_database
from journeyscope import journey
from parallel import free_port

SCRIPT = Path(sys.executable).parent / "journeyscope"


def _env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYSCOPE_")}
    env["JOURNEYSCOPE_DATA_DIR"] = str(tmp_path / "data")
    if database_url:
        env["JOURNEYSCOPE_DATABASE_URL"] = database_url
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def empty_postgres(request: pytest.FixtureRequest) -> Iterator[URL]:
    server: URL = request.getfixturevalue("postgres_server")
    with empty_postgres_database(server, "cli") as url:
        yield url


def test_script_sets_up_applies_and_exports_on_the_default_sqlite(tmp_path: Path) -> None:
    env = _env(tmp_path)
    init = _cli(env, "init", "--json")
    assert init.returncode == 0, init.stderr
    assert json.loads(init.stdout)["workspace"] == "default"
    assert (tmp_path / "data" / "journeyscope.db").exists()
    example = str(next(p for p in journey.example_paths() if p.name == "b2b.yaml"))
    assert _cli(env, "journey", "apply", example).returncode == 0
    again = _cli(env, "journey", "apply", example)
    assert "created" not in again.stdout
    assert "unchanged" in again.stdout


def test_demo_loads_the_four_example_journeys_and_prints_a_working_key(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = _cli(env, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("journey ") == 4
    links = re.findall(r"^survey (\S+): \S+/s/\S{16}$", first.stdout, re.MULTILINE)
    assert links == ["kiosk", "why-us", "found-it"]
    assert re.search(r"^kiosk at retail/checkout-kiosk: \S+/k/\S{16}$", first.stdout, re.MULTILINE)
    (interview,) = re.findall(
        r"^interview (\S+): journeyscope interviews report", first.stdout, re.M
    )
    report = _cli(env, "interviews", "report", interview, "-w", "demo", "--format", "md")
    assert report.returncode == 0, report.stderr
    assert "Missed probes" in report.stdout or "missed probe" in report.stdout.lower()
    assert all(
        url.startswith("http://127.0.0.1:8000") for url in re.findall(r"http\S+", first.stdout)
    )
    second = _cli(env, "demo", "--no-serve", "--port", "8765")
    assert "created" not in second.stdout
    assert "http://127.0.0.1:8765/s/" in second.stdout  # links follow the port
    assert second.stdout.count("/s/") == 3
    assert f"interview {interview}:" in second.stdout  # imported once, not again
    pinned = _cli(env | {"JOURNEYSCOPE_BASE_URL": "https://cx.example"}, "demo", "--no-serve")
    assert "https://cx.example/s/" in pinned.stdout and ":8765" not in pinned.stdout
    listed = _cli(env, "journey", "list", "-w", "demo")
    assert {line.split()[0] for line in listed.stdout.splitlines()[1:]} == {
        "airline",
        "b2b",
        "retail",
        "saas-app",
    }
    keys = _cli(env, "keys", "list", "-w", "demo")
    assert keys.stdout.count("active") == 1
    assert keys.stdout.count("revoked") == 2


def test_script_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nname: X\nstages: []\n")
    result = _cli(_env(tmp_path), "journey", "validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")
    debug = _cli(_env(tmp_path), "--debug", "journey", "validate", str(bad))
    assert "Traceback" in debug.stderr


def test_serve_upgrades_sqlite_by_itself_and_answers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        ready = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert ready is not None, (tmp_path / "serve.log").read_text()
        assert ready.status_code == 200
        assert (tmp_path / "data" / "secret_key").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.mark.postgres
def test_serve_refuses_an_old_postgres_schema_and_says_what_to_run(
    tmp_path: Path, empty_postgres: URL
) -> None:
    env = _env(tmp_path, empty_postgres.render_as_string(hide_password=False))
    result = _cli(env, "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "journeyscope db upgrade" in result.stderr
    upgraded = _cli(env, "db", "upgrade")
    assert upgraded.returncode == 0
    assert "upgraded from empty" in upgraded.stdout
    assert _cli(env, "init", "--json").returncode == 0
