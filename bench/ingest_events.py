"""Batch event ingest through the HTTP API against the raw-driver ceiling, side by side.

Machines are shared and noisy, so the figure that matters is the ratio of the API path to
the fastest raw driver path for the *same rows into the same migrated table* (same indexes,
same unique constraint, same pragmas), measured in the same run. Target: with idempotency
keys on, the API path reaches at least 40% of that ceiling.

Run:  .venv/bin/python bench/ingest_events.py [--batches 20] [--rounds 3]
                                              [--backend sqlite|postgres|both]

The app runs under uvicorn in a separate process on 127.0.0.1, as `journeyscope serve` runs
it; the client sends pre-encoded batches of 1,000 events over one keep-alive connection.
Raw paths insert rows built beforehand (uuid7 ids, JSON text), so they time the driver and
the database alone. Every path starts from an empty event table. PostgreSQL work happens in
a throwaway database on --postgres-url, dropped at the end; SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
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
from _harness import (
    DEFAULT_POSTGRES,
    Measure,
    api_server,
    backend_version,
    machine_line,
    postgres_database,
    print_table,
    ratios,
    raw_target,
)
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import URL

from journeyscope.collection.repo import sqlite_time
from journeyscope.store import Database, make_engine, new_id, tables, upgrade
from journeyscope.store.engine import apply_sqlite_pragmas
from journeyscope.workspaces import create_workspace, issue_key

BATCH = 1000
CONTACTS = 1000
WARMUP_BATCHES = 3
TARGET = 0.40
STORES = ("paris-12", "lyon-02", "lille-01", "nantes-04", "online")
TYPES = ("sale.completed", "sale.completed", "sale.completed", "sale.refunded")
COLUMNS = tuple(column.name for column in tables.Event.__table__.columns)
API_NEW = "API batch, new events"
API_DUPLICATES = "API batch, all duplicates"

Event = dict[str, Any]
Row = tuple[Any, ...]
Batches = list[list[Row]]
RawPath = Callable[[str, Batches, Batches], float]


@dataclass(frozen=True)
class Tenant:
    """The workspace the benchmark writes to, its API token and its contacts' ids."""

    workspace_id: uuid.UUID
    token: str
    contact_ids: dict[str, uuid.UUID]


@dataclass(frozen=True)
class Plan:
    """The events every path stores: a warm-up, then the timed batches (same for all)."""

    warm: list[list[Event]]
    timed: list[list[Event]]

    @property
    def timed_events(self) -> int:
        """Events in the timed batches."""
        return len(self.timed) * BATCH


# --- the events ---------------------------------------------------------------------------


def make_event(key: str, rng: random.Random, base: dt.datetime) -> Event:
    """A sale-like event (order id, amount, store) for one of ~1,000 contacts."""
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


def make_batches(count: int, *, tag: str, seed: int) -> list[list[Event]]:
    """``count`` batches of 1,000 events with unique idempotency keys (seeded: repeatable)."""
    rng = random.Random(seed)
    base = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    return [[make_event(f"{tag}-{b}-{i}", rng, base) for i in range(BATCH)] for b in range(count)]


def contact_batch() -> list[Event]:
    """One event per contact, so that every contact exists before anything is timed."""
    events = make_batches(1, tag="seed", seed=1)[0]
    for i, event in enumerate(events):
        event["contact_external_id"] = f"C-{i:04d}"
    return events


def to_rows(batch: Sequence[Event], tenant: Tenant) -> list[Row]:
    """The rows the app writes for ``batch``: uuid7 ids, aware UTC times, JSON text."""
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
    """A row as SQLAlchemy stores it in SQLite: hex UUIDs and naive UTC text."""
    eid, workspace_id, type_, occurred, received, contact_id, props, key = row
    return (
        eid.hex,
        workspace_id.hex,
        type_,
        sqlite_time(occurred),
        sqlite_time(received),
        contact_id.hex,
        props,
        key,
    )


def raw_rows(backend: str, batches: Sequence[Sequence[Event]], tenant: Tenant) -> Batches:
    """Rows for the raw paths, built before timing so that only the insert is timed."""
    rows = [to_rows(batch, tenant) for batch in batches]
    if backend == "sqlite":
        return [[to_sqlite(r) for r in batch] for batch in rows]
    return rows


# --- databases ----------------------------------------------------------------------------


def create_tenant(engine: Engine) -> Tenant:
    """Migrate the database, then create a workspace and an API key (contacts come later)."""
    upgrade(engine)
    db = Database(engine)
    space = create_workspace(db, slug="bench")
    issued = issue_key(db, workspace_id=space.id, name="bench")
    return Tenant(workspace_id=space.id, token=issued.token, contact_ids={})


def with_contacts(engine: Engine, tenant: Tenant) -> Tenant:
    """``tenant`` with the ids of the contacts the API created, for the raw rows."""
    contact = tables.Contact.__table__
    stmt = select(contact.c.external_id, contact.c.id).where(
        contact.c.workspace_id == tenant.workspace_id
    )
    with engine.connect() as connection:
        ids = dict(connection.execute(stmt).all())
    return Tenant(workspace_id=tenant.workspace_id, token=tenant.token, contact_ids=ids)


def empty_events(engine: Engine) -> None:
    """Start a path from an empty event table, so that none pays for another's rows."""
    statement = "DELETE FROM event" if engine.dialect.name == "sqlite" else "TRUNCATE event CASCADE"
    with engine.begin() as connection:
        connection.execute(text(statement))


# --- the API path -------------------------------------------------------------------------


@contextmanager
def api_client(base_url: str, token: str) -> Iterator[httpx.Client]:
    """One keep-alive connection, authenticated, sending JSON bodies."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        yield client


def encode(batches: Sequence[Sequence[Event]]) -> list[bytes]:
    """Request bodies, encoded before timing so that the client's JSON work is not counted."""
    return [json.dumps({"events": list(batch)}).encode() for batch in batches]


def post_all(client: httpx.Client, bodies: Sequence[bytes], *, expect: str) -> float:
    """Send every body in turn; the seconds taken. Each answer must count 1,000 ``expect``."""
    start = time.perf_counter()
    for body in bodies:
        response = client.post("/v1/events/batch", content=body)
        if response.status_code != 200 or response.json()[expect] != BATCH:
            raise RuntimeError(f"unexpected answer {response.status_code}: {response.text[:300]}")
    return time.perf_counter() - start


# --- raw driver paths ---------------------------------------------------------------------


def insert_sql(placeholder: str) -> str:
    """``INSERT INTO event (...) VALUES (...)`` with ``?`` or ``%s`` placeholders."""
    marks = ", ".join([placeholder] * len(COLUMNS))
    return f"INSERT INTO event ({', '.join(COLUMNS)}) VALUES ({marks})"


def time_batches(batches: Batches, insert: Callable[[list[Row]], None]) -> float:
    """Seconds to insert every batch (each call inserts and commits one batch)."""
    start = time.perf_counter()
    for rows in batches:
        insert(rows)
    return time.perf_counter() - start


def sqlite_executemany(path: str, warm: Batches, timed: Batches) -> float:
    """sqlite3 ``executemany``, a commit per batch, with the app's own connection pragmas."""
    connection = sqlite3.connect(path)
    apply_sqlite_pragmas(connection, None)  # WAL, foreign keys, busy timeout, synchronous
    sql = insert_sql("?")

    def insert(rows: list[Row]) -> None:
        connection.executemany(sql, rows)
        connection.commit()

    try:
        time_batches(warm, insert)
        return time_batches(timed, insert)
    finally:
        connection.close()


def postgres_copy(conninfo: str, warm: Batches, timed: Batches) -> float:
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


def postgres_executemany(conninfo: str, warm: Batches, timed: Batches) -> float:
    """psycopg 3 ``executemany`` (pipelined by the driver), a commit per batch."""
    sql = insert_sql("%s")
    with psycopg.connect(conninfo) as connection:

        def insert(rows: list[Row]) -> None:
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            connection.commit()

        time_batches(warm, insert)
        return time_batches(timed, insert)


RAW_PATHS: dict[str, list[tuple[str, RawPath]]] = {
    "sqlite": [("raw sqlite3 executemany", sqlite_executemany)],
    "postgres": [
        ("raw psycopg COPY", postgres_copy),
        ("raw psycopg executemany", postgres_executemany),
    ],
}


# --- one backend, every path, in rounds -------------------------------------------------


def measure_api(client: httpx.Client, engine: Engine, plan: Plan) -> tuple[float, float]:
    """Seconds for the timed batches as new events, then for the same batches resent."""
    empty_events(engine)
    post_all(client, encode(plan.warm), expect="created")
    bodies = encode(plan.timed)
    new = post_all(client, bodies, expect="created")
    return new, post_all(client, bodies, expect="duplicates")


def measure_raw(backend: str, url: URL, tenant: Tenant, plan: Plan) -> list[tuple[str, float]]:
    """Seconds for the timed batches through each raw driver path, from an empty table."""
    engine = make_engine(url)
    try:
        timings = []
        for name, run in RAW_PATHS[backend]:
            empty_events(engine)
            warm = raw_rows(backend, plan.warm, tenant)
            timed = raw_rows(backend, plan.timed, tenant)
            timings.append((name, run(raw_target(url), warm, timed)))
        return timings
    finally:
        engine.dispose()


def run_backend(backend: str, url: URL, folder: Path, plan: Plan, rounds: int) -> list[Measure]:
    """Every path on one backend, ``rounds`` times over, API and raw side by side."""
    engine = make_engine(url)
    n = plan.timed_events
    measures: list[Measure] = []
    try:
        tenant = create_tenant(engine)
        with api_server(url, folder) as base_url, api_client(base_url, tenant.token) as client:
            post_all(client, encode([contact_batch()]), expect="created")
            tenant = with_contacts(engine, tenant)
            for r in range(rounds):
                new, again = measure_api(client, engine, plan)
                measures.append(Measure(backend, API_NEW, r, n, new))
                measures.append(Measure(backend, API_DUPLICATES, r, n, again))
                for name, seconds in measure_raw(backend, url, tenant, plan):
                    measures.append(Measure(backend, name, r, n, seconds))
        return measures
    finally:
        engine.dispose()


# --- report -------------------------------------------------------------------------------


def print_verdict(measures: Sequence[Measure]) -> None:
    """Whether the API path (new events) reaches the target share of the raw ceiling."""
    for backend in dict.fromkeys(m.backend for m in measures):
        shares = ratios([m for m in measures if m.backend == backend], API_NEW)
        share = statistics.median(shares)
        verdict = "meets" if share >= TARGET else "MISSES"
        rounds = ", ".join(f"{s:.0%}" for s in shares)
        print(
            f"{backend}: API (new events) at {share:.0%} of the raw ceiling "
            f"(rounds: {rounds}); {verdict} the {TARGET:.0%} target"
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; bounds keep a run short and finite."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--batches", type=int, default=20, help="timed batches per path")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every path")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="server admin URL")
    args = parser.parse_args(argv)
    if not 1 <= args.batches <= 200:
        parser.error("--batches must be between 1 and 200")
    if not 1 <= args.rounds <= 10:
        parser.error("--rounds must be between 1 and 10")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen backends, then print the machine, the table and the verdict."""
    args = parse_args(argv)
    plan = Plan(
        warm=make_batches(WARMUP_BATCHES, tag="warm", seed=7),
        timed=make_batches(args.batches, tag="timed", seed=11),
    )
    measures: list[Measure] = []
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix="journeyscope-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            url = URL.create("sqlite", database=str(Path(tmp) / "bench.db"))
            measures += run_backend("sqlite", url, Path(tmp), plan, args.rounds)
            versions.append(backend_version(url))
        if args.backend in ("postgres", "both"):
            with postgres_database(args.postgres_url) as url:
                measures += run_backend("postgres", url, Path(tmp), plan, args.rounds)
                versions.append(backend_version(url))
    print(
        f"Event ingest: {args.rounds} rounds x {args.batches} batches x {BATCH:,} events, "
        f"unique idempotency keys, {CONTACTS:,} contacts, warm-up {WARMUP_BATCHES} batches"
    )
    print(machine_line(versions))
    print_table(measures, "events")
    print_verdict(measures)


if __name__ == "__main__":
    main()
