"""The FastAPI application factory: the HTTP door onto the domains."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from journeyscope import __version__
from journeyscope.base_url import follow_rule
from journeyscope.settings import Settings, ensure_secret_key
from journeyscope.store import Database, make_engine
from journeyscope.web import health, landing
from journeyscope.web.api import ivr
from journeyscope.web.api.v1 import (
    changes,
    contacts,
    drivers,
    events,
    hooks,
    interviews,
    invitations,
    journeys,
    keys,
    maps,
    metrics,
    public,
    qr,
    response_rates,
    responses,
    rules,
    survey_templates,
    surveys,
    verbatims,
    workspace,
)
from journeyscope.web.cors import PublicCors
from journeyscope.web.docs import install_docs
from journeyscope.web.pages import (
    hosted,
    interview_pages,
    journey_pages,
    kiosk,
    map_page,
    overview,
    people,
    rule_pages,
    signin,
    sources,
    survey_pages,
    touchpoint_page,
    unsubscribe,
)
from journeyscope.web.pages.signed_in import install_page_refusals
from journeyscope.web.problems import install_problem_handlers
from journeyscope.web.ratelimit import PublicRateLimiter
from journeyscope.web.safety import LimitBodySize, RejectUnstorableUrls
from journeyscope.web.security_headers import SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"

OPENAPI_URL = "/v1/openapi.json"
DESCRIPTION = """\
The Journeyscope API. Authenticate with `Authorization: Bearer <api key>`
(`journeyscope init` prints one). Errors are RFC 9457 `application/problem+json`
with an `errors[]` list naming each bad field, the problem and the fix. Lists are
cursor-paginated: follow `next_cursor` until it is `null`.
"""


class JourneyscopeApp(FastAPI):
    """FastAPI with :class:`SecurityHeaders` around everything, Starlette's error layer too.

    ``add_middleware`` puts a middleware inside ``ServerErrorMiddleware``, whose 500 answers
    would then go out without the headers.
    """

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped in the security headers."""
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings, *, db: Database | None = None) -> FastAPI:
    """Build the app for ``settings``; tests may hand in their own database.

    Links (QR codes, personal links, emails) follow the one base-URL rule of
    :mod:`journeyscope.base_url`; ``journeyscope serve`` has applied it with its address.
    """
    settings = follow_rule(settings)
    app = JourneyscopeApp(
        title="Journeyscope",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served from vendored assets below, not from a CDN
        redoc_url=None,
    )
    install_docs(app, openapi_url=OPENAPI_URL, docs_url="/v1/docs")
    app.state.settings = settings
    app.state.db = db or Database(make_engine(settings.sqlalchemy_url()))
    app.state.secret_key = ensure_secret_key(settings).get_secret_value()
    app.state.rate_limiter = PublicRateLimiter(
        settings.limits.public_rate_limit,
        settings.limits.rate_limit_storage.get_secret_value(),
        clock=app.state.db.clock,
    )
    install_problem_handlers(app)
    install_page_refusals(app)
    app.add_middleware(RejectUnstorableUrls)
    app.add_middleware(
        LimitBodySize,
        max_bytes=settings.limits.max_body_bytes,
        public_max_bytes=settings.limits.max_public_body_bytes,
    )
    app.add_middleware(PublicCors)  # outermost: errors carry CORS headers too
    # Routes are matched one after the other, so the busiest come first: respondents' pages,
    # then the ingest paths (no two routers share a path prefix). They are added as they
    # are, not through include_router: each route already carries its router's prefix, tags
    # and responses (the OpenAPI document is the same), and FastAPI matches an included
    # router through several layers per request, tens of microseconds per router passed.
    for module in (
        health,
        hosted,
        kiosk,
        unsubscribe,
        events,
        responses,
        public,
        journeys,
        keys,
        workspace,
        contacts,
        surveys,
        survey_templates,
        invitations,
        hooks,
        rules,
        interviews,
        metrics,
        changes,
        maps,
        drivers,
        response_rates,
        verbatims,
        qr,
        ivr,
        signin,
        people,
        map_page,
        overview,
        sources,
        interview_pages,
        journey_pages,
        survey_pages,
        rule_pages,
        touchpoint_page,
        landing,
    ):
        app.router.routes.extend(module.router.routes)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
