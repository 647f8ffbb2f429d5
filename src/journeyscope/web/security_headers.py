"""Security headers on every response, each kind with the policy it needs.

The public pages set their own, stricter set (``pages.hosted_security.secure``); this adds the
baseline to everything else — the JSON API, problem documents, 404s, the coaching report, files
— and never overrides a header a route chose:

- ``X-Content-Type-Options: nosniff``: a browser must not run a JSON or CSV answer as script.
- ``Referrer-Policy: no-referrer``: URLs (personal links, ids) stay out of other sites' logs.
- ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``: nothing here is meant to be framed
  (the widget is a script on the customer's page, not an iframe).
- ``Content-Security-Policy`` by content type: :data:`API_CSP` (nothing may load) for JSON and
  files; :data:`DOCUMENT_CSP` for HTML that brings no policy of its own, such as the coaching
  report (inline styles, no script). JavaScript gets none: a worker script's policy becomes
  the worker's own, and the kiosk's service worker must be able to fetch.

Pure ASGI (no ``BaseHTTPMiddleware``): one pass over the response's header list, no copies of
the body. The app installs it outside Starlette's error middleware, so a 500 carries the
headers too (see ``web.app``).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""For JSON, problem documents, images and files: nothing loads, nothing frames them."""
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""For generated HTML documents: their own styles (inline ones included), no script at all."""

BASELINE: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
_CSP = b"content-security-policy"
_CONTENT_TYPE = b"content-type"
_SCRIPT_TYPES = (b"text/javascript", b"application/javascript")


def policy_for(content_type: bytes) -> bytes | None:
    """The Content-Security-Policy for a response of ``content_type`` that set none."""
    media = content_type.split(b";", 1)[0].strip().lower()
    if media in _SCRIPT_TYPES:
        return None
    return (DOCUMENT_CSP if media == b"text/html" else API_CSP).encode()


class SecurityHeaders:
    """Add :data:`BASELINE` and a content-type policy where a response lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; complete the headers of the response as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secured(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_secured)


def secured(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` plus whichever of the baseline headers and the policy they lack."""
    added = list(headers)
    present = {name.lower(): value for name, value in added}
    added += [(name, value) for name, value in BASELINE if name not in present]
    if _CSP not in present:
        policy = policy_for(present.get(_CONTENT_TYPE, b""))
        if policy is not None:
            added.append((_CSP, policy))
    return added
