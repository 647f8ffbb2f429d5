"""Interactive API docs served from vendored Swagger UI: no CDN, works air-gapped."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

SWAGGER = "/static/vendor/swagger-ui"
"""Where the app's ``/static`` mount (``web.app``) serves the vendored Swagger UI."""


def install_docs(app: FastAPI, *, openapi_url: str, docs_url: str) -> None:
    """Serve the Swagger UI page at ``docs_url`` (its assets come from ``/static``)."""

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )
