"""Hostile bodies: how long the server takes to refuse them, next to /healthz in the same run.

Each case is sent to the app under uvicorn (SQLite; the cost is in reading and checking the
body, not in the database) a few times; printed: status, answer size and the median time,
also as a multiple of a /healthz request's. Run: ``python bench/hostile_inputs.py``.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx
import httpx
from _harness import api_server, backend_version, machine_line
from sqlalchemy.engine import URL

from journeyscope.store import Database, make_engine, upgrade
from journeyscope.workspaces import create_workspace, issue_key

Send = Callable[[httpx.Client], httpx.Response]


def flood(keys: int) -> bytes:
    """An eligibility body with ``keys`` unknown fields (300,000: about 4 MB)."""
    body: dict[str, Any] = {"visitor": str(uuid.uuid4())}
    body.update({f"k{i}": 1 for i in range(keys)})
    return json.dumps(body).encode()


def docx_bomb(paragraphs: int) -> bytes:
    """A small .docx whose document inflates to ``paragraphs`` paragraphs of XML."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, _, rest = data.decode().partition("<w:body>")
                body = "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>" * paragraphs
                data = f"{head}<w:body>{body}{rest}".encode()
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def cases(token: str) -> dict[str, Send]:
    """What is sent, by name."""
    auth = {"Authorization": f"Bearer {token}"}
    as_json = {"Content-Type": "application/json"}
    eligibility = "/v1/public/workspaces/acme/eligibility"
    big_flood, small_flood = flood(300_000), flood(20_000)
    stages = json.dumps({"key": "j", "name": "J", "stages": [1] * 1_000_000}).encode()
    bomb = docx_bomb(600_000)
    return {
        "GET /healthz": lambda c: c.get("/healthz"),
        "300,000 unknown keys, public (4 MB)": lambda c: c.post(
            eligibility, content=big_flood, headers=as_json
        ),
        "20,000 unknown keys, public (0.2 MB)": lambda c: c.post(
            eligibility, content=small_flood, headers=as_json
        ),
        "1,000,000 stages, API (3 MB)": lambda c: c.post(
            "/v1/journeys", content=stages, headers=auth | as_json
        ),
        f"DOCX bomb ({len(bomb) // 1024} KB -> 20 MB XML)": lambda c: c.post(
            "/v1/interviews?analyze=false",
            headers=auth,
            files={"file": ("bomb.docx", bomb, "application/octet-stream")},
        ),
    }


def measure(client: httpx.Client, send: Send, repeats: int) -> tuple[int, int, float]:
    """Status, answer size in bytes and median seconds over ``repeats`` sends."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        answer = send(client)
        seconds.append(time.perf_counter() - start)
    return answer.status_code, len(answer.content), statistics.median(seconds)


def run(folder: Path, repeats: int) -> tuple[str, list[tuple[str, int, int, float]]]:
    """Every case against a fresh SQLite database."""
    url = URL.create("sqlite", database=str(folder / "bench.db"))
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    space = create_workspace(db, slug="acme")
    token = issue_key(db, workspace_id=space.id, name="bench").token
    engine.dispose()
    rows = []
    with (
        api_server(url, folder, limits={"public_rate_limit": "1000000/minute"}) as base_url,
        httpx.Client(base_url=base_url, timeout=300) as client,
    ):
        for name, send in cases(token).items():
            rows.append((name, *measure(client, send, repeats)))
    return backend_version(url), rows


def main(argv: Sequence[str] | None = None) -> None:
    """Run the cases and print the machine and a line per case."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, choices=range(1, 21))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="journeyscope-bench-") as tmp:
        version, rows = run(Path(tmp), args.repeats)
    print(f"Hostile inputs: median of {args.repeats} sends each, one client, loopback")
    print(machine_line([version]))
    health = rows[0][3]
    print(f"{'case':<40} {'status':>6} {'answer':>10} {'median':>10} {'x /healthz':>11}")
    for name, status, size, seconds in rows:
        print(
            f"{name:<40} {status:>6} {size:>8,} B {seconds * 1000:>7.1f} ms "
            f"{seconds / health:>10.0f}x"
        )


if __name__ == "__main__":
    main()
