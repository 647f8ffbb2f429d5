"""The dashboard under load: the overview, the map and their live fragments beside /healthz.

Issue 13's benchmark. The bulk loader (``simulation.load_responses``, the path of
``journeyscope simulate --bulk``) fills a workspace on the benchmark journey (6 stages x 5
touchpoints over 5 channels, contacts with 10 segment values) with ``--responses``
completed responses over two years, ending yesterday. An owner signs in through the real
form. Then, against a uvicorn server process on loopback (the app as ``journeyscope
serve`` runs it), ``--clients`` threads each request every path in turn, shuffled, for
``--rounds`` rounds; every request's time is taken from sending it to the last byte of its
answer, so all paths share the same load and ``/healthz`` shows the floor of that load.

Paths: ``/healthz``; ``/app/overview``; each live part of it (``/app/overview/live/<part>``
with ``seen`` = its current digest: the 204 an open page gets while nothing changed,
answered from what the process knows while the rollups count no new answer, rendered at
least every 30 s); the same with a ``seen`` of an older page (``changed``: computed and
rendered every time, answered 200, the cost of a poll after a new response);
``/app/journeys/bench/map`` (the default period) and its live part (``/live``, both
ways). Printed: p50 and p99 per path and each p50 as a multiple of /healthz's.

Targets (issue 13): the full map p50 <= 150 ms at 10M responses; every htmx fragment p50
<= 50 ms.

Run:  .venv/bin/python bench/dashboard.py [--responses 1000000] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _harness import (
    DEFAULT_POSTGRES,
    api_server,
    backend_version,
    machine_line,
    postgres_database,
)
from sqlalchemy import URL, make_url

from journeyscope import journey, simulation, workspaces
from journeyscope.store import Database, make_engine, upgrade

SEGMENTS = {
    "tier": ("gold", "silver", "bronze"),
    "region": ("north", "south", "east", "west"),
    "plan": ("pro", "team", "free"),
}
DAYS = 730
EMAIL = "owner@bench.example"
PASSWORD = "bench only, not a secret"
POLL = re.compile(r'<div id="live-([a-z]+)" class="live" data-live="[a-z]+" hx-get="([^"]+)"')
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def fill(url: URL, responses: int) -> None:
    """A workspace with ``responses`` bulk-loaded responses and an owner who may sign in."""
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    space = workspaces.create_workspace(db, slug="bench", name="Bench")
    changes = workspaces.WorkspaceChanges(segments=list(SEGMENTS))
    workspaces.set_contact_limits(db, workspace_id=space.id, limits=changes)
    journey.apply_journey(db, workspace_id=space.id, spec=simulation.benchmark_journey())
    workspaces.add_user(
        db, workspace_id=space.id, email=EMAIL, role=workspaces.Role.OWNER, password=PASSWORD
    )
    today = db.clock.now().date()
    began = time.perf_counter()
    report = simulation.load_responses(
        db, workspace_id=space.id, journey_key="bench",
        start=today - dt.timedelta(days=DAYS + 1), days=DAYS,
        responses=responses, seed=1, segments=SEGMENTS,
    )  # fmt: skip
    load = time.perf_counter() - began
    print(
        f"{url.get_backend_name()}: loaded {report.responses:,} responses "
        f"({report.facts:,} facts) in {load:.0f} s"
    )
    engine.dispose()


def signed_in(base_url: str) -> httpx.Client:
    """A client with the owner's session cookie."""
    client = httpx.Client(base_url=base_url, timeout=120)
    form = client.get("/login")
    token = CSRF.search(form.text)
    assert token, form.text
    answer = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "_csrf": token[1]})
    assert answer.status_code in (200, 303), answer.text
    assert client.get("/app/overview").status_code == 200
    return client


def paths(client: httpx.Client) -> dict[str, str]:
    """Every measured path, named; the fragments with their current ``seen``."""
    found = {"/healthz": "/healthz", "overview": "/app/overview", "map": "/app/journeys/bench/map"}
    for page in ("/app/overview", "/app/journeys/bench/map"):
        for part, url in POLL.findall(client.get(page).text):
            found[f"fragment {part}"] = url.replace("&amp;", "&")
    for name, url in list(found.items()):
        if name.startswith("fragment"):  # a page showing something older: rendered, 200
            found[f"{name} changed"] = re.sub(r"seen=[0-9a-f]+", "seen=stale", url)
    for name, url in found.items():
        expected = 204 if name.startswith("fragment") and "changed" not in name else 200
        status = client.get(url, headers={"HX-Request": "true"}).status_code
        assert status == expected, (name, status)
    return found


def load(base_url: str, cookies: httpx.Cookies, named: dict[str, str], clients: int, rounds: int):
    """Each of ``clients`` threads requests every path ``rounds`` times, shuffled."""
    times: dict[str, list[float]] = {name: [] for name in named}
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=120) as client:
            for _ in range(rounds):
                order = list(named.items())
                rng.shuffle(order)
                for name, url in order:
                    began = time.perf_counter()
                    answer = client.get(url, headers={"HX-Request": "true"})
                    spent = time.perf_counter() - began
                    assert answer.status_code in (200, 204), (name, answer.status_code)
                    with lock:
                        times[name].append(spent)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def report(name: str, times: dict[str, list[float]]) -> None:
    floor = statistics.median(times["/healthz"])
    print(f"{name}: path, p50 ms, p99 ms, p50 / healthz p50 (n requests)")
    for path, seconds in times.items():
        ordered = sorted(seconds)
        p50 = statistics.median(ordered)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        print(
            f"  {path:<24} {1000 * p50:8.1f} {1000 * p99:8.1f} {p50 / floor:8.1f}x"
            f"  ({len(ordered)})"
        )


def run(url: URL, args: argparse.Namespace, folder: Path) -> None:
    fill(url, args.responses)
    with api_server(url, folder) as base_url:
        client = signed_in(base_url)
        named = paths(client)
        for page in ("/app/overview", "/app/journeys/bench/map"):  # warm caches and plans
            client.get(page)
        times = load(base_url, client.cookies, named, args.clients, args.rounds)
        report(url.get_backend_name(), times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients (the load)")
    parser.add_argument("--rounds", type=int, default=30, help="requests per path per client")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL")
    args = parser.parse_args()
    versions: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.backend in ("sqlite", "both"):
            url = make_url(f"sqlite:///{folder / 'dashboard.db'}")
            run(url, args, folder)
            versions.append(backend_version(url))
        if args.backend in ("postgres", "both"):
            with postgres_database(args.postgres) as url:
                run(url, args, folder)
                versions.append(backend_version(url))
    print(f"{args.clients} clients x {args.rounds} rounds per path, {args.responses:,} responses")
    print(machine_line(versions))


if __name__ == "__main__":
    main()
