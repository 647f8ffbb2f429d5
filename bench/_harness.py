"""What every benchmark shares: a server process on loopback, throwaway databases, the machine.

Benchmarks run as scripts (``python bench/<name>.py``), so this module sits next to them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import platform
import socket
import sqlite3
import statistics
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from journeyscope.store import make_engine

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[URL]:
    """A throwaway database on the server, dropped (with its connections) at the end."""
    name = f"journeyscope_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_url(admin_url).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(drivername="postgresql+psycopg", database=name)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_version(engine: Engine) -> str:
    """The database and its version, for the machine line."""
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
    return f"PostgreSQL {version.split()[0]}"


def backend_version(url: URL) -> str:
    """The version line of the database behind ``url``."""
    engine = make_engine(url)
    try:
        return database_version(engine)
    finally:
        engine.dispose()


def raw_target(url: URL) -> str:
    """What a raw driver connects to: the SQLite file, or a libpq URL."""
    if url.get_backend_name() == "sqlite":
        return url.database or ""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def serve(url: str, data_dir: str, port: int, overrides: dict[str, Any]) -> None:
    """Run the app under uvicorn as ``journeyscope serve`` does (the child process)."""
    from journeyscope.settings import Settings
    from journeyscope.web.app import create_app
    from journeyscope.web.server import run_server

    settings = Settings(
        data_dir=Path(data_dir),
        **overrides,
        database={"url": url},
        security={"secret_key": "bench-only"},
    )
    run_server(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base_url: str, process: multiprocessing.process.BaseProcess) -> None:
    """Poll ``/healthz`` for up to 30 s; fail at once if the server process died."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError(f"the server exited with code {process.exitcode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer /healthz within 30 s")


@contextmanager
def api_server(url: URL, data_dir: Path, **overrides: Any) -> Iterator[str]:
    """A uvicorn process serving the app on a free loopback port, stopped at the end."""
    port = free_port()
    args = (url.render_as_string(hide_password=False), str(data_dir), port, overrides)
    process = multiprocessing.get_context("spawn").Process(target=serve, args=args, daemon=True)
    process.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


def cpu_model() -> str:
    """The CPU's model name (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_line(versions: list[str]) -> str:
    """The machine, the software and the time, printed with every result."""
    return (
        f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{', '.join(versions)}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )


@dataclass(frozen=True)
class Measure:
    """One path in one round: how many items it stored (or answered) in how long."""

    backend: str
    path: str
    round: int
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        """Items per second."""
        return self.count / self.seconds


def ratios(measures: Sequence[Measure], path: str) -> list[float]:
    """Per round: the path's rate over the best raw rate (paths named ``raw ...``) of that round."""
    found: list[float] = []
    for r in sorted({m.round for m in measures}):
        in_round = [m for m in measures if m.round == r]
        best = max(m.rate for m in in_round if m.path.startswith("raw"))
        found.extend(m.rate / best for m in in_round if m.path == path)
    return found


def print_table(measures: Sequence[Measure], unit: str) -> None:
    """Backend, path, ``unit``/s (median and range of rounds), share of the best raw path."""
    width = max(len(m.path) for m in measures)
    rate = f"{unit}/s"
    print(f"{'backend':<9} {'path':<{width}} {rate:>11} {'(range)':>17} {'vs best raw':>12}")
    for backend in dict.fromkeys(m.backend for m in measures):
        mine = [m for m in measures if m.backend == backend]
        for path in dict.fromkeys(m.path for m in mine):
            rates = [m.rate for m in mine if m.path == path]
            spread = f"({min(rates):,.0f}-{max(rates):,.0f})"
            share = statistics.median(ratios(mine, path))
            print(
                f"{backend:<9} {path:<{width}} {statistics.median(rates):>11,.0f} "
                f"{spread:>17} {share:>12.0%}"
            )
