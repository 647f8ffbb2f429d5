"""Survey responses: API submissions vs the raw insert ceiling, hosted page latency, widget size.

Machines are shared and noisy, so each figure comes with a reference measured in the same run:

- **Submissions.** Completed responses (NPS + CSAT + open text, so one response row and two
  metric facts each) sent one per request to ``POST /v1/responses`` over one keep-alive
  connection, against the raw driver writing the very same rows with one transaction per
  response — what the API does, minus HTTP, validation and the ORM.
- **Hosted page.** ``GET /s/{public_id}`` under ``wrk`` (16 connections, 2 threads) on
  loopback, against ``GET /healthz`` under the same load: p50 and p99 latency.
- **Widget.** The gzipped size of the widget script as served, against the 10 KB budget.

Run:  .venv/bin/python bench/responses.py [--responses 1000] [--rounds 3]
                                          [--backend sqlite|postgres|both] [--seconds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
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
    raw_target,
)
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from journeyscope.collection.repo import sqlite_time
from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.store import Database, make_engine, new_id, tables, upgrade
from journeyscope.store.engine import apply_sqlite_pragmas
from journeyscope.surveys import SurveyCreate, create_survey, get_survey, publish_survey
from journeyscope.workspaces import create_workspace, issue_key

WIDGET_DIR = Path(__file__).parents[1] / "src/journeyscope/web/static/widget"
WIDGET_BUDGET = 10 * 1024
WARMUP = 50
API = "API POST /v1/responses"
RESPONSE_COLUMNS = tuple(c.name for c in tables.Response.__table__.columns)
FACT_COLUMNS = tuple(c.name for c in tables.MetricFact.__table__.columns)
JOURNEY = {
    "key": "web",
    "name": "Website",
    "stages": [
        {
            "key": "support",
            "name": "Support",
            "touchpoints": [{"key": "help", "name": "Help center", "channel": "website"}],
        }
    ],
}
SURVEY = {
    "title": "How did we do?",
    "pages": [
        {
            "id": "main",
            "questions": [
                {"id": "nps", "type": "nps", "text": "Recommend us?", "required": True},
                {"id": "csat", "type": "csat", "text": "Satisfied?", "required": True},
                {"id": "why", "type": "open_text", "text": "Why?"},
            ],
        }
    ],
}


@dataclass(frozen=True)
class Setup:
    """What the run writes to: the workspace, its key and the published survey."""

    workspace_id: uuid.UUID
    token: str
    survey_id: uuid.UUID
    version_id: uuid.UUID
    touchpoint_id: uuid.UUID
    public_id: str


def answers(i: int) -> dict[str, Any]:
    """Varied but repeatable answers."""
    return {"nps": i % 11, "csat": 1 + i % 5, "why": f"Answer number {i}: quick and friendly."}


def prepare(engine: Engine) -> Setup:
    """Migrate, then create a workspace, a key, a journey and a published survey."""
    upgrade(engine)
    db = Database(engine)
    space = create_workspace(db, slug="bench")
    token = issue_key(db, workspace_id=space.id, name="bench").token
    apply_journey(db, workspace_id=space.id, spec=JourneySpec.model_validate(JOURNEY))
    create = {
        "key": "visit",
        "name": "Visit",
        "definition": SURVEY,
        "touchpoint": {"journey_key": "web", "touchpoint_key": "help"},
    }
    create_survey(db, workspace_id=space.id, data=SurveyCreate.model_validate(create))
    publish_survey(db, workspace_id=space.id, key="visit")
    survey = get_survey(db, workspace_id=space.id, key="visit")
    with engine.connect() as connection:
        version_id = connection.execute(
            text("SELECT id FROM survey_version WHERE survey_id = :s"),
            {"s": survey.id.hex if engine.dialect.name == "sqlite" else survey.id},
        ).scalar_one()
        touchpoint_id = connection.execute(text("SELECT id FROM touchpoint")).scalar_one()
    return Setup(
        workspace_id=space.id,
        token=token,
        survey_id=survey.id,
        version_id=uuid.UUID(str(version_id)),
        touchpoint_id=uuid.UUID(str(touchpoint_id)),
        public_id=survey.public_id,
    )


def empty_responses(engine: Engine) -> None:
    """Start each path from empty response tables."""
    with engine.begin() as connection:
        for table in ("metric_fact", "response"):
            connection.execute(text(f"DELETE FROM {table}"))


# --- the API path -------------------------------------------------------------------------


def bodies(count: int, start: int) -> list[bytes]:
    """Request bodies for ``count`` completed responses, encoded before timing."""
    return [
        json.dumps(
            {
                "id": str(uuid.uuid4()),
                "survey_key": "visit",
                "answers": answers(start + i),
                "complete": True,
                "channel": "website",
                "device_class": "desktop",
            }
        ).encode()
        for i in range(count)
    ]


def post_all(client: httpx.Client, encoded: Sequence[bytes]) -> float:
    """Send each response in turn; seconds taken. Every answer must be 201 Created."""
    begin = time.perf_counter()
    for body in encoded:
        response = client.post("/v1/responses", content=body)
        if response.status_code != 201:
            raise RuntimeError(f"unexpected {response.status_code}: {response.text[:300]}")
    return time.perf_counter() - begin


# --- the raw ceiling ----------------------------------------------------------------------


def raw_rows(setup: Setup, count: int, *, sqlite: bool) -> list[tuple[tuple[Any, ...], list]]:
    """The rows the API writes for ``count`` responses, built before timing."""
    now = dt.datetime.now(dt.UTC)

    def value(v: Any) -> Any:
        if not sqlite:
            return v
        if isinstance(v, uuid.UUID):
            return v.hex
        if isinstance(v, dt.datetime):
            return sqlite_time(v)
        if isinstance(v, dt.date):
            return v.isoformat()
        return v

    out = []
    for i in range(count):
        given = answers(i)
        response_id = new_id()
        response = {
            "id": response_id,
            "workspace_id": setup.workspace_id,
            "client_id": uuid.uuid4(),
            "survey_id": setup.survey_id,
            "survey_version_id": setup.version_id,
            "contact_id": None,
            "touchpoint_id": setup.touchpoint_id,
            "channel": "website",
            "locale": None,
            "device_class": "desktop",
            "page_url": None,
            "app_screen": None,
            "app_version": None,
            "answers": json.dumps(given),
            "is_complete": True,
            "started_at": now,
            "updated_at": now,
            "completed_at": now,
        }
        facts = []
        for question, metric, low, high in (("nps", "nps", 0, 10), ("csat", "csat", 1, 5)):
            fact = {
                "id": new_id(),
                "workspace_id": setup.workspace_id,
                "response_id": response_id,
                "survey_id": setup.survey_id,
                "question_id": question,
                "metric": metric,
                "value": float(given[question]),
                "scale_min": low,
                "scale_max": high,
                "touchpoint_id": setup.touchpoint_id,
                "channel": "website",
                "day": now.date(),
            }
            facts.append(tuple(value(fact[c]) for c in FACT_COLUMNS))
        out.append((tuple(value(response[c]) for c in RESPONSE_COLUMNS), facts))
    return out


def _sql(table: str, columns: Sequence[str], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def raw_sqlite(path: str, rows: list[tuple[tuple[Any, ...], list]]) -> float:
    """sqlite3, the app's pragmas, one transaction per response (response + its facts)."""
    connection = sqlite3.connect(path)
    apply_sqlite_pragmas(connection, None)
    response_sql = _sql("response", RESPONSE_COLUMNS, "?")
    fact_sql = _sql("metric_fact", FACT_COLUMNS, "?")
    try:
        begin = time.perf_counter()
        for response, facts in rows:
            connection.execute(response_sql, response)
            connection.executemany(fact_sql, facts)
            connection.commit()
        return time.perf_counter() - begin
    finally:
        connection.close()


def raw_postgres(conninfo: str, rows: list[tuple[tuple[Any, ...], list]]) -> float:
    """psycopg 3, one transaction per response (response + its facts)."""
    response_sql = _sql("response", RESPONSE_COLUMNS, "%s")
    fact_sql = _sql("metric_fact", FACT_COLUMNS, "%s")
    with psycopg.connect(conninfo) as connection:
        begin = time.perf_counter()
        for response, facts in rows:
            with connection.cursor() as cursor:
                cursor.execute(response_sql, response)
                cursor.executemany(fact_sql, facts)
            connection.commit()
        return time.perf_counter() - begin


RAW: dict[str, tuple[str, Callable[[str, list], float]]] = {
    "sqlite": ("raw sqlite3, txn per response", raw_sqlite),
    "postgres": ("raw psycopg, txn per response", raw_postgres),
}


# --- hosted page latency under wrk --------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    """wrk's view of one URL under load."""

    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(base_url: str, path: str, seconds: int) -> Latency:
    """Run ``wrk --latency`` against one URL and read its percentiles."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", base_url + path]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Latency(
        path, rate, _ms(percentile["50"]), _ms(percentile["99"]), int(bad.group(1)) if bad else 0
    )


# --- one backend --------------------------------------------------------------------------


def run_backend(
    backend: str, url: URL, folder: Path, args: argparse.Namespace
) -> tuple[list[Measure], list[Latency]]:
    """Rounds of API and raw submissions, then page latency, on one backend."""
    engine = make_engine(url)
    measures: list[Measure] = []
    latencies: list[Latency] = []
    try:
        setup = prepare(engine)
        headers = {"Authorization": f"Bearer {setup.token}", "Content-Type": "application/json"}
        with api_server(url, folder, limits={"public_rate_limit": "1000000/minute"}) as base_url:
            with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
                for r in range(args.rounds):
                    empty_responses(engine)
                    post_all(client, bodies(WARMUP, 0))
                    seconds = post_all(client, bodies(args.responses, WARMUP))
                    measures.append(Measure(backend, API, r, args.responses, seconds))
                    empty_responses(engine)
                    name, raw = RAW[backend]
                    rows = raw_rows(setup, args.responses, sqlite=backend == "sqlite")
                    measures.append(
                        Measure(backend, name, r, args.responses, raw(raw_target(url), rows))
                    )
            if shutil.which("wrk") and args.seconds:
                for path in ("/healthz", f"/s/{setup.public_id}"):
                    latencies.append(wrk(base_url, path, args.seconds))
        return measures, latencies
    finally:
        engine.dispose()


# --- report -------------------------------------------------------------------------------


def print_latency(backend: str, latencies: Sequence[Latency], seconds: int) -> None:
    """p50/p99 of the hosted page and of /healthz under the same wrk load."""
    if not latencies:
        print(f"{backend}: hosted page latency skipped (install wrk: apt-get install wrk)")
        return
    print(f"{backend}: wrk -t2 -c16 -d{seconds}s on loopback")
    for item in latencies:
        print(
            f"  GET {item.path:<28} {item.requests_per_second:>8,.0f} req/s  "
            f"p50 {item.p50_ms:>7.2f} ms  p99 {item.p99_ms:>7.2f} ms  non-2xx {item.non_2xx}"
        )
    health, page = latencies
    print(f"  hosted page p50 = {page.p50_ms / health.p50_ms:.1f}x /healthz p50")


def print_widget() -> None:
    """The widget's size as served, raw and gzipped (level 9), against the budget."""
    scripts = sorted(WIDGET_DIR.glob("*.js"))
    if not scripts:
        print(f"widget: no script in {WIDGET_DIR}")
    for script in scripts:
        raw = script.read_bytes()
        packed = len(gzip.compress(raw, compresslevel=9))
        verdict = "within" if packed <= WIDGET_BUDGET else "OVER"
        print(
            f"widget {script.name}: {len(raw):,} bytes, {packed:,} bytes gzipped "
            f"({packed / WIDGET_BUDGET:.0%} of the 10 KB budget; {verdict})"
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; bounds keep a run short and finite."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--responses", type=int, default=1000, help="timed responses per path")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every path")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL (0: skip)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="server admin URL")
    args = parser.parse_args(argv)
    if not 10 <= args.responses <= 20_000:
        parser.error("--responses must be between 10 and 20000")
    if not 1 <= args.rounds <= 10 or not 0 <= args.seconds <= 60:
        parser.error("--rounds must be 1-10 and --seconds 0-60")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen backends, then print the machine and every figure."""
    args = parse_args(argv)
    measures: list[Measure] = []
    latencies: dict[str, list[Latency]] = {}
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix="journeyscope-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            url = URL.create("sqlite", database=str(Path(tmp) / "bench.db"))
            found, latencies["sqlite"] = run_backend("sqlite", url, Path(tmp), args)
            measures += found
            versions.append(backend_version(url))
        if args.backend in ("postgres", "both"):
            with postgres_database(args.postgres_url) as url:
                found, latencies["postgres"] = run_backend("postgres", url, Path(tmp), args)
                measures += found
                versions.append(backend_version(url))
    print(
        f"Responses: {args.rounds} rounds x {args.responses:,} completed responses "
        f"(1 response row + 2 metric facts each), one per request, warm-up {WARMUP}"
    )
    print(machine_line(versions))
    print_table(measures, "responses")
    for backend, found_latencies in latencies.items():
        print_latency(backend, found_latencies, args.seconds)
    print_widget()


if __name__ == "__main__":
    main()
