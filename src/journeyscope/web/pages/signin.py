"""``/login`` and ``/logout``: signing in to the web UI with an address and a password.

The sign-in form has no session yet, so its CSRF token is a double-submit one: ``GET /login``
puts a random token in a short-lived HttpOnly cookie (path ``/login``) and in the form; the
POST must bring both, equal. With ``SameSite=Lax`` and the ``Origin`` check, another site can
neither read the token nor post the form in a victim's name (login CSRF).

A refused sign-in answers 401 with one message for an unknown address and a wrong password;
after too many failures (per address, per client) 429 with ``Retry-After``
(``workspaces.signin`` explains both).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from journeyscope.errors import TooManyRequests, Unauthenticated
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import is_cross_site, secure
from journeyscope.web.pages.signed_in import (
    APP_HOME,
    COOKIE,
    PASSWORD_PAGE,
    Viewer,
    current_person,
    is_https,
    redirect,
    safe_next,
    session_rules,
)
from journeyscope.workspaces import SignedIn, is_same_token, sign_in, sign_out

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "js_login"
LOGIN_COOKIE_SECONDS = 3600
"""How long a sign-in form stays valid once opened."""

Field = Annotated[str, Form(max_length=1024)]


def _form(
    request: Request, *, status: int = 200, error: str | None = None, email: str = "", next_: str
) -> Response:
    token = secrets.token_urlsafe(32)
    context = {
        "lang": "en",
        "person": None,
        "csrf": token,
        "error": error,
        "email": email,
        "next": safe_next(next_),
    }
    page = templates.TemplateResponse(request, "app/login.html", context, status_code=status)
    page.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=LOGIN_COOKIE_SECONDS,
        path="/login",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    return secure(page)


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form (a signed-in person goes straight on)."""
    if await current_person(request) is not None:
        return redirect(safe_next(next))
    return _form(request, next_=next or APP_HOME)


@router.post("/login")
def login(
    request: Request,
    email: Field = "",
    password: Field = "",
    csrf: Annotated[str, Form(alias="_csrf", max_length=128)] = "",
    next: Annotated[str, Form(max_length=200)] = APP_HOME,
) -> Response:
    """Check the address and password; start a session and go on, or say why not."""
    expected = request.cookies.get(LOGIN_COOKIE)
    if is_cross_site(request) or expected is None or not is_same_token(expected, csrf):
        return _form(
            request,
            status=403,
            error="The sign-in form had expired. Please try again.",
            email=email,
            next_=next,
        )
    try:
        started = sign_in(
            request.app.state.db,
            email=email,
            password=password,
            client=request.client.host if request.client else "unknown",
            rules=session_rules(request.app.state.settings),
        )
    except TooManyRequests as exc:
        page = _form(request, status=429, error=exc.message, email=email, next_=next)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except Unauthenticated as exc:
        return _form(request, status=401, error=exc.message, email=email, next_=next)
    return _signed_in(request, started.token, started.signed_in, next)


def _signed_in(request: Request, token: str, person: SignedIn, next_: str) -> Response:
    earlier = request.cookies.get(COOKIE)
    if earlier:  # signing in again: the earlier session of this browser ends
        sign_out(request.app.state.db, earlier)
    target = PASSWORD_PAGE if person.user.must_change_password else safe_next(next_)
    answer = redirect(target)
    rules = session_rules(request.app.state.settings)
    answer.set_cookie(
        COOKIE,
        token,
        max_age=int(rules.lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    answer.delete_cookie(LOGIN_COOKIE, path="/login")
    return answer


@router.post("/logout")
def logout(request: Request, person: Viewer) -> Response:
    """End this browser's session and go back to the sign-in form."""
    token = request.cookies.get(COOKIE)
    if token:
        sign_out(request.app.state.db, token)
    answer = redirect("/login")
    answer.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return answer
