"""Analytics at scale: dashboard queries, a change-detection pass and rollup upkeep, vs DuckDB.

Issue 12's benchmark. The bulk loader (``simulation.load_responses``) fills a workspace on
the benchmark journey (6 stages x 5 touchpoints over 5 channels; contacts with 10 segment
values: tier 3, region 4, plan 3, all declared segments) with ``--responses`` completed
responses over two years. Then, in the same run:

- **dashboard queries**, p50 and p99 of ``--repeat`` runs each: NPS by stage x ISO week for
  the last year (``metric_table(by="stage", grain="week")``), and NPS by touchpoint for the
  last 90 days filtered to one segment value (``segment:tier = gold``); each beside DuckDB
  answering the same question by a full scan of the raw facts exported to Parquet (counts of
  detractors, passives and promoters per cell; DuckDB computes no intervals);
- **a change-detection pass** over every touchpoint series (``detect_metric_changes``);
- **rollup upkeep on a response save**: ``submit_response`` completing a response (6
  scores, a contact with 3 segments), median of many saves, with the rollups' upkeep
  (``analytics.record_completed``) and with it replaced by a no-op, alternating.

Targets (issue 12): dashboard p50 <= 20 ms at 10M on SQLite and PostgreSQL and >= 20x faster
than DuckDB; upkeep <= 25% of a save; a change pass <= 5 s.

Needs the ``bench`` extra (duckdb, pyarrow). Databases and Parquet files are made in a
temporary folder (or ``--keep DIR``) and removed at the end.

Run:  .venv/bin/python bench/analytics.py [--responses 1000000] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from _harness import DEFAULT_POSTGRES, backend_version, machine_line, postgres_database
from sqlalchemy import URL, make_url, text

from journeyscope import analytics, collection, journey, simulation, workspaces
from journeyscope.store import Database, make_engine, upgrade

SEGMENTS = {
    "tier": ("gold", "silver", "bronze"),
    "region": ("north", "south", "east", "west"),
    "plan": ("pro", "team", "free"),
}
DAYS = 730


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return 1000 * statistics.median(ordered), 1000 * p99


def _timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    call()  # warm: caches, plans, imports
    seconds, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - began)
    return seconds, result


def _export_parquet(db: Database, folder: Path) -> Path:
    """The raw facts with their stage, touchpoint and tier, as DuckDB's input."""
    path = folder / "facts.parquet"
    sql = """
        SELECT f.day, f.metric, f.value, t.key AS touchpoint, s.key AS stage,
               s.position AS stage_position, rs.value AS tier
        FROM metric_fact f
        JOIN touchpoint t ON t.id = f.touchpoint_id
        JOIN stage s ON s.id = t.stage_id
        LEFT JOIN response_segment rs
          ON rs.response_id = f.response_id AND rs.attribute = 'tier'
    """
    writer = None
    with db.engine.connect() as connection:
        result = connection.execution_options(stream_results=True)
        for part in result.execute(text(sql)).partitions(500_000):
            columns = list(zip(*part, strict=True))
            table = pa.table(
                {
                    "day": pa.array([str(d)[:10] for d in columns[0]]).cast(pa.date32()),
                    "metric": pa.array(columns[1], pa.string()),
                    "value": pa.array(columns[2], pa.float64()),
                    "touchpoint": pa.array(columns[3], pa.string()),
                    "stage": pa.array(columns[4], pa.string()),
                    "stage_position": pa.array(columns[5], pa.int32()),
                    "tier": pa.array(columns[6], pa.string()),
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    if writer is not None:
        writer.close()
    return path


NPS_PARTS = """
    count(*) FILTER (WHERE value <= 6) AS detractors,
    count(*) FILTER (WHERE value BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE value >= 9) AS promoters
"""


def _duckdb_queries(path: Path, year: tuple[dt.date, dt.date], quarter: tuple[dt.date, dt.date]):
    con = duckdb.connect()
    by_week = f"""
        SELECT stage, date_trunc('week', day) AS week, {NPS_PARTS}
        FROM read_parquet('{path}')
        WHERE metric = 'nps' AND day >= DATE '{year[0]}' AND day < DATE '{year[1]}'
        GROUP BY ALL ORDER BY min(stage_position), week
    """
    by_touchpoint = f"""
        SELECT touchpoint, {NPS_PARTS}
        FROM read_parquet('{path}')
        WHERE metric = 'nps' AND tier = 'gold'
          AND day >= DATE '{quarter[0]}' AND day < DATE '{quarter[1]}'
        GROUP BY ALL ORDER BY touchpoint
    """
    return (
        lambda: con.execute(by_week).fetchall(),
        lambda: con.execute(by_touchpoint).fetchall(),
    )


def _nps_totals(table: analytics.MetricTable) -> int:
    return sum(cell.estimate.n for cell in table.cells)


def _save_timings(db: Database, workspace_id: uuid.UUID, saves: int) -> tuple[float, float]:
    """Median seconds of a completing save with rollup upkeep, and with it a no-op."""
    keep = analytics.record_completed
    answers = {"nps": 9, "csat": 4, "ces": 6, "ease": 4, "speed": 3, "value": 5}
    ref = simulation.survey_key("purchase-email")
    data = {
        "survey_key": ref,
        "channel": "email",
        "contact_external_id": "sim-1-0000001",
        "answers": answers,
        "complete": True,
    }
    timings: dict[bool, list[float]] = {True: [], False: []}
    for i in range(2 * saves + 20):
        upkeep = i % 2 == 0
        analytics.record_completed = keep if upkeep else (lambda *args, **kwargs: None)  # type: ignore[assignment]
        item = collection.ResponseIn.model_validate(data | {"id": str(uuid.uuid4())})
        began = time.perf_counter()
        collection.submit_response(db, workspace_id=workspace_id, data=item)
        if i >= 20:  # the first ones warm caches
            timings[upkeep].append(time.perf_counter() - began)
    analytics.record_completed = keep  # type: ignore[assignment]
    return statistics.median(timings[True]), statistics.median(timings[False])


def run(url: URL, responses: int, repeat: int, folder: Path) -> None:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    name = url.get_backend_name()
    space = workspaces.create_workspace(db, slug="bench", name="Bench")
    changes = workspaces.WorkspaceChanges(segments=list(SEGMENTS))
    workspaces.set_contact_limits(db, workspace_id=space.id, limits=changes)
    journey.apply_journey(db, workspace_id=space.id, spec=simulation.benchmark_journey())
    today = db.clock.now().date()
    began = time.perf_counter()
    report = simulation.load_responses(
        db,
        workspace_id=space.id,
        journey_key="bench",
        start=today - dt.timedelta(days=DAYS + 1),
        days=DAYS,
        responses=responses,
        seed=1,
        segments=SEGMENTS,
    )
    load = time.perf_counter() - began
    print(
        f"{name}: loaded {report.responses:,} responses ({report.facts:,} facts, "
        f"{report.segment_rows:,} segment rows) in {load:.0f} s: "
        f"{report.responses / load:,.0f} responses/s"
    )
    parquet = _export_parquet(db, folder)
    year = (today - dt.timedelta(days=365), today)
    quarter = (today - dt.timedelta(days=90), today)
    duck_week, duck_touchpoint = _duckdb_queries(parquet, year, quarter)

    def by_week() -> analytics.MetricTable:
        return analytics.metric_table(
            db, workspace_id=space.id, metric="nps", by="stage", grain="week",
            since=year[0], until=year[1], journey="bench",
        )  # fmt: skip

    def by_touchpoint() -> analytics.MetricTable:
        return analytics.metric_table(
            db, workspace_id=space.id, metric="nps", by="touchpoint", since=quarter[0],
            until=quarter[1], journey="bench", filters={"segment:tier": "gold"},
        )  # fmt: skip

    print(f"  {'query':<44} {'p50 ms':>8} {'p99 ms':>8} {'DuckDB p50':>11} {'x faster':>9}")
    for label, ours, theirs in (
        ("NPS by stage x ISO week, last year", by_week, duck_week),
        ("NPS by touchpoint, last 90 days, tier=gold", by_touchpoint, duck_touchpoint),
    ):
        mine, table = _timed(ours, repeat)
        duck, rows = _timed(theirs, max(5, repeat // 5))
        same = _nps_totals(table) == sum(r[-1] + r[-2] + r[-3] for r in rows)
        p50, p99 = _percentiles(mine)
        d50, _ = _percentiles(duck)
        print(
            f"  {label:<44} {p50:>8.1f} {p99:>8.1f} {d50:>9.1f} ms {d50 / p50:>8.1f}x"
            + ("" if same else "  (answers differ!)")
        )
    change_seconds, passed = _timed(
        lambda: analytics.detect_metric_changes(db, workspace_id=space.id), 3
    )
    print(
        f"  change-detection pass: {passed.series} series, {passed.changes} changes, "
        f"median {statistics.median(change_seconds):.2f} s (best {min(change_seconds):.2f} s)"
    )
    with_upkeep, without = _save_timings(db, space.id, saves=300)
    print(
        f"  response save (6 scores, 3 segments): {1000 * with_upkeep:.2f} ms with rollup "
        f"upkeep, {1000 * without:.2f} ms without: upkeep "
        f"{(with_upkeep - without) / with_upkeep:.0%} of a save"
    )
    engine.dispose()
    parquet.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    given = parser.parse_args()
    versions = [f"DuckDB {duckdb.__version__}"]
    if given.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            folder.chmod(0o700)
            url = make_url(f"sqlite:///{folder / 'bench.db'}")
            versions.append(backend_version(url))
            run(url, given.responses, given.repeat, folder)
    if given.backend in ("postgres", "both"):
        with tempfile.TemporaryDirectory() as name, postgres_database(given.postgres_url) as url:
            versions.append(backend_version(url))
            run(url, given.responses, given.repeat, Path(name))
    print(machine_line(versions))


if __name__ == "__main__":
    main()
