"""What keeps pytest-xdist workers apart: each has its own ports, Redis database and names.

``PYTEST_XDIST_WORKER`` is ``gw0``, ``gw1``...; without xdist the run counts as worker 0. Temp
folders are already per worker (``tmp_path``); PostgreSQL databases carry :func:`worker_tag`.
"""

from __future__ import annotations

import itertools
import os
import socket

PORT_BASE = 20_000
PORTS_PER_WORKER = 400
REDIS_DATABASES = 16  # Redis's default; database 0 is left to whoever else uses the server


def worker_number(env: dict[str, str] | None = None) -> int:
    """This xdist worker's number (0 without xdist)."""
    name = (os.environ if env is None else env).get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


def worker_tag() -> str:
    """A short name for this worker, for databases and queues (``gw0``...)."""
    return f"gw{worker_number()}"


def port_block(worker: int) -> range:
    """The ports only ``worker`` hands out (20000-20399 for gw0, 20400-20799 for gw1...)."""
    start = PORT_BASE + (worker % 100) * PORTS_PER_WORKER
    return range(start, start + PORTS_PER_WORKER)


_next_port = itertools.cycle(port_block(worker_number()))


def free_port() -> int:
    """A TCP port on 127.0.0.1 from this worker's block that nothing listens on now.

    Another worker never picks it (blocks do not overlap), so a server started on it next
    cannot collide with a sibling's; another program's port is skipped by trying to bind.
    """
    for _ in range(PORTS_PER_WORKER):
        port = next(_next_port)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {port_block(worker_number())}")


def redis_database(worker: int | None = None) -> int:
    """This worker's Redis database: 1 for gw0, 2 for gw1... (15 workers before sharing)."""
    number = worker_number() if worker is None else worker
    return 1 + number % (REDIS_DATABASES - 1)


def with_redis_database(url: str) -> str:
    """``url`` (``redis://host:port[/db]``) pointed at this worker's database."""
    base = url.rstrip("/")
    if base.rsplit("/", 1)[-1].isdigit() and base.count("/") > 2:
        base = base.rsplit("/", 1)[0]
    return f"{base}/{redis_database()}"
