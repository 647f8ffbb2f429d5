"""What the log filter hides: link tokens, answers, identifiers, keys and SQL values."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import StatementError
from uvicorn.logging import AccessFormatter, DefaultFormatter

from journeyscope.log_redaction import RedactSecrets, redact_target, redact_text

KEY = "js_0123456789ab_S3cr3t-Value_of_the_key"


def access_line(target: str) -> str:
    """``target`` through the filter and uvicorn's own access formatter, as serve writes it."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", target, "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    return AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("/i/eyJ3IjoiYWJjIn0.sig?q1=9&lang=fr", "/i/[token]?q1=[redacted]&lang=[redacted]"),
        ("/u/eyJ3IjoiYWJjIn0.sig", "/u/[token]"),
        ("/ivr/eyJ3IjoiYWJjIn0.sig/answer/q1", "/ivr/[token]/answer/q1"),
        ("/s/Ab3dEf9hIj2kLm4n?nps=3", "/s/Ab3dEf9hIj2kLm4n?nps=[redacted]"),
        ("/v1/contacts?email=ann%40example.com&limit=5", "/v1/contacts?email=[redacted]&limit=5"),
        (f"/v1/journeys?api_key={KEY}", "/v1/journeys?api_key=[redacted]"),
        (f"/v1/journeys?k={KEY}", "/v1/journeys?k=[api-key]"),
        ("/v1/contacts/by-external-id/C-77/x", "/v1/contacts/by-external-id/[redacted]/x"),
        ("/v1/events?q=ann@example.com", "/v1/events?q=[email]"),
        ("/v1/events?q=%2B33612345678", "/v1/events?q=[phone]"),
    ],
)  # fmt: skip
def test_access_log_lines_hide_secrets_and_identifiers(target: str, shown: str) -> None:
    assert access_line(target) == f'127.0.0.1:5000 - "GET {shown} HTTP/1.1" 200 OK'


def test_plain_api_paths_are_logged_as_they_are() -> None:
    target = "/v1/journeys/retail/touchpoints?stage=purchase&limit=10&cursor=abc"
    assert redact_target(target) == target


def test_redaction_can_be_applied_twice() -> None:
    once = redact_target("/i/tok.en?q1=9")
    assert redact_target(once) == once


def _statement_error() -> StatementError:
    """A real failing INSERT with contact fields, on an engine that shows its parameters."""
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE contact (email TEXT NOT NULL, phone TEXT)"))
        try:
            connection.execute(
                text("INSERT INTO contact (email, phone) VALUES (:email, :phone), (NULL, NULL)"),
                {"email": "ann.private@example.com", "phone": "0612345678"},
            )
        except StatementError as error:
            return error
    raise AssertionError("the insert should have failed")


def test_a_logged_traceback_loses_the_sql_parameters() -> None:
    error = _statement_error()
    assert "ann.private@example.com" in str(error)  # the engine does show them
    record = logging.LogRecord(
        "journeyscope.web.problems",
        logging.ERROR,
        __file__,
        1,
        "unhandled error on %s %s",
        ("POST", "/i/tok.en"),
        (type(error), error, error.__traceback__),
    )
    RedactSecrets().filter(record)
    logged = DefaultFormatter("%(levelprefix)s %(message)s", use_colors=False).format(record)
    assert "unhandled error on POST /i/[token]" in logged
    assert "[parameters: [redacted]]" in logged
    assert "ann.private@example.com" not in logged
    assert "0612345678" not in logged


def test_postgres_constraint_details_lose_their_values() -> None:
    detail = (
        'duplicate key value violates unique constraint "uq_contact_email"\n'
        "DETAIL:  Key (workspace_id, email)=(4f1c, Ann.Smith@Example.org) already exists.\n"
        'null value in column "external_id" violates not-null constraint\n'
        "DETAIL:  Failing row contains (4f1c, null, Ann Smith, 0612345678)."
    )
    redacted = redact_text(detail)
    assert "Key (workspace_id, email)=([redacted]) already exists." in redacted
    assert "Failing row contains ([redacted])" in redacted
    assert "Ann" not in redacted and "0612345678" not in redacted


def test_debug_records_are_left_whole() -> None:
    record = logging.LogRecord(
        "journeyscope", logging.DEBUG, __file__, 1, "sent to %s", ("ann@example.com",), None
    )
    RedactSecrets().filter(record)
    assert record.getMessage() == "sent to ann@example.com"


def test_messages_above_debug_lose_emails_keys_and_tokens() -> None:
    record = logging.LogRecord(
        "journeyscope",
        logging.WARNING,
        __file__,
        1,
        "could not reach %s with %s via %s",
        ("ann@example.com", KEY, "https://cx.example/u/tok.en"),
        None,
    )
    RedactSecrets().filter(record)
    assert (
        record.getMessage()
        == "could not reach [email] with [api-key] via https://cx.example/u/[token]"
    )
