"""Who is signed in, and the checks every page and action of the web UI goes through.

``require_role(Role.ADMIN)`` is the one door: it reads the session cookie (the session, its
person and their workspace, from the database on every request), sends a visitor without a
session to ``/login``, refuses (403) a person whose role is too low, and for every POST checks
that the request came from our own page (``Origin``/``Sec-Fetch-Site``) and that the form's
``_csrf`` is this session's token, compared in constant time. Pages then scope every query to
``person.workspace.id``, so a person of workspace A never reaches B's rows.

The cookie: a random 256-bit token, HttpOnly (scripts cannot read it), SameSite=Lax (not sent
with cross-site POSTs), Secure when the public base URL is https, path ``/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from journeyscope.settings import Settings
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import is_cross_site, secure
from journeyscope.workspaces import Role, SessionRules, SignedIn, is_same_token, read_session

COOKIE = "js_session"
APP_HOME = "/app"
PASSWORD_PAGE = "/app/password"  # noqa: S105 - a path, not a password
MAY_WAIT = frozenset({PASSWORD_PAGE, "/logout"})
"""What a person who must choose a new password may still do before doing so."""
_NEXT = re.compile(r"/app(/[A-Za-z0-9/_-]*)?")


def session_rules(settings: Settings) -> SessionRules:
    """The session lifetime and idle time of ``settings``."""
    return SessionRules(
        lifetime=dt.timedelta(hours=settings.security.session_hours),
        idle=dt.timedelta(minutes=settings.security.session_idle_minutes),
    )


def is_https(request: Request) -> bool:
    """Whether cookies must be Secure: the public base URL (or this request) is https."""
    base: str = request.app.state.settings.web.base_url
    return base.startswith("https://") or request.url.scheme == "https"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of ``/app`` only (no open redirect)."""
    return target if target and _NEXT.fullmatch(target) else APP_HOME


class PageRefused(Exception):
    """A page or action refused: the handler answers with :attr:`response`."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def refusal_page(request: Request, *, status: int, heading: str, text: str) -> Response:
    """An HTML page saying why something was refused (no workspace data on it)."""
    context = {"lang": "en", "heading": heading, "text": text, "person": None}
    page = templates.TemplateResponse(request, "app/refused.html", context, status_code=status)
    return secure(page)


def redirect(url: str) -> Response:
    """A 303 (see other) to ``url``, with the pages' headers."""
    return secure(RedirectResponse(url, status_code=303))


async def current_person(request: Request) -> SignedIn | None:
    """The signed-in person of this request, or ``None`` (read once per request)."""
    if hasattr(request.state, "person"):
        found: SignedIn | None = request.state.person
        return found
    token = request.cookies.get(COOKIE)
    person = None
    if token and len(token) <= 128:
        rules = session_rules(request.app.state.settings)
        person = await run_in_threadpool(read_session, request.app.state.db, token, rules=rules)
    request.state.person = person
    return person


async def _check_form(request: Request, person: SignedIn) -> None:
    """A POST from another site, or without this session's ``_csrf``, is refused (403)."""
    form = await request.form()  # Starlette keeps it: the route's Form fields read it again
    token = form.get("_csrf")
    if is_cross_site(request) or not is_same_token(
        person.csrf_token, token if isinstance(token, str) else None
    ):
        raise PageRefused(
            refusal_page(
                request,
                status=403,
                heading="This form has expired",
                text="Nothing was changed. Go back, reload the page and try again.",
            )
        )


def require_role(role: Role) -> Callable[[Request], Awaitable[SignedIn]]:
    """A dependency: the signed-in person, if their role is at least ``role``.

    No session: GET goes to ``/login`` (and back here after), anything else is refused 401.
    A person who must choose a new password is sent to the password page first.
    """

    async def dependency(request: Request) -> SignedIn:
        person = await current_person(request)
        if person is None:
            raise PageRefused(_sign_in_first(request))
        if request.method not in ("GET", "HEAD"):
            await _check_form(request, person)
        if person.user.must_change_password and request.url.path not in MAY_WAIT:
            raise PageRefused(redirect(PASSWORD_PAGE))
        if not person.role.at_least(role):
            raise PageRefused(
                refusal_page(
                    request,
                    status=403,
                    heading="Not allowed",
                    text=f"This needs the role {role.value} or higher; you are "
                    f"{person.role.value} in this workspace. An owner can change your role.",
                )
            )
        return person

    return dependency


def _sign_in_first(request: Request) -> Response:
    # A live part's poll (htmx sends ``HX-Request``) must not swap the sign-in page into
    # the part: it gets the 401, which htmx leaves unswapped.
    if request.method in ("GET", "HEAD") and "hx-request" not in request.headers:
        return redirect(f"/login?next={safe_next(request.url.path)}")
    return refusal_page(
        request,
        status=401,
        heading="Please sign in",
        text="Your session has ended. Sign in again, then repeat what you did.",
    )


def install_page_refusals(app: FastAPI) -> None:
    """Answer :class:`PageRefused` with its page."""

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRefused)  # noqa: S101 - registered for this type only
        return exc.response

    app.add_exception_handler(PageRefused, answer)


Viewer = Annotated[SignedIn, Depends(require_role(Role.VIEWER))]
"""Anyone signed in to a workspace."""
Owner = Annotated[SignedIn, Depends(require_role(Role.OWNER))]
"""An owner of the workspace."""


def page_context(person: SignedIn, **values: Any) -> dict[str, Any]:
    """What every signed-in page's layout needs, plus ``values``."""
    return {"lang": "en", "person": person, "csrf": person.csrf_token, **values}
