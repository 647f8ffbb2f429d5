"""Batch event ingest through the HTTP API, against the raw-driver ceiling, in one run.

Machines are shared and noisy, so the figure that matters is the ratio of the API path to
the fastest raw driver path for the *same rows into the same migrated table* (same indexes,
same unique constraint, same pragmas), measured side by side. Target: the API path (with
idempotency keys) reaches at least 40% of that ceiling.

Run:  .venv/bin/python bench/ingest_events.py [--batches 30] [--backend sqlite|postgres|both]

The API runs under uvicorn in a separate process on 127.0.0.1; the client sends pre-encoded
batches of 1,000 events over one keep-alive connection. PostgreSQL work happens in a
throwaway database on --postgres-url (dropped at the end); SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import socket
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import URL, make_url

from journeyscope.store import make_engine, new_id, tables, upgrade
from journeyscope.store.engine import _on_sqlite_connect
from journeyscope.workspaces import create_workspace, issue_key

BATCH = 1000
CONTACTS = 1000
WARMUP_BATCHES = 3
TARGET = 0.40
STORES = ("paris-12", "lyon-02", "lille-01", "nantes-04", "online")
TYPES = ("sale.completed", "sale.completed", "sale.completed", "sale.refunded")
COLUMNS = (
    "id",
    "workspace_id",
    "type",
    "occurred_at",
    "received_at",
    "contact_id",
    "properties",
    "idempotency_key",
)
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

Event = dict[str, Any]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Measure:
    """One measured path: how many events it stored (or answered) in how many seconds."""

    backend: str
    path: str
    events: int
    seconds: float
    is_api: bool = False

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds


@dataclass(frozen=True)
class Tenant:
    """The workspace the benchmark writes to, its API token and its contacts' ids."""

    workspace_id: uuid.UUID
    token: str
    contact_ids: dict[str, uuid.UUID]


# --- the events ---------------------------------------------------------------------------


def make_event(key: str, rng: random.Random, base: dt.datetime) -> Event:
    """A sale-like event: order id, amount and store, for one of ~1,000 contacts."""
    occurred = base + dt.timedelta(seconds=rng.randrange(86_400 * 30))
    return {
        "type": rng.choice(TYPES),
        "occurred_at": occurred.isoformat().replace("+00:00", "Z"),
        "contact_external_id": f"C-{rng.randrange(CONTACTS):04d}",
        "properties": {
            "order_id": f"A-{rng.randrange(10**8):08d}",
            "amount": round(rng.uniform(4, 400), 2),
            "store": rng.choice(STORES),
        },
        "idempotency_key": key,
    }


def make_batches(count: int, *, tag: str, seed: int = 7) -> list[list[Event]]:
    """``count`` batches of 1,000 events with unique idempotency keys (seeded: repeatable)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    base = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    return [
        [make_event(f"{tag}-{b}-{i}", rng, base) for i in range(BATCH)] for b in range(count)
    ]


def contact_batch() -> list[Event]:
    """One event per contact, so every contact exists before anything is measured."""
    rng = random.Random(1)  # noqa: S311 - test data
    base = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    events = [make_event(f"seed-{i}", rng, base) for i in range(CONTACTS)]
    for i, event in enumerate(events):
        event["contact_external_id"] = f"C-{i:04d}"
    return events


def to_rows(batch: Sequence[Event], tenant: Tenant) -> list[Row]:
    """The rows the app would write for ``batch``: uuid7 ids, aware UTC times, JSON text."""
    now = dt.datetime.now(dt.UTC)
    return [
        (
            new_id(),
            tenant.workspace_id,
            e["type"],
            dt.datetime.fromisoformat(e["occurred_at"]),
            now,
            tenant.contact_ids[e["contact_external_id"]],
            json.dumps(e["properties"]),
            e["idempotency_key"],
        )
        for e in batch
    ]


def to_sqlite(row: Row) -> Row:
    """A row as SQLAlchemy stores it in SQLite: hex UUIDs and naive UTC text times."""
    eid, workspace_id, type_, occurred, received, contact_id, props, key = row

    def stamp(value: dt.datetime) -> str:
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    return (eid.hex, workspace_id.hex, type_, stamp(occurred), stamp(received))[:5] + (
        contact_id.hex,
        props,
        key,
    )


# --- databases ----------------------------------------------------------------------------


@contextmanager
def sqlite_database(folder: Path) -> Iterator[URL]:
    """A fresh SQLite file in ``folder`` (removed with the folder by the caller)."""
    yield URL.create("sqlite", database=str(folder / "bench.db"))


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


def create_tenant(engine: Engine) -> Tenant:
    """Migrate the database and create a workspace with an API key (contacts come later)."""
    from journeyscope.store import Database

    upgrade(engine)
    db = Database(engine)
    space = create_workspace(db, slug="bench")
    issued = issue_key(db, workspace_id=space.id, name="bench")
    return Tenant(workspace_id=space.id, token=issued.token, contact_ids={})


def load_contacts(engine: Engine, tenant: Tenant) -> Tenant:
    """``tenant`` with the ids of the contacts the API created, for the raw rows."""
    contact = tables.Contact.__table__
    stmt = select(contact.c.external_id, contact.c.id).where(
        contact.c.workspace_id == tenant.workspace_id
    )
    with engine.connect() as connection:
        ids = {ext: cid for ext, cid in connection.execute(stmt)}
    return Tenant(workspace_id=tenant.workspace_id, token=tenant.token, contact_ids=ids)


def empty_events(engine: Engine) -> None:
    """Start each path from an empty event table, so none pays for another's rows."""
    statement = "DELETE FROM event" if engine.dialect.name == "sqlite" else "TRUNCATE event"
    with engine.begin() as connection:
        connection.execute(text(statement))


def server_version(engine: Engine) -> str:
    """The database's version string, for the machine line."""
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as connection:
        return f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar_one()}"


# --- the API path -------------------------------------------------------------------------


def serve(url: str, data_dir: str, port: int) -> None:
    """Run the app under uvicorn, as ``journeyscope serve`` does (child process entry)."""
    import uvicorn

    from journeyscope.settings import Settings
    from journeyscope.web.app import create_app

    settings = Settings(
        database_url=url, data_dir=Path(data_dir), secret_key="bench-only-secret-key"
    )
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base_url: str, process: multiprocessing.process.BaseProcess) -> None:
    """Poll ``/healthz`` for up to 30 s; fail early if the server process died."""
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
def api_server(url: URL, data_dir: Path) -> Iterator[str]:
    """A uvicorn process serving the app on a free loopback port; stopped at the end."""
    port = free_port()
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=serve,
        args=(url.render_as_string(hide_password=False), str(data_dir), port),
        daemon=True,
    )
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


def encode(batches: Sequence[Sequence[Event]]) -> list[bytes]:
    """Request bodies, encoded before timing so the client's JSON work is not counted."""
    return [json.dumps({"events": list(batch)}).encode() for batch in batches]


def post_all(client: httpx.Client, bodies: Sequence[bytes], *, expect: str) -> float:
    """Send every body in turn; seconds taken. Each answer must count 1,000 ``expect``."""
    start = time.perf_counter()
    for body in bodies:
        response = client.post("/v1/events/batch", content=body)
        if response.status_code != 200 or response.json()[expect] != BATCH:
            raise RuntimeError(f"unexpected answer {response.status_code}: {response.text[:300]}")
    return time.perf_counter() - start


@contextmanager
def api_client(base_url: str, token: str) -> Iterator[httpx.Client]:
    """One keep-alive connection, authenticated, JSON bodies."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        yield client


# --- raw driver paths ---------------------------------------------------------------------


def insert_sql(style: str) -> str:
    """``INSERT INTO event (...) VALUES (...)`` with ``?`` or ``%s`` placeholders."""
    marks = ", ".join([style] * len(COLUMNS))
    return f"INSERT INTO event ({', '.join(COLUMNS)}) VALUES ({marks})"


def time_batches(batches: Sequence[list[Row]], insert: Callable[[list[Row]], None]) -> float:
    """Seconds to insert every batch (each call inserts and commits one batch)."""
    start = time.perf_counter()
    for rows in batches:
        insert(rows)
    return time.perf_counter() - start


def sqlite_executemany(path: str, warm: list[list[Row]], timed: list[list[Row]]) -> float:
    """sqlite3 ``executemany``, a commit per batch, with the app's connection pragmas."""
    connection = sqlite3.connect(path)
    _on_sqlite_connect(connection, None)  # the very pragmas the app sets: WAL, FKs, ...
    sql = insert_sql("?")

    def insert(rows: list[Row]) -> None:
        connection.executemany(sql, rows)
        connection.commit()

    try:
        time_batches(warm, insert)
        return time_batches(timed, insert)
    finally:
        connection.close()


def postgres_copy(conninfo: str, warm: list[list[Row]], timed: list[list[Row]]) -> float:
    """psycopg 3 ``COPY ... FROM STDIN``, a commit per batch."""
    sql = f"COPY event ({', '.join(COLUMNS)}) FROM STDIN"
    with psycopg.connect(conninfo) as connection:

        def insert(rows: list[Row]) -> None:
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            connection.commit()

        time_batches(warm, insert)
        return time_batches(timed, insert)


def postgres_executemany(conninfo: str, warm: list[list[Row]], timed: list[list[Row]]) -> float:
    """psycopg 3 ``executemany`` (pipelined by the driver), a commit per batch."""
    sql = insert_sql("%s")
    with psycopg.connect(conninfo) as connection:

        def insert(rows: list[Row]) -> None:
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            connection.commit()

        time_batches(warm, insert)
        return time_batches(timed, insert)


# --- one backend, every path --------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The events every path of a run stores: a warm-up and the timed batches."""

    warm: list[list[Event]]
    timed: list[list[Event]]

    @property
    def timed_events(self) -> int:
        """Events in the timed batches."""
        return len(self.timed) * BATCH


def measure_api(backend: str, url: URL, engine: Engine, folder: Path, plan: Plan) -> Tenant:
    """New events, then the same batches again (all duplicates), through HTTP."""
    tenant = create_tenant(engine)
    with api_server(url, folder) as base_url, api_client(base_url, tenant.token) as client:
        post_all(client, encode([contact_batch()]), expect="created")
        empty_events(engine)
        post_all(client, encode(plan.warm), expect="created")
        bodies = encode(plan.timed)
        seconds = post_all(client, bodies, expect="created")
        again = post_all(client, bodies, expect="duplicates")
    n = plan.timed_events
    RESULTS.append(Measure(backend, "API batch, new events", n, seconds, is_api=True))
    RESULTS.append(Measure(backend, "API batch, all duplicates", n, again))
    return load_contacts(engine, tenant)


def measure_raw(
    backend: str, engine: Engine, tenant: Tenant, plan: Plan, target: str | URL
) -> None:
    """Each raw driver path over the same events, from an empty event table each time."""
    paths: list[tuple[str, Callable[[Any, list[list[Row]], list[list[Row]]], float]]]
    if backend == "sqlite":
        paths = [("raw sqlite3 executemany", sqlite_executemany)]
    else:
        paths = [
            ("raw psycopg COPY", postgres_copy),
            ("raw psycopg executemany", postgres_executemany),
        ]
    for name, run in paths:
        empty_events(engine)
        warm = [to_rows(b, tenant) for b in plan.warm]
        timed = [to_rows(b, tenant) for b in plan.timed]
        if backend == "sqlite":
            warm = [[to_sqlite(r) for r in b] for b in warm]
            timed = [[to_sqlite(r) for r in b] for b in timed]
        RESULTS.append(Measure(backend, name, plan.timed_events, run(target, warm, timed)))


def run_backend(backend: str, url: URL, folder: Path, plan: Plan) -> str:
    """Every path on one backend; returns the database version for the machine line."""
    engine = make_engine(url)
    try:
        tenant = measure_api(backend, url, engine, folder, plan)
        raw_target: str | URL = url.database or ""
        if backend == "postgres":
            raw_target = url.set(drivername="postgresql").render_as_string(hide_password=False)
        measure_raw(backend, engine, tenant, plan, raw_target)
        return server_version(engine)
    finally:
        engine.dispose()


RESULTS: list[Measure] = []


# --- report -------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU's model name (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def print_table(results: Sequence[Measure]) -> None:
    """Backend, path, events/s and the ratio to the backend's best raw path."""
    print(f"{'backend':<9} {'path':<28} {'events/s':>9} {'vs best raw':>11}")
    for backend in dict.fromkeys(m.backend for m in results):
        rows = [m for m in results if m.backend == backend]
        best = max(m.rate for m in rows if m.path.startswith("raw"))
        for m in rows:
            ratio = f"{m.rate / best:>10.0%}"
            print(f"{m.backend:<9} {m.path:<28} {m.rate:>9,.0f} {ratio:>11}")


def print_verdict(results: Sequence[Measure]) -> None:
    """Whether the API path (new events) reaches the target share of the raw ceiling."""
    for backend in dict.fromkeys(m.backend for m in results):
        rows = [m for m in results if m.backend == backend]
        best = max(m.rate for m in rows if m.path.startswith("raw"))
        api = next(m for m in rows if m.is_api)
        verdict = "meets" if api.rate >= TARGET * best else "MISSES"
        print(f"{backend}: API {api.rate / best:.0%} of raw ceiling, {verdict} {TARGET:.0%}")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run the chosen backends side by side, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=30, help="timed batches per path")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="admin URL")
    args = parser.parse_args(argv)
    if not 1 <= args.batches <= 500:
        parser.error("--batches must be between 1 and 500")
    plan = Plan(warm=make_batches(WARMUP_BATCHES, tag="warm"), timed=[])
    plan = Plan(warm=plan.warm, timed=make_batches(args.batches, tag="timed", seed=11))
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix="journeyscope-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            with sqlite_database(Path(tmp)) as url:
                versions.append(run_backend("sqlite", url, Path(tmp), plan))
        if args.backend in ("postgres", "both"):
            with postgres_database(args.postgres_url) as url:
                versions.append(run_backend("postgres", url, Path(tmp), plan))
    print(
        f"Event ingest: {args.batches} batches x {BATCH:,} events, unique idempotency keys, "
        f"{CONTACTS:,} contacts; warm-up {WARMUP_BATCHES} batches per path"
    )
    print(
        f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{', '.join(versions)}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print_table(RESULTS)
    print_verdict(RESULTS)


if __name__ == "__main__":
    main()
