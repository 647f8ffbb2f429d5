"""Refuse requests no route should see: URLs with NUL bytes, bodies over the size limit.

A NUL byte in the path or query is refused before any route runs. The anonymous doors (the
widget and native-app API, kiosks, hosted survey pages, unsubscribe and phone webhooks) take
much smaller bodies than the API: one page of survey answers is a few kilobytes, and whatever
a body costs to read and check, anyone on the internet can make the server pay.

Bodies are checked by the models (``journeyscope.text``); path and query values reach SQL
too, and PostgreSQL answers a NUL there with an error instead of "not found".
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeyscope.web.problems import problem_response

PUBLIC_PATHS = ("/v1/public/", "/k/", "/s/", "/i/", "/u/", "/ivr/", "/login", "/logout", "/app")
"""Where the routes that need no API key live; a test checks every such route is under one.

The web UI's forms (``/login``, ``/app/...``) are among them: anyone can post to ``/login``,
and no form of theirs comes near the public limit."""


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


class LimitBodySize:
    """ASGI middleware answering 413 problem+json to bodies over the limit of their path.

    ``max_bytes`` for the API, ``public_max_bytes`` for :data:`PUBLIC_PATHS`.
    ``Content-Length`` is checked before anything is read; chunked bodies are counted as they
    arrive, so a client cannot make the server buffer an unbounded request either way. Past
    the limit the 413 is sent at once and the app is told the client left (``http.disconnect``),
    so however the route reads its body, whatever it answers afterwards is dropped.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, public_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.public_max_bytes = max_bytes if public_max_bytes is None else public_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a counting ``receive``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_public = str(scope.get("path", "")).startswith(PUBLIC_PATHS)
        limit = self.public_max_bytes if is_public else self.max_bytes
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit, is_public=is_public)
            return
        started = refused = False
        received = 0

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit and not refused:
                refused = True
                if not started:
                    await self._refuse(scope, receive, send, limit, is_public=is_public)
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; the app's late answer goes nowhere
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except ClientDisconnect:
            if not refused:
                raise  # a real disconnect, not ours

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, limit: int, *, is_public: bool
    ) -> None:
        hint = (
            "one page of survey answers is far smaller; raise JOURNEYSCOPE_MAX_PUBLIC_BODY_BYTES "
            "if your surveys really need more"
            if is_public
            else "send less per request (e.g. events in batches of at most 1,000), or raise "
            "JOURNEYSCOPE_MAX_BODY_BYTES"
        )
        response = problem_response(
            413,
            code="payload-too-large",
            detail=f"The request body is larger than {limit:,} bytes.",
            instance=scope.get("path", ""),
            hint=hint,
        )
        await response(scope, receive, send)
