"""The onsite kiosk: ``/k/{touchpoint_public_id}`` shows the touchpoint's survey full screen.

The page embeds the survey (localized on the server) as JSON, and ``static/kiosk/kiosk.js``
runs it: one tap per answer, a thank-you screen, then a reset for the next customer. A service
worker (``/k/sw.js``) keeps the page working offline; answers wait in IndexedDB under a UUID
made by the browser and are posted to ``/k/{id}/responses`` when the network is back. The
server stores a response once per UUID, so resending after a lost reply never duplicates it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import FileResponse, HTMLResponse

from journeyscope import collection, surveys
from journeyscope.collection import PublicResponseIn, ResponseView
from journeyscope.errors import NotFound
from journeyscope.journey.models import Channel
from journeyscope.surveys import (
    CesQuestion,
    CsatQuestion,
    NpsQuestion,
    PublishedSurvey,
    RatingQuestion,
    SurveyDefinition,
)
from journeyscope.web.deps import DbDep
from journeyscope.web.pages import templates
from journeyscope.web.ratelimit import PublicRateLimit

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).parents[1] / "static" / "kiosk"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
    "object-src 'none'"
)
RESET_SECONDS = (5, 1, 600)
"""Default, lowest and highest seconds the thank-you screen stays (``?reset=``)."""
IDLE_SECONDS = (60, 10, 3600)
"""Default, lowest and highest seconds of inactivity before a half-done survey resets."""


@cache
def asset_version() -> str:
    """A short hash of the kiosk assets, so a new release is never served from a stale cache."""
    digest = hashlib.sha256()
    for name in ("kiosk.js", "kiosk.css"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


def _seconds(raw: str | None, bounds: tuple[int, int, int]) -> int:
    """A query value in seconds, clamped; a typo falls back to the default, not an error page."""
    default, low, high = bounds
    if raw is None or not raw.strip().isdigit():
        return default
    return min(high, max(low, int(raw)))


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
    language = kiosk_language(published.definition, lang)
    survey = kiosk_survey(published.definition, language)
    config = {
        "survey": survey,
        "texts": chrome_texts(language),
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
    body: PublicResponseIn,
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
    language = kiosk_language(None, lang)
    context = {"lang": language, "texts": chrome_texts(language)}
    return _render(request, "kiosk/not_found.html", context, status.HTTP_404_NOT_FOUND)


def _render(request: Request, name: str, context: dict[str, Any], code: int) -> HTMLResponse:
    context = {**context, "asset_version": asset_version()}
    page = templates.TemplateResponse(request, name, context, status_code=code)
    page.headers["Content-Security-Policy"] = CSP
    page.headers["Referrer-Policy"] = "no-referrer"
    page.headers["X-Content-Type-Options"] = "nosniff"
    return page


# --- what the page embeds ------------------------------------------------------------------------

SCORED = (NpsQuestion, CsatQuestion, CesQuestion, RatingQuestion)
TEXT_KEYS = frozenset(
    {"title", "description", "text", "label", "low_label", "high_label", "other_label"}
    | {"placeholder", "thank_you"}
)
CHROME: dict[str, dict[str, Any]] = {
    "en": {
        "next": "Next",
        "send": "Send",
        "skip": "Skip",
        "thanks": "Thank you!",
        "required": "Please answer this question.",
        "waiting_one": "1 answer waiting to be sent",
        "waiting_many": "{n} answers waiting to be sent",
        "smileys": ["Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy"],
        "not_found_title": "This kiosk is not open",
        "not_found_body": "There is no survey to answer here right now. Please ask a member "
        "of staff; thank you for wanting to tell us how it went.",
    },
    "fr": {
        "next": "Suivant",
        "send": "Envoyer",
        "skip": "Passer",
        "thanks": "Merci !",
        "required": "Merci de répondre à cette question.",
        "waiting_one": "1 réponse en attente d'envoi",
        "waiting_many": "{n} réponses en attente d'envoi",
        "smileys": ["Très mécontent", "Mécontent", "Neutre", "Content", "Très content"],
        "not_found_title": "Cette borne n'est pas ouverte",
        "not_found_body": "Il n'y a pas de questionnaire ici pour le moment. Adressez-vous à "
        "un membre du personnel ; merci de vouloir nous donner votre avis.",
    },
}


def chrome_texts(lang: str) -> dict[str, Any]:
    """The page's own words (buttons, status) in ``lang``'s base language, else English."""
    return CHROME.get(lang.split("-")[0].lower(), CHROME["en"])


def kiosk_language(definition: SurveyDefinition | None, wanted: str | None) -> str:
    """The language to show: ``wanted`` (or its base) if the survey has it, else its default.

    Without a survey (the 404 page) the page's own languages are the choice.
    """
    if definition is None:
        offered, default = list(CHROME), "en"
    else:
        default = definition.default_language
        offered = [default, *definition.languages]
    by_lower = {tag.lower(): tag for tag in offered}
    for candidate in surveys.fallback_chain(wanted, default):
        if candidate in by_lower:
            return by_lower[candidate]
    return default


def kiosk_survey(definition: SurveyDefinition, lang: str) -> dict[str, Any]:
    """The definition as JSON with every text in ``lang``, and each scale's ends added."""
    data = _localize(definition.model_dump(mode="json", exclude_none=True), lang, definition)
    scales = {q.id: (q.low, q.high) for q in definition.questions() if isinstance(q, SCORED)}
    for page in data["pages"]:
        for question in page["questions"]:
            if question["id"] in scales:
                question["low"], question["high"] = scales[question["id"]]
    result: dict[str, Any] = data
    return result


def _localize(node: Any, lang: str, definition: SurveyDefinition) -> Any:
    if isinstance(node, list):
        return [_localize(item, lang, definition) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: surveys.localize(value, lang, definition.default_language)
        if key in TEXT_KEYS and isinstance(value, str | dict)
        else _localize(value, lang, definition)
        for key, value in node.items()
    }
