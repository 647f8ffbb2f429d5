"""The server's front door: ``/`` says what is running and where to go, ``/favicon.ico``.

Anyone may open ``/``, so it shows nothing of any workspace: the version (the OpenAPI schema
publishes it anyway) and links that work on every installation.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from journeyscope import __version__
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure

router = APIRouter(include_in_schema=False)

FAVICON = Path(__file__).parent / "static" / "favicon.svg"
FAVICON_MAX_AGE = 86_400
"""Browsers ask for the icon on every page they open without one: let them keep it a day."""
LINKS = (
    ("/v1/docs", "API documentation", "every endpoint, to try with your API key"),
    ("/v1/openapi.json", "OpenAPI schema", "for client generators and API tools"),
    ("/healthz", "Health check", "the process answers"),
    ("/readyz", "Readiness check", "the database answers and its schema is current"),
)


@router.get("/")
def landing(request: Request) -> Response:
    """What is running here, with links to the API docs and the probes."""
    context = {"lang": "en", "version": __version__, "links": LINKS}
    return secure(templates.TemplateResponse(request, "landing.html", context))


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The icon, as SVG: browsers ask for ``/favicon.ico`` when a page names none."""
    return FileResponse(
        FAVICON,
        media_type="image/svg+xml",
        headers={"Cache-Control": f"public, max-age={FAVICON_MAX_AGE}"},
    )
