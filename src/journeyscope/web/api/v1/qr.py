"""QR codes of a survey's hosted link and of a touchpoint's kiosk page, as PNG or SVG.

The codes encode public links built on ``JOURNEYSCOPE_BASE_URL``, so set it to the address
respondents reach before printing anything.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from journeyscope import journey, surveys
from journeyscope.collection import QR_MEDIA_TYPES, kiosk_url, render_qr, survey_url
from journeyscope.errors import NotFound
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["qr"], responses=PROBLEM_RESPONSES)

IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The QR code image",
        "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/svg+xml": {"schema": {"type": "string"}},
        },
    }
}
Format = Annotated[
    Literal["svg", "png"], Query(description="svg (scales for print) or png (for screens).")
]
Size = Annotated[
    int, Query(ge=64, le=4096, description="About how wide the image is, in pixels (64-4096).")
]
Target = Annotated[
    Literal["kiosk", "survey"],
    Query(description="kiosk: the touchpoint's kiosk page; survey: its survey's hosted link."),
]


def _image(url: str, fmt: Literal["svg", "png"], size: int, name: str) -> Response:
    body = render_qr(url, fmt, width=size)
    headers = {
        "Content-Disposition": f'inline; filename="{name}.{fmt}"',
        "X-Encoded-Url": url,
        "Cache-Control": "private, max-age=300",
    }
    return Response(body, media_type=QR_MEDIA_TYPES[fmt], headers=headers)


def _base_url(request: Request) -> str:
    base: str = request.app.state.settings.web.base_url
    return base


@router.get("/v1/surveys/{survey_key}/qr", response_class=Response, responses=IMAGE_RESPONSES)
def survey_qr(
    request: Request,
    db: DbDep,
    workspace_id: WorkspaceDep,
    survey_key: str,
    format: Format = "svg",
    size: Size = 512,
) -> Response:
    """A QR code of the survey's hosted link, `{base_url}/s/{public_id}`.

    404 (with the fix in `hint`) unless the survey exists, is published and is not archived:
    a printed code must not lead to a page that says the survey is not open. The
    `X-Encoded-Url` header tells the link encoded.
    """
    survey = surveys.published_by_key(db, workspace_id, survey_key)
    url = survey_url(_base_url(request), survey.public_id)
    return _image(url, format, size, f"survey-{survey_key}")


@router.get(
    "/v1/journeys/{journey_key}/touchpoints/{touchpoint_key}/qr",
    response_class=Response,
    responses=IMAGE_RESPONSES,
)
def touchpoint_qr(
    request: Request,
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    touchpoint_key: str,
    format: Format = "svg",
    size: Size = 512,
    target: Target = "kiosk",
) -> Response:
    """A QR code of the touchpoint's kiosk page `{base_url}/k/{public_id}`, or of its survey.

    The kiosk link stays the same whichever survey is published at the touchpoint, so it is
    the one to print for a kiosk. `target=survey` encodes the hosted link of the survey the
    kiosk shows now; 404 when the touchpoint has no published survey.
    """
    point = journey.get_touchpoint(
        db, workspace_id=workspace_id, journey_key=journey_key, key=touchpoint_key
    )
    name = f"{journey_key}-{touchpoint_key}-{target}"
    if target == "kiosk":
        return _image(kiosk_url(_base_url(request), point.public_id), format, size, name)
    try:
        published = surveys.published_at_touchpoint(db, point.public_id)
    except NotFound:
        raise NotFound(
            f"Touchpoint {touchpoint_key!r} has no published survey to link to.",
            field="target",
            hint="attach a survey to it and publish it, or ask for target=kiosk",
        ) from None
    url = survey_url(_base_url(request), published.public_id)
    return _image(url, format, size, name)
