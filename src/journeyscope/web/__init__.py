"""The HTTP door: the JSON API (``/v1``), the IVR webhooks, hosted pages, the widget and kiosk.

Holds no domain logic: routes check input, call one domain service through its package's
``__init__`` and map :class:`~journeyscope.errors.JourneyscopeError` to problem+json
(``problems.py``) or an error page. Imports the domains, never ``cli`` or ``worker``.

Its exports are imported on first use (PEP 562), so importing one module of this package
(``journeyscope.web.problems``) does not build the whole FastAPI application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyscope.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from journeyscope.web.app import create_app
    from journeyscope.web.server import run_server

__getattr__ = lazy_exports(
    __name__,
    {
        "create_app": ("journeyscope.web.app", "create_app"),
        "run_server": ("journeyscope.web.server", "run_server"),
    },
)

__all__ = ["create_app", "run_server"]
