"""Single requests against a real ``journeyscope serve``, each next to ``/healthz`` in the same run.

Machines are shared and noisy, so every figure is a ratio to ``GET /healthz`` (the cheapest
route of the same server: no database, no auth) measured in the same round, a few seconds
apart. Targets (issue 11): an authenticated GET at >= 50% of ``/healthz``'s rate, a single
event >= 35%, a response save >= 30%, the hosted page's p50 <= 3x and p99 <= 5x
``/healthz``'s, and no p99 over 100 ms, all at 8 connections.

Run:  .venv/bin/python bench/requests.py [--seconds 5] [--rounds 3]
                                         [--backend sqlite|postgres|both]

The server is the real console script (``journeyscope serve --port N``, default settings:
INFO logging with uvicorn's access log, the in-process worker) in its own process, on a free
loopback port, with its data folder in a temporary directory; PostgreSQL runs use a throwaway
database on --postgres-url (skipped with a message when the server cannot be reached). The
load comes from ``wrk`` (C, ``apt-get install wrk``) in another process, 2 threads and 8
keep-alive connections; POST bodies are made per request by small Lua scripts (a fresh
idempotency key or response id each time). Besides wrk's req/s and latency percentiles, the
server's CPU time per request is read from ``/proc`` (less sensitive to other processes than
wall-clock rates) and wrk's own CPU share shows whether the client could be the bottleneck.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from _harness import DEFAULT_POSTGRES, backend_version, free_port, machine_line, postgres_database
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.store import Database, make_engine, upgrade
from journeyscope.surveys import SurveyCreate, create_survey, get_survey, publish_survey
from journeyscope.workspaces import create_workspace, issue_key

CONNECTIONS = 8
THREADS = 2
HEALTH = "GET /healthz"
TARGETS_RATE = {
    "GET /v1/journeys (auth)": 0.50,
    "POST /v1/events (single)": 0.35,
    "POST /v1/responses": 0.30,
}
HOSTED = "GET /s/{public_id} (hosted page)"
BAD_KEY = "GET /v1/journeys (bad key, real prefix)"
P99_CEILING_MS = 100.0
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

# wrk runs one Lua state per thread; ``setup`` numbers the threads so keys never collide.
LUA_COMMON = """
counter = 0
thread_id = 0
threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
"""
LUA_EVENTS = """
function request()
  counter = counter + 1
  local body = string.format(
    '{"type":"sale.completed","contact_external_id":"C-%%04d",' ..
    '"properties":{"order_id":"A-%%d","amount":59.9,"store":"paris-12"},' ..
    '"idempotency_key":"%(run)s-%%d-%%d"}',
    counter %% 500, counter, thread_id, counter)
  return wrk.format(nil, "/v1/events", nil, body)
end
"""
LUA_RESPONSES = """
function request()
  counter = counter + 1
  local id = string.format("%(run)s-%%04x-4000-8000-%%012x", thread_id, counter)
  local body = string.format(
    '{"id":"%%s","survey_key":"visit","answers":{"nps":%%d,"csat":%%d,' ..
    '"why":"Answer number %%d: quick and friendly."},"complete":true,' ..
    '"channel":"website","device_class":"desktop"}',
    id, counter %% 11, 1 + counter %% 5, counter)
  return wrk.format(nil, "/v1/responses", nil, body)
end
"""


@dataclass(frozen=True)
class Setup:
    """What the load hits: the key, a key with the real prefix but a wrong secret, the link."""

    token: str
    bad_token: str
    public_id: str


@dataclass(frozen=True)
class Target:
    """One row of the table: what wrk sends, and the status every answer must have."""

    name: str
    path: str
    status: int
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    """wrk's view of one target in one round, plus the CPU both sides spent."""

    backend: str
    name: str
    round: int
    rate: float
    p50_ms: float
    p99_ms: float
    bad_answers: int
    server_cpu_ms: float
    client_cpu_share: float


# --- setting up ---------------------------------------------------------------------------


def seed(engine: Engine) -> Setup:
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
    head, _, secret = token.rpartition("_")
    bad = head + "_" + ("A" if secret[0] != "A" else "B") + secret[1:]
    return Setup(token=token, bad_token=bad, public_id=survey.public_id)


def console_script() -> list[str]:
    """The installed ``journeyscope`` command next to this interpreter (else ``-m``)."""
    script = Path(sys.executable).parent / "journeyscope"
    return [str(script)] if script.exists() else [sys.executable, "-m", "journeyscope"]


@contextmanager
def serve(url: URL, folder: Path) -> Iterator[tuple[str, int]]:
    """``journeyscope serve`` on a free port; yields its base URL and process id."""
    port = free_port()
    env = {
        **os.environ,
        "JOURNEYSCOPE_DATA_DIR": str(folder),
        "JOURNEYSCOPE_DATABASE_URL": url.render_as_string(hide_password=False),
    }
    log = (folder / f"serve-{port}.log").open("wb")
    command = [*console_script(), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process)
        yield base_url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll ``/healthz`` for up to 60 s; fail at once if the server exited."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"journeyscope serve exited with code {process.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("journeyscope serve did not answer /healthz within 60 s")


def targets(setup: Setup, scripts: Path) -> list[Target]:
    """The six rows, with the Lua scripts for the POSTs written into ``scripts``."""
    run = uuid.uuid4().hex[:8]
    values = {"token": setup.token, "run": run}
    (scripts / "events.lua").write_text((LUA_COMMON + LUA_EVENTS) % values)
    (scripts / "responses.lua").write_text((LUA_COMMON + LUA_RESPONSES) % values)
    auth = ("-H", f"Authorization: Bearer {setup.token}")
    return [
        Target(HEALTH, "/healthz", 200),
        Target("GET /v1/journeys (auth)", "/v1/journeys", 200, auth),
        Target("POST /v1/events (single)", "/v1/events", 201, ("-s", str(scripts / "events.lua"))),
        Target("POST /v1/responses", "/v1/responses", 201, ("-s", str(scripts / "responses.lua"))),
        Target(HOSTED, f"/s/{setup.public_id}", 200),
        Target(BAD_KEY, "/v1/journeys", 401, ("-H", f"Authorization: Bearer {setup.bad_token}")),
    ]


# --- measuring ----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def check_status(base_url: str, target: Target) -> None:
    """One request first: the answer must have the expected status (else the run is wrong)."""
    if target.args[:1] == ("-s",):
        return  # POST bodies come from the Lua script; wrk counts non-2xx below
    headers = dict([target.args[1].split(": ", 1)]) if target.args else {}
    got = httpx.get(base_url + target.path, headers=headers, timeout=30).status_code
    if got != target.status:
        raise RuntimeError(f"{target.name}: expected {target.status}, got {got}")


def wrk(base_url: str, target: Target, seconds: int, server_pid: int) -> tuple[float, ...]:
    """Run wrk once; (req/s, p50 ms, p99 ms, bad answers, server ms/request, client share)."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        *target.args,
        base_url + target.path,
    ]
    server_before = cpu_seconds(server_pid)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - began
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = cpu_seconds(server_pid) - server_before
    client_cpu = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    percentile = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in percentile:
        raise RuntimeError(f"{target.name}: wrk gave no latencies:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad = int(non_2xx.group(1)) if non_2xx else 0
    if target.status >= 400:
        bad = total - bad  # here every answer should be an error
    bad += sum(int(n) for n in errors.groups()) if errors else 0
    return (
        rate,
        _ms(percentile["50"]),
        _ms(percentile["99"]),
        bad,
        1000 * server_cpu / max(total, 1),
        client_cpu / wall,
    )


def run_backend(backend: str, url: URL, folder: Path, args: argparse.Namespace) -> list[Run]:
    """Seed, serve, then ``--rounds`` rounds of every target (``/healthz`` first in each)."""
    engine = make_engine(url)
    try:
        setup = seed(engine)
    finally:
        engine.dispose()
    runs: list[Run] = []
    with serve(url, folder) as (base_url, pid):
        rows = targets(setup, folder)
        for target in rows:
            check_status(base_url, target)
        warm = [t for t in rows if t.name != BAD_KEY]
        for target in warm:  # warm-up: imports, caches, the pools' connections
            wrk(base_url, target, 1, pid)
        for r in range(args.rounds):
            for target in rows:
                found = wrk(base_url, target, args.seconds, pid)
                rate, p50, p99, bad, server_ms, client = found
                runs.append(
                    Run(backend, target.name, r, rate, p50, p99, int(bad), server_ms, client)
                )
    return runs


# --- reporting ----------------------------------------------------------------------------


def per_round(runs: Sequence[Run], name: str, value: str, *, against: str = "rate") -> list[float]:
    """Per round: ``name``'s ``value`` over ``/healthz``'s ``against`` in the same round."""
    found = []
    for r in sorted({x.round for x in runs}):
        health = next(x for x in runs if x.round == r and x.name == HEALTH)
        mine = next(x for x in runs if x.round == r and x.name == name)
        found.append(getattr(mine, value) / getattr(health, against))
    return found


def spread(values: Sequence[float], fmt: str) -> str:
    """``median (min-max)`` with ``fmt`` for each number."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:{fmt}} ({low:{fmt}}-{high:{fmt}})"


def print_backend(backend: str, runs: Sequence[Run]) -> None:
    """The table of one backend: medians with ranges over the rounds.

    "CPU share" is /healthz's server CPU per request over the path's, per round: the rate
    ratio the server would reach if it were never waiting, the figure least moved by other
    processes on a shared machine.
    """
    mine = [r for r in runs if r.backend == backend]
    print(f"\n{backend}: wrk -t{THREADS} -c{CONNECTIONS}, {len({r.round for r in mine})} rounds")
    print(
        f"{'path':<40} {'req/s':>19} {'p50 ms':>7} {'p99 ms':>7} {'vs /healthz':>17} "
        f"{'CPU/req':>8} {'CPU share':>9} {'bad':>4}"
    )
    for name in dict.fromkeys(r.name for r in mine):
        rows = [r for r in mine if r.name == name]
        cpu_share = statistics.median(cpu_ratios(mine, name))
        print(
            f"{name:<40} {spread([r.rate for r in rows], ',.0f'):>19} "
            f"{statistics.median(r.p50_ms for r in rows):>7.1f} "
            f"{statistics.median(r.p99_ms for r in rows):>7.1f} "
            f"{spread(per_round(mine, name, 'rate'), '.0%'):>17} "
            f"{statistics.median(r.server_cpu_ms for r in rows):>5.2f} ms {cpu_share:>9.0%} "
            f"{sum(r.bad_answers for r in rows):>4}"
        )
    client = statistics.median(r.client_cpu_share for r in mine if r.name == HEALTH)
    print(f"client (wrk) CPU during /healthz: {client:.0%} of one core")
    print_verdict(mine)


def cpu_ratios(runs: Sequence[Run], name: str) -> list[float]:
    """Per round: /healthz's server CPU per request over ``name``'s."""
    return [1 / r for r in per_round(runs, name, "server_cpu_ms", against="server_cpu_ms")]


def print_verdict(runs: Sequence[Run]) -> None:
    """Each target against its line: medians over rounds, with the range."""
    for name, line in TARGETS_RATE.items():
        ratios = per_round(runs, name, "rate")
        verdict = "meets" if statistics.median(ratios) >= line else "MISSES"
        print(
            f"  {name}: {spread(ratios, '.0%')} of /healthz req/s; {verdict} >= {line:.0%} "
            f"(CPU share {spread(cpu_ratios(runs, name), '.0%')})"
        )
    p50 = per_round(runs, HOSTED, "p50_ms", against="p50_ms")
    p99 = per_round(runs, HOSTED, "p99_ms", against="p99_ms")
    ok = statistics.median(p50) <= 3 and statistics.median(p99) <= 5
    print(
        f"  hosted page: p50 {spread(p50, '.1f')}x, p99 {spread(p99, '.1f')}x /healthz's; "
        f"{'meets' if ok else 'MISSES'} <= 3x and <= 5x "
        f"(CPU {spread([1 / c for c in cpu_ratios(runs, HOSTED)], '.1f')}x)"
    )
    worst = {
        name: statistics.median(r.p99_ms for r in runs if r.name == name)
        for name in dict.fromkeys(r.name for r in runs)
        if name != BAD_KEY
    }
    over = [f"{n} {v:.0f} ms" for n, v in worst.items() if v > P99_CEILING_MS]
    print(f"  p99 over {P99_CEILING_MS:.0f} ms (medians): {', '.join(over) or 'none'}")


def postgres_reachable(admin_url: str) -> bool:
    """Whether the PostgreSQL server on ``admin_url`` accepts a connection."""
    try:
        with psycopg.connect(admin_url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; bounds keep a run short and finite."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per target")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every target")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="server admin URL")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 10 or not 1 <= args.seconds <= 60:
        parser.error("--rounds must be 1-10 and --seconds 1-60")
    if shutil.which("wrk") is None:
        parser.error("wrk is needed: apt-get install wrk")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen backends, then print the machine and every figure."""
    args = parse_args(argv)
    runs: list[Run] = []
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix="journeyscope-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            folder = Path(tmp) / "sqlite"
            folder.mkdir()
            url = URL.create("sqlite", database=str(folder / "journeyscope.db"))
            runs += run_backend("sqlite", url, folder, args)
            versions.append(backend_version(url))
        if args.backend in ("postgres", "both"):
            if postgres_reachable(args.postgres_url):
                folder = Path(tmp) / "postgres"
                folder.mkdir()
                with postgres_database(args.postgres_url) as url:
                    runs += run_backend("postgres", url, folder, args)
                    versions.append(backend_version(url))
            else:
                print(f"postgres: skipped ({args.postgres_url} does not answer)")
    print(
        f"Single requests: journeyscope serve (default settings), {args.rounds} rounds x "
        f"{args.seconds} s per path, wrk -t{THREADS} -c{CONNECTIONS}, /healthz first each round"
    )
    print(machine_line([*versions, wrk_version()]))
    for backend in dict.fromkeys(r.backend for r in runs):
        print_backend(backend, runs)


def wrk_version() -> str:
    """``wrk 4.x`` as it prints itself."""
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return " ".join((out.stdout or out.stderr).split()[:2])


if __name__ == "__main__":
    main()
