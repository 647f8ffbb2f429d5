"""HTML pages: the public ones and the signed-in web UI.

The public pages are what respondents see (hosted surveys ``/s/...``, kiosks ``/k/...``); the
signed-in web UI of a workspace's people (``/login``, ``/app/...``).

Server-rendered with Jinja2, autoescaped, so every piece of user text is escaped wherever it
is shown. Public pages never need the API key; they find the workspace from a public id or a
signed token. Signed-in pages find it from the session (``signed_in.require_role``). Both call
the domains like the API does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
"""The page templates; Starlette turns autoescaping on for every template."""
