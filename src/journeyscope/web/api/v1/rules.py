"""`/v1/rules`: trigger rules — which event invites whom, to which survey, when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from journeyscope import orchestration
from journeyscope.orchestration import InvitationView, RuleSpec, RuleView
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep, require_same_key
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListPage

router = APIRouter(tags=["rules"], responses=PROBLEM_RESPONSES)
RuleKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
ExternalId = Annotated[str, Path(min_length=1, max_length=255)]


@router.get("/v1/rules")
def list_rules(
    db: DbDep, workspace_id: WorkspaceDep, cursor: Cursor = None, limit: Limit = 100
) -> ListPage[RuleView]:
    """List the workspace's trigger rules, oldest first."""
    page = orchestration.list_rules(db, workspace_id=workspace_id, cursor=cursor, limit=limit)
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.put(
    "/v1/rules/{rule_key}",
    responses={201: {"model": RuleView, "description": "A new rule"}},
)
def put_rule(
    db: DbDep, workspace_id: WorkspaceDep, rule_key: RuleKey, body: RuleSpec, response: Response
) -> RuleView:
    """Create (201) or replace (200) a rule; its `key` must match the path.

    The `condition` is a CEL expression over `event` and `contact`; a syntax error is a 422
    naming `condition`. The survey must exist (404 otherwise).
    """
    require_same_key(body.key, rule_key, route="PUT /v1/rules/{key}")
    view, created = orchestration.put_rule(db, workspace_id=workspace_id, spec=body)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return view


@router.get("/v1/rules/{rule_key}")
def get_rule(db: DbDep, workspace_id: WorkspaceDep, rule_key: RuleKey) -> RuleView:
    """One rule."""
    return orchestration.get_rule(db, workspace_id=workspace_id, key=rule_key)


@router.delete("/v1/rules/{rule_key}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(db: DbDep, workspace_id: WorkspaceDep, rule_key: RuleKey) -> None:
    """Delete a rule; the invitations it planned keep their history."""
    orchestration.delete_rule(db, workspace_id=workspace_id, key=rule_key)


@router.get("/v1/contacts/by-external-id/{external_id}/invitations")
def contact_invitations(
    db: DbDep, workspace_id: WorkspaceDep, external_id: ExternalId
) -> list[InvitationView]:
    """A contact's latest invitations, each with why it was or was not sent."""
    return orchestration.invitations_of(
        db, workspace_id=workspace_id, contact_external_id=external_id
    )
