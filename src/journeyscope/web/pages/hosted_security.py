"""The protections of public pages: form binding, the resume cookie, response headers.

Hosted forms are anonymous, so a classic CSRF token tied to a login does not apply. Instead
every form carries ``_form``: the survey and response ids, signed with the installation's secret
key. A POST is accepted only when that signature holds and names the response the request
may write to (the invitation's, or the one in the resume cookie), so another site cannot write
into someone's response: it can neither forge the field nor read the victim's page to copy it.

A signed form is not secret to the person it was shown to, though: an attacker can open the
link, keep the ``_form`` of *their own* response and make a victim's browser post it from
another site. ``SameSite=Lax`` withholds the victim's cookie there, so the signature alone
would be accepted and the redirect would plant the attacker's response id in the victim's
resume cookie, letting the attacker read what the victim answers next. Hence two more rules:

* a POST the browser marks as cross-site (``Sec-Fetch-Site: cross-site``), or whose ``Origin``
  is neither this request's origin nor ``JOURNEYSCOPE_BASE_URL``'s, is refused (403, nothing
  saved) — see :func:`is_cross_site` (``Origin: null``, which our ``no-referrer`` pages make
  browsers send, decides nothing);
* a POST that arrives without a resume cookie is saved under the signed id, but sets the
  cookie only when the browser vouches that it came from our own page
  (:func:`is_same_origin`). Old browsers that send neither header get no cookie from a POST:
  they still answer page by page, like a browser that blocks cookies.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

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
        or str(request.app.state.settings.web.base_url).startswith("https://"),
    )


def secure(response: Response, *, csp: str = CSP) -> Response:
    """Add the public pages' security headers to ``response``, with ``csp`` as its policy.

    Every public page (hosted survey, kiosk, unsubscribe) shares the headers; each may narrow
    or widen its Content-Security-Policy, which should keep ``frame-ancestors 'none'``.
    """
    response.headers.update(HEADERS)
    response.headers["Content-Security-Policy"] = csp
    return response


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower case, as browsers send it in ``Origin``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(request: Request) -> set[str]:
    """The origins our own pages are served from: the request's and the public base URL's."""
    base: str = request.app.state.settings.web.base_url
    return {_origin(str(request.base_url)), _origin(base)}


def is_cross_site(request: Request) -> bool:
    """Whether the browser says this request was sent by a page of another site.

    ``Sec-Fetch-Site: cross-site``, or an ``Origin`` that is not one of :func:`own_origins`.
    ``Origin: null`` decides nothing: browsers send it for every POST from a page whose
    referrer policy is ``no-referrer`` (ours), so our own forms send it too. A foreign page can
    send it as well, so such a POST never sets the resume cookie (:func:`is_same_origin`).
    """
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = (request.headers.get("origin") or "null").lower()
    return origin != "null" and origin not in own_origins(request)


def is_same_origin(request: Request) -> bool:
    """Whether the browser vouches that this request came from one of our own pages.

    ``Sec-Fetch-Site: same-origin``, or an ``Origin`` among :func:`own_origins`, and no
    header saying otherwise.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = (request.headers.get("origin") or "null").lower()
    return origin != "null" and origin in own_origins(request)
