"""The one place where errors become RFC 9457 ``application/problem+json`` responses.

Every error body has ``type``, ``title``, ``status``, ``detail``, ``instance`` and
``errors[]`` items of ``{field, location, problem, fix}`` (plus ``index`` for the item of a
batch); at most fifty, with ``errors_omitted`` counting the rest. A test pins this shape.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from journeyscope.errors import (
    MAX_LISTED_PROBLEMS,
    JourneyscopeError,
    Problem,
    TooManyRequests,
    Unauthenticated,
    dotted_path,
    fix_for,
    problem_text,
)
from journeyscope.log_redaction import redact_target
from journeyscope.store import is_unavailable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:journeyscope:problem:"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
RETRY_AFTER_SECONDS = 5
"""What a 503 ``not-ready`` asks clients to wait: the pool reconnects on the first request
after the database is back, so a short wait is enough."""


def problem_response(
    status: int,
    *,
    code: str,
    detail: str,
    instance: str,
    errors: Sequence[dict[str, Any]] = (),
    hint: str | None = None,
    headers: dict[str, str] | None = None,
    error_count: int | None = None,
) -> JSONResponse:
    """Build a problem+json response.

    At most :data:`MAX_LISTED_PROBLEMS` errors are listed; ``errors_omitted`` then says how
    many more there were (``error_count``: the total, when ``errors`` holds only the first).
    """
    listed = list(errors[:MAX_LISTED_PROBLEMS])
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "errors": listed,
    }
    omitted = (len(errors) if error_count is None else error_count) - len(listed)
    if omitted > 0:
        body["errors_omitted"] = omitted
    if hint:
        body["hint"] = hint
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _problem_item(problem: Problem) -> dict[str, Any]:
    return {
        "field": problem.field,
        "location": "body",
        "problem": problem.problem,
        "fix": problem.fix,
    }


def validation_items(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """FastAPI/pydantic errors as problem items; a batch item's index is given on its own."""
    items = []
    for error in errors:
        loc = list(error.get("loc", ()))
        location = (
            str(loc.pop(0)) if loc and loc[0] in ("body", "query", "path", "header") else "body"
        )
        item: dict[str, Any] = {
            "field": dotted_path(loc) or None,
            "location": location,
            "problem": problem_text(error),
            "fix": fix_for(error, reference="see the schema at /v1/openapi.json"),
        }
        if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
            item["index"] = loc[1]
        items.append(item)
    return items


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JourneyscopeError)  # noqa: S101 - registered for this type only
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem_response(
        exc.status,
        code=exc.code,
        detail=exc.message,
        instance=request.url.path,
        errors=[_problem_item(p) for p in exc.problems[:MAX_LISTED_PROBLEMS]],
        error_count=len(exc.problems),
        hint=exc.hint,
        headers=headers,
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type only
    errors = exc.errors()
    count = len(errors)
    listed = f" (the first {MAX_LISTED_PROBLEMS} are listed)" if count > MAX_LISTED_PROBLEMS else ""
    noun = "problem" if count == 1 else "problems"
    return problem_response(
        422,
        code="invalid-input",
        detail=f"The request has {count:,} {noun}{listed}; nothing was stored.",
        instance=request.url.path,
        errors=validation_items(errors[:MAX_LISTED_PROBLEMS]),
        error_count=count,
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route accepts at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match in (Match.PARTIAL, Match.FULL):
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type only
    code = TITLES.get(exc.status_code, "error").lower().replace(" ", "-")
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(
        exc.status_code,
        code=code,
        detail=str(exc.detail),
        instance=request.url.path,
        headers=headers or None,
    )


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    """503 ``not-ready`` while the database cannot be reached; any other error is a bug.

    The request was fine: the client should retry after ``Retry-After`` (resending is safe:
    events carry idempotency keys, responses client ids). Other database errors are raised
    on, to the 500 handler, with their traceback.
    """
    if not is_unavailable(exc):
        raise exc
    log.warning(
        "database unavailable on %s %s: %s",
        request.method,
        redact_target(request.url.path),
        str(exc).splitlines()[0],
    )
    return problem_response(
        503,
        code="not-ready",
        detail="The database cannot be reached right now; the request was not carried out.",
        instance=request.url.path,
        hint=f"retry in {RETRY_AFTER_SECONDS} s; /readyz says when the database is back",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The path may hold a personal link's token; the traceback is redacted by the handlers.
    log.exception("unhandled error on %s %s", request.method, redact_target(request.url.path))
    return problem_response(
        500,
        code="internal",
        detail="Something went wrong on the server; it has been logged.",
        instance=request.url.path,
        hint="retry later; if it keeps happening, report it with the time of the request",
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through the functions above."""
    app.add_exception_handler(JourneyscopeError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(SQLAlchemyError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)
