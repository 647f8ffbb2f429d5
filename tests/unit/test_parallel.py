"""Workers of a parallel run get ports, Redis databases and names of their own."""

from __future__ import annotations

import parallel


def test_workers_are_numbered_from_the_xdist_variable() -> None:
    assert parallel.worker_number({}) == 0
    assert parallel.worker_number({"PYTEST_XDIST_WORKER": "gw7"}) == 7


def test_port_blocks_of_different_workers_do_not_overlap() -> None:
    blocks = [set(parallel.port_block(n)) for n in range(16)]
    assert all(a.isdisjoint(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
    assert max(parallel.port_block(15)) < 32_768  # below Linux's ephemeral range


def test_a_free_port_comes_from_this_workers_block() -> None:
    port = parallel.free_port()
    assert port in parallel.port_block(parallel.worker_number())


def test_each_worker_has_its_own_redis_database_never_zero() -> None:
    databases = [parallel.redis_database(n) for n in range(15)]
    assert len(set(databases)) == 15 and 0 not in databases
    here = parallel.redis_database()
    assert (
        parallel.with_redis_database("redis://127.0.0.1:6379/0") == f"redis://127.0.0.1:6379/{here}"
    )
    assert (
        parallel.with_redis_database("redis://127.0.0.1:6379") == f"redis://127.0.0.1:6379/{here}"
    )
