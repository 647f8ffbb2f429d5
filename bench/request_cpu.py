"""CPU time per request of ``journeyscope serve``'s stack, measured in process, path by path.

``bench/requests.py`` measures a real server under ``wrk``; on a shared machine its rates swing
with whatever else runs. This drives the same stack without sockets: uvicorn's own HTTP
protocol (httptools, uvloop, the redacted access log written to a file, as ``serve`` sets them
up) is fed raw request bytes through an in-memory transport, ``--connections`` at a time, and
the process's CPU time (``time.process_time``: every thread, so the threadpool counts) is
divided by the requests answered. What it leaves out is the kernel's share of the sockets.

Run:  .venv/bin/python bench/request_cpu.py [--backend sqlite|postgres] [--requests 2000]
                                            [--rounds 3] [--only events] [--profile events]

``--profile NAME`` runs that path once more under cProfile (CPU time) and prints where its time
goes; the profile is also saved as request_cpu.prof in the temporary folder, for pstats.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import itertools
import json
import logging
import pstats
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
import uvicorn
import uvloop
from _harness import DEFAULT_POSTGRES, postgres_database
from requests import seed
from sqlalchemy.engine import URL
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from journeyscope.log_redaction import redact_application_logs
from journeyscope.settings import Settings
from journeyscope.store import Database, make_engine
from journeyscope.web.app import create_app
from journeyscope.web.server import server_config, tune_garbage_collector

SERIAL = itertools.count()
"""Request numbers, never reused: idempotency keys and response ids stay fresh."""


@dataclass(frozen=True)
class Path_:
    """One measured path: a name and a function making request number ``n``'s bytes."""

    name: str
    make: Callable[[int], bytes]
    status: int


def http_request(
    method: str, target: str, *, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    """A raw HTTP/1.1 keep-alive request."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def paths(token: str, bad_token: str, public_id: str) -> list[Path_]:
    """The rows of bench/requests.py, with the same bodies."""
    run = uuid.uuid4().hex[:8]
    auth = {"Authorization": f"Bearer {token}"}
    post = {**auth, "Content-Type": "application/json"}

    def event(n: int) -> bytes:
        body = {
            "type": "sale.completed",
            "contact_external_id": f"C-{n % 500:04d}",
            "properties": {"order_id": f"A-{n}", "amount": 59.9, "store": "paris-12"},
            "idempotency_key": f"{run}-{n}",
        }
        return http_request("POST", "/v1/events", headers=post, body=json.dumps(body).encode())

    def response(n: int) -> bytes:
        body = {
            "id": str(uuid.uuid4()),
            "survey_key": "visit",
            "answers": {"nps": n % 11, "csat": 1 + n % 5, "why": f"Answer number {n}: quick."},
            "complete": True,
            "channel": "website",
            "device_class": "desktop",
        }
        return http_request("POST", "/v1/responses", headers=post, body=json.dumps(body).encode())

    bad = {"Authorization": f"Bearer {bad_token}"}
    return [
        Path_("healthz", lambda n: http_request("GET", "/healthz"), 200),
        Path_("journeys", lambda n: http_request("GET", "/v1/journeys", headers=auth), 200),
        Path_("events", event, 201),
        Path_("responses", response, 201),
        Path_("hosted", lambda n: http_request("GET", f"/s/{public_id}"), 200),
        Path_("badkey", lambda n: http_request("GET", "/v1/journeys", headers=bad), 401),
    ]


class Connection(asyncio.Transport):
    """An in-memory transport: keeps what the server writes, signals each finished answer."""

    def __init__(self, protocol: HttpToolsProtocol) -> None:
        super().__init__()
        self.protocol = protocol
        self.written = bytearray()
        self.done = asyncio.Event()
        finish = protocol.on_response_complete

        def on_response_complete() -> None:
            finish()
            self.done.set()

        protocol.on_response_complete = on_response_complete  # type: ignore[method-assign]
        protocol.connection_made(self)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    async def send(self, raw: bytes) -> int:
        """Send one request and wait for its whole answer; its status code."""
        self.done.clear()
        self.written.clear()
        self.protocol.data_received(raw)
        await self.done.wait()
        return int(self.written[9:12])


async def drive(config: uvicorn.Config, path: Path_, count: int, connections: int) -> float:
    """CPU ms per request for ``count`` requests of ``path`` over ``connections``."""
    state = ServerState()
    conns = [Connection(HttpToolsProtocol(config, state, {})) for _ in range(connections)]
    numbers = (next(SERIAL) for _ in range(count))
    wrong: list[int] = []

    async def client(connection: Connection) -> None:
        for n in numbers:
            status = await connection.send(path.make(n))
            if status != path.status:
                wrong.append(status)

    began = time.process_time()
    await asyncio.gather(*(client(c) for c in conns))
    used = time.process_time() - began
    if wrong:
        raise RuntimeError(f"{path.name}: {len(wrong)} answers not {path.status}: {wrong[:5]}")
    return 1000 * used / count


@contextmanager
def database(backend: str, postgres_url: str) -> Iterator[URL]:
    """A fresh SQLite file or PostgreSQL database."""
    if backend == "postgres":
        with postgres_database(postgres_url) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield URL.create("sqlite", database=str(Path(folder) / "journeyscope.db"))


def main() -> None:
    """Seed, build the app as ``serve`` does, then measure (and maybe profile) each path."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", action="append", help="measure only these paths")
    parser.add_argument("--profile", help="profile this path after measuring")
    args = parser.parse_args()
    with database(args.backend, args.postgres_url) as url, tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(url)
        setup = seed(engine)
        engine.dispose()
        settings = Settings(
            data_dir=Path(tmp),
            database={"url": url.render_as_string(hide_password=False)},
            security={"secret_key": "bench-only"},
        )
        db = Database(make_engine(url))
        app = create_app(settings, db=db)
        config = server_config(app, host="127.0.0.1", port=8000, log_level="info")
        config.load()
        log = (Path(tmp) / "access.log").open("a")
        for handler in (
            logging.getLogger("uvicorn").handlers + logging.getLogger("uvicorn.access").handlers
        ):
            handler.setStream(log)  # type: ignore[attr-defined]
        redact_application_logs()
        tune_garbage_collector()
        rows = paths(setup.token, setup.bad_token, setup.public_id)
        rows = [r for r in rows if not args.only or r.name in args.only or r.name == "healthz"]
        results = uvloop.run(measure(config, rows, args))
        health = statistics.median(results["healthz"])
        print(f"{args.backend}: CPU ms/request, median (min-max) of {args.rounds} rounds")
        for name, values in results.items():
            median = statistics.median(values)
            print(
                f"  {name:10} {median:6.3f} ({min(values):.3f}-{max(values):.3f})"
                f"  share {health / median:4.0%}  ({median / health:.1f}x /healthz)"
            )
        if args.profile:
            row = next(r for r in rows if r.name == args.profile)
            profile(config, row, args)
        db.engine.dispose()


async def measure(
    config: uvicorn.Config, rows: list[Path_], args: argparse.Namespace
) -> dict[str, list[float]]:
    """Warm every path, then ``--rounds`` rounds of all of them, /healthz first each time."""
    for row in rows:
        await drive(config, row, 200, args.connections)
    results: dict[str, list[float]] = {row.name: [] for row in rows}
    for _ in range(args.rounds):
        for row in rows:
            gc.collect()
            results[row.name].append(await drive(config, row, args.requests, args.connections))
    return results


def profile(config: uvicorn.Config, row: Path_, args: argparse.Namespace) -> None:
    """``row`` under cProfile, with threadpool work run inline so that the profile sees it.

    The hop to the threadpool and back is left out of this profile (not of the figures).
    """
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]

    async def run() -> None:
        profiler.enable()
        await drive(config, row, args.requests, 1)
        profiler.disable()

    uvloop.run(run())
    profiler.dump_stats(Path(tempfile.gettempdir()) / "request_cpu.prof")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(50)


if __name__ == "__main__":
    main()
