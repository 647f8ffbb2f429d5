"""Journeys and their channels in the dashboard, read-only: one journey, the channels page.

``/app/journeys/{key}`` shows a journey's stages in order with what the customer does and
its touchpoints by channel, linking to its map. ``/app/channels`` shows, per touchpoint, how
customers reach its survey: the kiosk link, the hosted survey link, their QR codes (drawn by
``collection.render_qr``, the same codes the API and the CLI print) and the e-mail snippet
(``collection.render_email_snippet``), and once for the workspace the website widget's
snippet. Every link is built on ``JOURNEYSCOPE_BASE_URL``. Every call passes
``person.workspace.id``, so another workspace's journey or touchpoint is not found (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from journeyscope import collection, journey, surveys
from journeyscope.errors import JourneyscopeError, NotFound
from journeyscope.journey import KEY_PATTERN, JourneyView, TouchpointView
from journeyscope.store import Database
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.interview_pages import refused
from journeyscope.web.pages.signed_in import Viewer, page_context

router = APIRouter(include_in_schema=False)
CHANNELS: Final = "/app/channels"
MAX_JOURNEYS: Final = 50
TOKEN: Final = "TOKEN"  # noqa: S105 - a placeholder shown in the snippet, not a secret
"""Stands in the e-mail snippet's links for each invitation's own signed token."""
Key = Annotated[str, Path(pattern=KEY_PATTERN)]


@dataclass(frozen=True, slots=True)
class TouchpointChannel:
    """How customers reach one touchpoint's survey."""

    journey_key: str
    stage: str
    touchpoint: TouchpointView
    kiosk_url: str
    survey: surveys.PublishedSurvey | None
    survey_url: str | None
    email_html: str | None


@router.get("/app/journeys/{key}")
def journey_page(request: Request, person: Viewer, key: Key) -> Response:
    """One journey: stages in order, what the customer does, touchpoints and their channels."""
    try:
        view = journey.get_journey(request.app.state.db, workspace_id=person.workspace.id, key=key)
    except JourneyscopeError as exc:
        return refused(request, person, "No journey", exc)
    context = page_context(person, journey=view)
    return secure(templates.TemplateResponse(request, "app/journey.html", context))


@router.get(CHANNELS)
def channels_page(request: Request, person: Viewer) -> Response:
    """Every touchpoint's links, QR codes and e-mail snippet, and the widget's snippet."""
    db: Database = request.app.state.db
    base = _base_url(request)
    page = journey.list_journeys(db, workspace_id=person.workspace.id, limit=MAX_JOURNEYS)
    views = [
        journey.get_journey(db, workspace_id=person.workspace.id, key=j.key) for j in page.items
    ]
    groups = [(view, [_channel(db, base, view, tp) for tp in _touchpoints(view)]) for view in views]
    context = page_context(person, groups=groups, base_url=base, more=page.next_cursor is not None)
    return secure(templates.TemplateResponse(request, "app/channels.html", context))


@router.get(CHANNELS + "/{journey_key}/{touchpoint_key}/qr.svg")
def qr_code(
    request: Request,
    person: Viewer,
    journey_key: Key,
    touchpoint_key: Key,
    target: Annotated[Literal["kiosk", "survey"], Query()] = "kiosk",
) -> Response:
    """The QR code (SVG) of a touchpoint's kiosk page or of the survey published there."""
    db: Database = request.app.state.db
    try:
        point = journey.get_touchpoint(
            db, workspace_id=person.workspace.id, journey_key=journey_key, key=touchpoint_key
        )
        url = _target_url(db, _base_url(request), point, target)
    except JourneyscopeError as exc:
        return refused(request, person, "No QR code", exc)
    body = collection.render_qr(url, "svg", width=256)
    headers = {"Cache-Control": "private, no-store", "X-Encoded-Url": url}
    return Response(body, media_type=collection.QR_MEDIA_TYPES["svg"], headers=headers)


def _base_url(request: Request) -> str:
    base: str = request.app.state.settings.web.base_url
    return base


def _touchpoints(view: JourneyView) -> list[tuple[str, TouchpointView]]:
    return [(stage.name, tp) for stage in view.stages for tp in stage.touchpoints]


def _published(db: Database, point: TouchpointView) -> surveys.PublishedSurvey | None:
    try:
        return surveys.published_at_touchpoint(db, point.public_id)
    except NotFound:
        return None


def _target_url(db: Database, base: str, point: TouchpointView, target: str) -> str:
    if target == "kiosk":
        return collection.kiosk_url(base, point.public_id)
    published = _published(db, point)
    if published is None:
        raise NotFound("No published survey is attached to this touchpoint.")
    return collection.survey_url(base, published.public_id)


def _channel(
    db: Database, base: str, view: JourneyView, staged: tuple[str, TouchpointView]
) -> TouchpointChannel:
    stage, point = staged
    published = _published(db, point)
    survey_url = email_html = None
    if published is not None:
        survey_url = collection.survey_url(base, published.public_id)
        invitation = collection.invitation_url(base, TOKEN)
        snippet = collection.render_email_snippet(published.definition, url=invitation)
        email_html = snippet.html
    return TouchpointChannel(
        journey_key=view.key,
        stage=stage,
        touchpoint=point,
        kiosk_url=collection.kiosk_url(base, point.public_id),
        survey=published,
        survey_url=survey_url,
        email_html=email_html,
    )
