"""The simulator's bulk load: responses (and all their rows) per second, SQLite and PostgreSQL.

Issue 12's benchmark shape: the benchmark journey (6 stages x 5 touchpoints over 5
channels), contacts with 10 segment values (tier 3, region 4, plan 3), two years of traffic.
Each response brings 6 metric facts and, on email and call-centre touchpoints, its event and
invitation plus those of the invitations that were never completed (about 4 per response
there), so one response is ~11 rows on average. A second run over the same range is timed
too: it must write nothing.

Run:  .venv/bin/python bench/simulate.py [--responses 1000000] [--days 730]
                                         [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from _harness import DEFAULT_POSTGRES, backend_version, machine_line, postgres_database
from sqlalchemy import URL, func, make_url, select

from journeyscope import journey, simulation, workspaces
from journeyscope.store import Database, make_engine, tables, upgrade

SEGMENTS = {
    "tier": ("gold", "silver", "bronze"),
    "region": ("north", "south", "east", "west"),
    "plan": ("pro", "team", "free"),
}


def _count(db: Database, table: object) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def run(url: URL, responses: int, days: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    space = workspaces.create_workspace(db, slug="bench", name="Bench")
    journey.apply_journey(db, workspace_id=space.id, spec=simulation.benchmark_journey())
    start = db.clock.now().date() - dt.timedelta(days=days + 1)
    args = {
        "workspace_id": space.id,
        "journey_key": "bench",
        "start": start,
        "days": days,
        "responses_per_day": responses / days,
        "seed": 1,
        "segments": SEGMENTS,
    }
    began = time.perf_counter()
    report = simulation.simulate(db, **args)  # type: ignore[arg-type]
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = simulation.simulate(db, **args)  # type: ignore[arg-type]
    second = time.perf_counter() - began
    rows = sum(
        _count(db, t)
        for t in (
            tables.Contact,
            tables.Event,
            tables.Invitation,
            tables.Response,
            tables.MetricFact,
        )
    )
    print(f"{url.get_backend_name()}: {report.responses:,} responses, {rows:,} rows in all")
    print(
        f"  first run {first:.1f} s: {report.responses / first:,.0f} responses/s, "
        f"{rows / first:,.0f} rows/s"
    )
    print(f"  second run {second:.1f} s: {again.responses} responses written (must be 0)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    given = parser.parse_args()
    versions = []
    if given.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = make_url(f"sqlite:///{Path(folder) / 'bench.db'}")
            versions.append(backend_version(url))
            run(url, given.responses, given.days)
    if given.backend in ("postgres", "both"):
        with postgres_database(given.postgres_url) as url:
            versions.append(backend_version(url))
            run(url, given.responses, given.days)
    print(machine_line(versions))


if __name__ == "__main__":
    main()
