"""CORS for the public widget API: any origin may call ``/v1/public/``, without credentials.

The widget runs on the company's own sites, whose origins we do not know; the public
endpoints take no cookies and no keys, so allowing every origin exposes nothing. The
authenticated API stays same-origin. Error answers (422, 429) carry the headers too, so the
widget can read them.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PUBLIC_PREFIX = "/v1/public/"
ALLOW_METHODS = "GET, POST, OPTIONS"
MAX_AGE_SECONDS = 86_400
"""How long browsers may cache a preflight answer (Chromium caps it at two hours)."""


class PublicCors:
    """Answer preflights and add ``Access-Control-Allow-Origin: *`` under ``/v1/public/``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass other paths through untouched."""
        if scope["type"] != "http" or not scope["path"].startswith(PUBLIC_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight()(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent = MutableHeaders(scope=message)
                sent["Access-Control-Allow-Origin"] = "*"
                sent["Access-Control-Expose-Headers"] = "Retry-After"
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _preflight() -> Response:
    """204 allowing our methods and a JSON ``Content-Type`` (no credentials)."""
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
        },
    )
