"""The trigger rules of the dashboard, read-only: ``/app/rules``.

What sends invitations: each rule's event, condition, survey, channel, delay, send window,
sampling, expiry and reminder, and whether it is on. Every role may read it; changing a rule
stays with the API and the journey YAML (admins). Scoped to ``person.workspace.id``.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response

from journeyscope import orchestration
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.signed_in import Viewer, page_context

router = APIRouter(include_in_schema=False)
RULES: Final = "/app/rules"
MAX_RULES: Final = 500


@router.get(RULES)
def rules_page(request: Request, person: Viewer) -> Response:
    """The workspace's trigger rules, oldest first, with their settings."""
    page = orchestration.list_rules(
        request.app.state.db, workspace_id=person.workspace.id, limit=MAX_RULES
    )
    context = page_context(person, rules=page.items, more=page.next_cursor is not None)
    return secure(templates.TemplateResponse(request, "app/rules.html", context))
