"""The protections of hosted survey pages: form binding, the resume cookie, response headers.

Hosted forms are anonymous, so a classic CSRF token tied to a login does not apply. Instead
every form carries ``_form``: the survey and response ids, signed with the installation's secret
key. A POST is accepted only when that signature holds and names the response the request
may write to (the invitation's, or the one in the resume cookie), so another site cannot write
into someone's response: it can neither forge the field nor read the victim's page to copy it.
Without the cookie (blocked, or a cross-site POST, where ``SameSite=Lax`` withholds it) the signed
id in the form is used, which only ever names a response the form's own page was shown for.
"""

from __future__ import annotations

import uuid

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

FORM_SALT = "journeyscope.hosted-form.v1"
COOKIE = "js_response"
COOKIE_MAX_AGE = 180 * 24 * 3600
"""The resume cookie lasts 180 days: long enough to come back to a survey from an old email."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
"""No inline script or style, nothing from other origins, and no framing (clickjacking); the
widget, not an iframe, is the way to put a survey inside another site."""

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
"""``no-referrer``: a personal link's token must not leak to other sites through ``Referer``;
``no-store``: pages show a respondent's answers, which must not stay in shared caches."""


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=FORM_SALT)


def sign_form(secret_key: str, survey_id: uuid.UUID, response_id: uuid.UUID) -> str:
    """The ``_form`` value binding a page's form to one survey and one response."""
    return str(_serializer(secret_key).dumps([survey_id.hex, response_id.hex]))


def read_form(secret_key: str, survey_id: uuid.UUID, signed: str | None) -> uuid.UUID | None:
    """The response id a ``_form`` value was made for; ``None`` if forged or for another survey."""
    try:
        survey_hex, response_hex = _serializer(secret_key).loads(signed or "")
        if survey_hex != survey_id.hex:
            return None
        return uuid.UUID(hex=response_hex)
    except (BadSignature, TypeError, ValueError):
        return None


def cookie_response_id(request: Request) -> uuid.UUID | None:
    """The response id of the resume cookie, if it holds one."""
    try:
        return uuid.UUID(request.cookies.get(COOKIE, ""))
    except ValueError:
        return None


def set_resume_cookie(
    request: Request, response: Response, path: str, response_id: uuid.UUID
) -> None:
    """Remember the response for ``path`` only, unreadable to scripts, not sent cross-site."""
    response.set_cookie(
        COOKIE,
        str(response_id),
        max_age=COOKIE_MAX_AGE,
        path=path,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https"
        or str(request.app.state.settings.base_url).startswith("https://"),
    )


def secure(response: Response) -> Response:
    """Add the hosted pages' security headers to ``response``."""
    response.headers.update(HEADERS)
    return response
