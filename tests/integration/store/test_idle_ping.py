"""A pooled PostgreSQL connection that sat unused is checked before use; one in use is not.

The server kills the pooled connections (``pg_terminate_backend``, what a restart does to
them) while they sit unused in the pool.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from journeyscope.store import is_unavailable, make_engine

pytestmark = pytest.mark.postgres


def _kill(engine: Engine, pid: int) -> bool:
    """Terminate the server process behind one connection, as a restart would; waits for it."""
    with engine.connect() as admin:
        return bool(
            admin.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()
        )


@pytest.fixture
def postgres_engine(engine: Engine, backend: str) -> Engine:
    if backend != "postgres":
        pytest.skip("SQLite has no server to lose")
    return engine


@pytest.fixture
def pooled(postgres_engine: Engine, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine pinging after ``request.param`` s unused, its one pooled connection killed."""
    pooled = make_engine(postgres_engine.url, idle_ping_after_s=request.param)
    with pooled.connect() as connection:  # opened, then back in the pool, unused
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
    assert _kill(postgres_engine, pid)
    yield pooled
    pooled.dispose()


def _select_one(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT 1")).scalar_one())


@pytest.mark.parametrize("pooled", [0.0], indirect=True)
def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(
    pooled: Engine,
) -> None:
    assert _select_one(pooled) == 1


@pytest.mark.parametrize("pooled", [3600.0], indirect=True)
def test_a_connection_in_steady_use_is_not_pinged_so_its_loss_fails_one_use_as_unavailable(
    pooled: Engine,
) -> None:
    with pytest.raises(DBAPIError) as lost:
        _select_one(pooled)
    assert is_unavailable(lost.value)  # the API answers 503 not-ready
    assert _select_one(pooled) == 1  # the pool was replaced: the next use works
