"""A 500's logged traceback names the failing SQL, never the contact's fields it carried."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from journeyscope.log_redaction import RedactSecrets
from journeyscope.settings import Settings
from journeyscope.store import Database, make_engine
from journeyscope.web.app import create_app

EMAIL, PHONE = "ann.private@example.com", "+33612345678"


def test_a_database_error_in_a_request_is_logged_without_its_values(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, db=db)

    @app.post("/i/{token}/broken")
    def broken(token: str) -> None:
        with db.transaction() as session:  # a query that fails after binding contact fields
            session.execute(
                text("SELECT id FROM contact WHERE email = :e AND phone = :p AND no_such = 1"),
                {"e": EMAIL, "p": PHONE},
            )

    with (
        caplog.at_level(logging.ERROR, logger="journeyscope.web"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        answer = client.post("/i/personal.t0ken/broken")
    assert answer.status_code == 500
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "unhandled error on POST /i/[token]/broken" in caplog.text
    assert "no_such" in caplog.text  # the traceback is there, with the statement
    assert EMAIL not in caplog.text and PHONE not in caplog.text
    assert "personal.t0ken" not in caplog.text


def _constraint_errors(engine: Engine) -> list[DBAPIError]:
    """Real PostgreSQL errors whose DETAIL repeats the rejected row's values."""
    rows = (
        {"e": EMAIL, "p": PHONE, "n": "Ann"},
        {"e": EMAIL, "p": PHONE, "n": "Ann"},  # the same e-mail: "Key (email)=(...)"
        {"e": "other@example.com", "p": PHONE, "n": None},  # "Failing row contains (...)"
    )
    errors = []
    with engine.connect() as connection:
        connection.execute(
            text("CREATE TEMP TABLE person (email text UNIQUE, phone text, name text NOT NULL)")
        )
        connection.commit()
        for row in rows:
            try:
                connection.execute(text("INSERT INTO person VALUES (:e, :p, :n)"), row)
                connection.commit()
            except DBAPIError as error:
                connection.rollback()
                errors.append(error)
    return errors


@pytest.mark.postgres
def test_values_postgres_echoes_in_its_errors_are_redacted_from_the_log(
    postgres_server: URL,
) -> None:
    engine = make_engine(postgres_server)
    try:
        errors = _constraint_errors(engine)
    finally:
        engine.dispose()
    assert len(errors) == 2
    assert all(EMAIL in str(e) or PHONE in str(e) for e in errors)  # PostgreSQL's own words
    for error in errors:
        record = logging.LogRecord(
            "journeyscope", logging.ERROR, __file__, 1, "failed", None, (type(error), error, None)
        )
        RedactSecrets().filter(record)
        logged = logging.Formatter().format(record)
        assert "INSERT INTO person" in logged
        assert EMAIL not in logged and PHONE not in logged, logged
