"""Live fragments: parts of a signed-in page that refresh themselves while it is open.

A page wraps each part that shows figures in an element that htmx (vendored, ``/static/
vendor/htmx``) polls every :data:`INTERVAL_S` seconds. The part is a named Jinja2 block of
the page's own template, so the page and its fragment are rendered by the same lines. The
poll URL carries ``seen``: a digest of the part as the page shows it now. The server renders
the part afresh; when its digest is still ``seen`` it answers ``204 No Content``, which htmx
does not swap (no bytes, no DOM work, no flicker); otherwise it answers the part in a new
wrapper whose URL carries the new digest, swapped in place of the old one
(``static/app/live.js`` keeps open details, scroll positions and focus across the swap).

A fragment route checks the session, the role and the workspace exactly as its page does
(the same ``signed_in`` dependency, the same ``person.workspace.id``). Without script the
attributes do nothing and the page is the plain page it always was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from journeyscope import analytics
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure

INTERVAL_S: Final = 2
"""How often an open page asks for each of its live parts (a new figure shows within this
plus the time one fragment takes)."""
UNCHANGED: Final = 204
RECHECK: Final = dt.timedelta(seconds=30)
"""How long a part's digest is trusted while the rollups count no new answer: what the
rollups do not show (verbatim analyses, invitations, detected changes) shows within this."""
"""The answer when the part is what the page shows already: htmx leaves the page alone."""


def render_block(request: Request, template: str, block: str, context: Mapping[str, Any]) -> str:
    """The HTML of one ``{% block %}`` of ``template`` with ``context`` (and ``request``)."""
    page = templates.get_template(template)
    values = {**context, "request": request}
    return "".join(page.blocks[block](page.new_context(values)))


def digest(html: str, *, workspace: uuid.UUID) -> str:
    """A short, stable name of a part's HTML as ``workspace`` sees it.

    Keyed by the workspace, so two workspaces' digests never match even where their parts
    read alike: a ``seen`` taken from one workspace is never "unchanged" in another.
    """
    return hashlib.blake2b(html.encode(), digest_size=12, key=workspace.bytes).hexdigest()


def wrapper(request: Request, *, part: str, url: str, seen: str, query: Mapping[str, str]) -> str:
    """The element that holds a live part and polls ``url`` for it (``seen`` = its digest)."""
    root = request.scope.get("root_path", "")
    params = urlencode({**{k: v for k, v in query.items() if v}, "seen": seen})
    return (
        f'<div id="live-{escape(part)}" class="live" data-live="{escape(part)}" '
        f'hx-get="{escape(root + url + "?" + params)}" '
        f'hx-trigger="every {INTERVAL_S}s" hx-swap="outerHTML">'
    )


def parts(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    urls: Mapping[str, str],
    query: Mapping[str, str] | None = None,
) -> dict[str, Markup]:
    """For a whole page: each live part's opening wrapper tag, keyed by part name.

    The part is rendered once here for its digest; ``urls`` names each part's fragment URL.
    """
    return {
        part: Markup(  # noqa: S704 - built from escaped values only
            wrapper(
                request,
                part=part,
                url=url,
                seen=_seen(request, template, part, context),
                query=query or {},
            )
        )
        for part, url in urls.items()
    }


def _seen(request: Request, template: str, part: str, context: Mapping[str, Any]) -> str:
    html = render_block(request, template, f"live_{part}", context)
    return digest(html, workspace=context["person"].workspace.id)


@dataclass(frozen=True, slots=True)
class Known:
    """What a part was when last rendered: its digest, the answers counted then, and when."""

    seen: str
    answers: int
    at: dt.datetime


class KnownParts:
    """The last digest of each part per workspace and query, in this process (bounded).

    A poll whose ``seen`` is the kept digest, while the rollups have counted no new answer
    and the digest is younger than :data:`RECHECK`, is answered 204 without computing the
    part. Anything else (another answer counted, an older page, a recheck due) renders it.
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._known: dict[Hashable, Known] = {}
        self._lock = threading.Lock()

    def is_unchanged(self, key: Hashable, seen: str | None, answers: int, now: dt.datetime) -> bool:
        """Whether ``seen`` is still the part, as far as the cheap signs tell."""
        known = self._known.get(key)
        return (
            known is not None
            and known.seen == seen
            and known.answers == answers
            and now - known.at < RECHECK
        )

    def keep(self, key: Hashable, known: Known) -> None:
        """Remember a part just rendered."""
        with self._lock:
            if key not in self._known and len(self._known) >= self._size:
                del self._known[next(iter(self._known))]
            self._known[key] = known


KNOWN = KnownParts()


def fragment(
    request: Request,
    *,
    template: str,
    part: str,
    url: str,
    workspace_id: uuid.UUID,
    build: Callable[[], Mapping[str, Any] | Response],
    query: Mapping[str, str] | None = None,
) -> Response:
    """The answer to a poll: 204 if the part is still ``seen``, else the part, wrapped.

    ``build`` makes the part's context (or an error page, answered as it is); it is not
    called while the cheap signs say the part is unchanged (see :class:`KnownParts`).
    """
    db = request.app.state.db
    seen = request.query_params.get("seen")
    key = (workspace_id, url, tuple(sorted((query or {}).items())))
    answers = analytics.answers_counted(db, workspace_id=workspace_id)
    now = db.clock.now()
    if KNOWN.is_unchanged(key, seen, answers, now):
        return secure(Response(status_code=UNCHANGED))
    context = build()
    if isinstance(context, Response):
        return context
    html = render_block(request, template, f"live_{part}", context)
    current = digest(html, workspace=workspace_id)
    KNOWN.keep(key, Known(current, answers, now))
    if seen == current:
        return secure(Response(status_code=UNCHANGED))
    opening = wrapper(request, part=part, url=url, seen=current, query=query or {})
    return secure(HTMLResponse(f"{opening}{html}</div>"))
