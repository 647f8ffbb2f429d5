"""Request dependencies: the database and the authenticated workspace, as ``Annotated`` aliases.

They are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in the threadpool,
one hop per dependency per request (~0.1-0.2 ms each, and contention on the hand-off), while
none of these waits for anything except the key check, which runs in the threadpool only
when the token was not checked moments ago (``workspaces.auth_cache``).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from journeyscope.errors import InvalidInput, Unauthenticated
from journeyscope.store import Database
from journeyscope.workspaces import Principal, authenticate, cached_principal

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key from `journeyscope init` or `journeyscope keys create`.",
)


async def get_db(request: Request) -> Database:
    """The app's database handle."""
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def _principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        raise Unauthenticated(
            "This endpoint needs an API key.",
            hint="send `Authorization: Bearer js_...`; create a key with `journeyscope init`",
        )
    token = credentials.credentials
    principal = cached_principal(token)
    if principal is None:
        principal = await run_in_threadpool(authenticate, request.app.state.db, token)
    return principal


async def get_principal(request: Request, credentials: Credentials) -> Principal:
    """The caller, from ``Authorization: Bearer <key>``; 401 problem otherwise."""
    return await _principal(request, credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_workspace_id(request: Request, credentials: Credentials) -> uuid.UUID:
    """The id every query of this request is scoped to (the caller's workspace).

    It authenticates by itself rather than through :func:`get_principal`: FastAPI's
    dependency resolution costs more per node than the cached key check does.
    """
    return (await _principal(request, credentials)).workspace.id


WorkspaceDep = Annotated[uuid.UUID, Depends(get_workspace_id)]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200, description="The `next_cursor` of the previous page; omit for the first."
    ),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page (1-1000).")]


def require_same_key(body_key: str, path_key: str, *, route: str) -> None:
    """Refuse a PUT whose body names another resource than its path (422 naming ``key``)."""
    if body_key != path_key:
        raise InvalidInput(
            f"The body's key {body_key!r} differs from the path's {path_key!r}.",
            field="key",
            hint=f"send it to {route.format(key=body_key)}, or use the same key in both",
        )
