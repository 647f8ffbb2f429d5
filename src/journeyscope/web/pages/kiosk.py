"""The onsite kiosk: ``/k/{touchpoint_public_id}`` shows the touchpoint's survey full screen.

The page embeds the survey (localized on the server) as JSON, and ``static/kiosk/kiosk.js``
runs it: one tap per answer, a thank-you screen, then a reset for the next customer. Its path
through the survey is ``static/kiosk/flow.js``, the rules of :mod:`journeyscope.surveys.flow`
in the browser (both are tested on ``tests/data/branching_cases.json``). A service worker
(``/k/sw.js``) keeps the page working offline; answers wait in IndexedDB under a UUID made by
the browser and are posted to ``/k/{id}/responses`` when the network is back. The server
stores a response once per UUID, so resending after a lost reply never duplicates it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import Field

from journeyscope import collection, surveys
from journeyscope.collection import PublicResponseIn, ResponseView, client_definition
from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.surveys import PublishedSurvey
from journeyscope.web.deps import DbDep
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.hosted_view import chrome_language
from journeyscope.web.pages.ui_text import KIOSK_WORDS, ui_words, words_for
from journeyscope.web.ratelimit import PublicRateLimit

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).parents[1] / "static" / "kiosk"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
"""The hosted pages' policy, plus what the kiosk script needs (fetch, its service worker)."""
RESET_SECONDS = (5, 1, 600)
"""Default, lowest and highest seconds the thank-you screen stays (``?reset=``)."""
IDLE_SECONDS = (60, 10, 3600)
"""Default, lowest and highest seconds of inactivity before a half-done survey resets."""


@cache
def asset_version() -> str:
    """A short hash of the kiosk assets, so a new release is never served from a stale cache."""
    digest = hashlib.sha256()
    for name in ("flow.js", "kiosk.js", "kiosk.css"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


def _seconds(raw: str | None, bounds: tuple[int, int, int]) -> int:
    """A query value in seconds, clamped; a typo falls back to the default, not an error page."""
    default, low, high = bounds
    if raw is None or not raw.strip().isdigit():
        return default
    return min(high, max(low, int(raw)))


class KioskResponseIn(PublicResponseIn):
    """Answers from a kiosk: anonymous, so they can name no contact (422 if one is sent).

    Anyone standing at a kiosk (or anyone at all: the endpoint is public) could otherwise tie
    answers to any customer's record by guessing an external id.
    """

    contact_external_id: None = Field(
        default=None, description="Not accepted: kiosk answers are anonymous."
    )


@router.get("/k/sw.js")
def service_worker() -> FileResponse:
    """The kiosk service worker, served under ``/k/`` so that it may control kiosk pages."""
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/k/", "Cache-Control": "no-cache"},
    )


@router.get("/k/{touchpoint_public_id}", response_class=HTMLResponse)
def kiosk_page(
    request: Request,
    db: DbDep,
    touchpoint_public_id: str,
    lang: Annotated[str | None, Query(max_length=35)] = None,
    reset: Annotated[str | None, Query(max_length=10)] = None,
    idle: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    """The full-screen kiosk page; a friendly 404 page when nothing is published there."""
    try:
        published = surveys.published_at_touchpoint(db, touchpoint_public_id)
    except NotFound:
        return _not_found(request, lang)
    language = surveys.match_language(published.definition, [lang])
    survey = client_definition(published.definition, language)
    config = {
        "survey": survey,
        "texts": words_for(language, KIOSK_WORDS),
        "lang": language,
        "post_url": f"/k/{touchpoint_public_id}/responses?survey={published.public_id}"
        f"&version={published.version}",
        "reset_seconds": _seconds(reset, RESET_SECONDS),
        "idle_seconds": _seconds(idle, IDLE_SECONDS),
    }
    context = {"config": config, "lang": language, "title": survey["title"]}
    page = _render(request, "kiosk/page.html", context, status.HTTP_200_OK)
    page.headers["Cache-Control"] = "no-cache"  # the service worker keeps the offline copy
    return page


@router.post("/k/{touchpoint_public_id}/responses", status_code=status.HTTP_201_CREATED)
def submit_kiosk_response(
    db: DbDep,
    touchpoint_public_id: str,
    body: KioskResponseIn,
    response: Response,
    _: PublicRateLimit,
    survey: Annotated[str | None, Query(max_length=64)] = None,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> ResponseView:
    """Store a kiosk response (201), or answer the one stored under its UUID before (200).

    ``survey`` and ``version`` pin what the kiosk showed, so answers queued offline are
    checked against that version even if a newer one was published meanwhile.
    """
    answered = _pinned_survey(db, touchpoint_public_id, survey, version)
    view, created = collection.submit_public(db, answered, body, channel=Channel.ONSITE)
    if not created:
        response.status_code = status.HTTP_200_OK
    return view


def _pinned_survey(
    db: DbDep, touchpoint_public_id: str, survey: str | None, version: int | None
) -> PublishedSurvey:
    """The survey (and version) a kiosk answered, checked to belong to this touchpoint."""
    current = surveys.published_at_touchpoint(db, touchpoint_public_id)
    if survey is not None and survey != current.public_id:
        other = surveys.published_by_public_id(db, survey)
        if other.touchpoint_id != current.touchpoint_id:
            raise NotFound("That survey is not asked at this touchpoint.", field="survey")
        current = other
    if version is not None:
        current = surveys.at_version(db, current, version)
    return current


def _not_found(request: Request, lang: str | None) -> HTMLResponse:
    language = chrome_language(lang, request.headers.get("accept-language"))
    context = {"lang": language, "words": ui_words(language)}
    return _render(request, "kiosk/not_found.html", context, status.HTTP_404_NOT_FOUND)


def _render(request: Request, name: str, context: dict[str, Any], code: int) -> HTMLResponse:
    context = {**context, "asset_version": asset_version()}
    page = templates.TemplateResponse(request, name, context, status_code=code)
    secure(page, csp=CSP)
    return page
