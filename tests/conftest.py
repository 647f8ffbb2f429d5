"""Fixtures: settings → engine[sqlite, postgres] → db (emptied after each test) → app → client.

The ``db`` carries the ``clock`` fixture (the system clock; orchestration tests override it
with a FixedClock), and ``--at-date=YYYY-MM-DD`` (see ``time_travel.py``) moves the system
clock of the whole run, subprocesses included.

PostgreSQL is a real server on 127.0.0.1 (``JOURNEYSCOPE_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``); each test session works in a throwaway
database it creates and drops. Without a server the postgres tests are skipped with a loud
reason, except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from factories import Tenant, make_tenant
from journeyscope.clock import SYSTEM_CLOCK, Clock
from journeyscope.settings import Settings
from journeyscope.store import Database, make_engine, upgrade
from journeyscope.store.tables import Base
from journeyscope.web.app import create_app
from parallel import worker_tag

pytest_plugins = ["time_travel"]  # --at-date

POSTGRES_ADMIN_URL = os.environ.get(
    "JOURNEYSCOPE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_SKIPPED_POSTGRES: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly, at the end, that a whole backend was not tested."""
    if _SKIPPED_POSTGRES:
        terminalreporter.section("POSTGRESQL NOT TESTED", sep="!", red=True, bold=True)
        terminalreporter.line(_SKIPPED_POSTGRES[0], red=True)


def _admin_url() -> URL:
    return make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg")


def _postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL tests need a server at {POSTGRES_ADMIN_URL}: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI requires PostgreSQL; .ci/run starts it)", pytrace=False)
    _SKIPPED_POSTGRES.append(message)
    pytest.skip("SKIPPING POSTGRES: " + message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[URL]:
    """A throwaway database on the real server, dropped at the end of the session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _postgres_unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    admin = make_engine(_admin_url())
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means: no usable server
        admin.dispose()
        _postgres_unavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    name = f"journeyscope_test_{worker_tag()}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _admin_url().set(database=name)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_url(backend: str, request: pytest.FixtureRequest, folder: Path) -> URL:
    """The URL of a fresh, empty database of ``backend``."""
    if backend == "sqlite":
        return URL.create("sqlite", database=str(folder / f"test-{uuid.uuid4().hex[:8]}.db"))
    server: URL = request.getfixturevalue("postgres_server")
    return server


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on; shows as [sqlite] / [postgres] in test ids."""
    return str(request.param)


@pytest.fixture(scope="session")
def engine(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database of each backend, shared by the session."""
    url = database_url(backend, request, tmp_path_factory.mktemp("db"))
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _empty_all_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    """Hash passwords with argon2id at its cheapest (thousands of sign-ins stay fast).

    Production keeps RFC 9106's parameters (``workspaces.passwords``); a hash names its own
    parameters, so everything else about checking passwords is the same.
    """
    from journeyscope.workspaces.passwords import use_parameters

    use_parameters(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def clock() -> Clock:
    """The time the test's database (and so its app) reads: the system clock.

    ``--at-date`` moves the system clock for the whole run. Tests that move time themselves
    override this fixture with a :class:`~journeyscope.clock.FixedClock`.
    """
    return SYSTEM_CLOCK


@pytest.fixture
def db(engine: Engine, clock: Clock) -> Iterator[Database]:
    """The database on the test's clock, emptied after the test (services commit, so rollback
    cannot undo)."""
    yield Database(engine, clock=clock)
    _empty_all_tables(engine)


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    """Settings pointing at the test database and a temporary data directory."""
    return Settings(
        data_dir=tmp_path / "data",
        database={"url": db.engine.url.render_as_string(hide_password=False)},
        security={"secret_key": "test-secret-key"},
    )


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    """An HTTP client on the app, talking to the test database."""
    with TestClient(create_app(settings, db=db)) as test_client:
        yield test_client


@pytest.fixture
def tenant(db: Database) -> Tenant:
    """One workspace with an API key."""
    return make_tenant(db, "acme")


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI (which reads the environment) at the test database."""
    monkeypatch.setenv(
        "JOURNEYSCOPE_DATABASE_URL", settings.sqlalchemy_url().render_as_string(hide_password=False)
    )
    monkeypatch.setenv("JOURNEYSCOPE_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("JOURNEYSCOPE_WORKSPACE", raising=False)
    return settings


@pytest.fixture
def api_schema(client: TestClient):  # type: ignore[no-untyped-def]
    """Our OpenAPI schema, loaded from the app itself, for schemathesis."""
    import schemathesis

    return schemathesis.openapi.from_asgi("/v1/openapi.json", client.app)
