"""Public HTML pages respondents see: hosted surveys (``/s/...``) and kiosks (``/k/...``).

Server-rendered with Jinja2, autoescaped, so every piece of user text is escaped wherever it
is shown. Pages never need the API key; they find the workspace from a public id or a signed
token, and call the collection domain like the API does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
"""The page templates; Starlette turns autoescaping on for every template."""
