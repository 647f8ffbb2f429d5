"""While the database cannot be reached the API answers 503 ``not-ready``, and works again
the moment it is back; database errors that are bugs stay 500s.

The PostgreSQL outage is real: the app talks to the server through a TCP proxy that the test
cuts (listener closed, open connections dropped) and restores.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import URL

from factories import Tenant
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.web.app import create_app
from tcp_proxy import TcpProxy


def _app_client(database_url: str, tmp_path: Path) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / "data",
        database={"url": database_url},
        security={"secret_key": "test-secret-key"},
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _assert_not_ready(answer: object) -> None:
    assert getattr(answer, "status_code", None) == 503, getattr(answer, "text", answer)
    assert answer.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert int(answer.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert answer.json()["type"] == "urn:journeyscope:problem:not-ready"  # type: ignore[attr-defined]


@pytest.fixture
def proxied(db: Database, backend: str, tmp_path: Path) -> Iterator[tuple[TcpProxy, TestClient]]:
    """An app whose PostgreSQL connections all go through a proxy the test can cut."""
    if backend != "postgres":
        pytest.skip("a network outage needs a database server")
    url: URL = db.engine.url
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        client = _app_client(
            url.set(port=proxy.port).render_as_string(hide_password=False), tmp_path
        )
        with client:
            yield proxy, client
        client.app.state.db.dispose()  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_an_unreachable_database_is_a_503_not_ready_and_the_api_is_back_at_once(
    proxied: tuple[TcpProxy, TestClient], tenant: Tenant
) -> None:
    proxy, client = proxied
    event = {"type": "sale.completed", "idempotency_key": "A-1"}
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200

    proxy.cut()
    _assert_not_ready(client.get("/v1/journeys", headers=tenant.headers))
    _assert_not_ready(client.post("/v1/events", headers=tenant.headers, json=event))
    assert client.get("/readyz").status_code == 503

    proxy.restore()
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/events", headers=tenant.headers, json=event).status_code == 201
    assert client.get("/v1/journeys", headers=tenant.headers).status_code == 200


@pytest.mark.postgres
def test_a_server_that_never_answers_is_a_503_not_a_hang(
    db: Database, backend: str, tenant: Tenant, tmp_path: Path
) -> None:
    if backend != "postgres":
        pytest.skip("a network outage needs a database server")
    with socket.socket() as silent:  # accepts TCP connections and then says nothing, ever
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = db.engine.url.set(port=silent.getsockname()[1])
        client = _app_client(url.render_as_string(hide_password=False), tmp_path)
        _assert_not_ready(client.get("/v1/journeys", headers=tenant.headers))
        client.app.state.db.dispose()  # type: ignore[attr-defined]


def test_a_sqlite_file_locked_by_another_process_is_a_503_not_ready(
    db: Database, backend: str, tenant: Tenant, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's file lock")
    path = db.engine.url.database
    assert path is not None
    client = _app_client(f"sqlite:///{path}", tmp_path)
    event = {"type": "sale.completed", "idempotency_key": "A-1"}
    other = sqlite3.connect(path, isolation_level=None)  # e.g. a backup or a migration
    try:
        other.execute("BEGIN EXCLUSIVE")
        _assert_not_ready(client.post("/v1/events", headers=tenant.headers, json=event))
        other.execute("ROLLBACK")
        assert client.post("/v1/events", headers=tenant.headers, json=event).status_code == 201
    finally:
        other.close()
        client.app.state.db.dispose()  # type: ignore[attr-defined]


def test_a_database_error_that_is_a_bug_stays_a_500(
    client: TestClient, db: Database, tenant: Tenant
) -> None:
    unmasked = TestClient(client.app, raise_server_exceptions=False)
    with db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE event RENAME TO event_elsewhere"))
    try:
        answer = unmasked.get("/v1/events", headers=tenant.headers)
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE event_elsewhere RENAME TO event"))
    assert answer.status_code == 500
    assert answer.json()["type"] == "urn:journeyscope:problem:internal"
