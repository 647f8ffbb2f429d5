"""Refuse URLs no database can take (a NUL byte in the path or query) before any route runs.

Bodies are checked by the models (``journeyscope.text``); path and query values reach SQL
too, and PostgreSQL answers a NUL there with an error instead of "not found".
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from journeyscope.web.problems import problem_response


class RejectUnstorableUrls:
    """ASGI middleware answering 400 problem+json to URLs that contain NUL."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, unless its URL carries a NUL byte."""
        if scope["type"] == "http" and self._has_nul(scope):
            response = problem_response(
                400,
                code="bad-request",
                detail="The URL contains a NUL character (%00), which no resource can have.",
                instance=scope.get("path", ""),
                hint="remove %00 from the path and query string",
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _has_nul(scope: Scope) -> bool:
        query: bytes = scope.get("query_string", b"")
        return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query
