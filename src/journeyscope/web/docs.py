"""Interactive API docs served from vendored Swagger UI: no CDN, works air-gapped."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from journeyscope.web.pages.hosted_security import secure

SWAGGER = "/static/vendor/swagger-ui"
"""Where the app's ``/static`` mount (``web.app``) serves the vendored Swagger UI."""
FAVICON = "/static/favicon.svg"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(page: bytes) -> str:
    """The Content-Security-Policy of the Swagger UI ``page``.

    It allows Swagger UI's own files, its inline start-up script (by hash, so no other inline
    script runs) and fetching the schema from this origin. Swagger UI sets inline styles and
    draws icons as ``data:`` images.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


def install_docs(app: FastAPI, *, openapi_url: str, docs_url: str) -> None:
    """Serve the Swagger UI page at ``docs_url`` (its assets come from ``/static``)."""
    page = bytes(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=FAVICON,
        ).body
    )
    policy = docs_policy(page)

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        response = HTMLResponse(page)
        secure(response, csp=policy)
        return response
