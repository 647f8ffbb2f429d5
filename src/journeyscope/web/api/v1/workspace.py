"""`/v1/workspace`: the caller's workspace, how often its customers may be asked, its segments."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import workspaces
from journeyscope.web.deps import DbDep, PrincipalDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.workspaces import Workspace, WorkspaceChanges

router = APIRouter(prefix="/v1/workspace", tags=["workspace"], responses=PROBLEM_RESPONSES)


class WorkspaceView(BaseModel):
    """The caller's workspace."""

    model_config = ConfigDict(frozen=True)

    slug: str = Field(description="Names the workspace in URLs and the widget's `init()`.")
    name: str
    recontact_days: int = Field(description="Days after any invitation or widget survey.")
    invitation_cap: int = Field(description="Invitations per contact per cap period.")
    invitation_cap_days: int = Field(description="The cap period, in days.")
    segments: list[str] = Field(
        description="Contact attributes that are segments: metrics group by `segment:<name>`."
    )


def _view(workspace: Workspace) -> WorkspaceView:
    return WorkspaceView(
        slug=workspace.slug,
        name=workspace.name,
        recontact_days=workspace.recontact_days,
        invitation_cap=workspace.invitation_cap,
        invitation_cap_days=workspace.invitation_cap_days,
        segments=list(workspace.segments),
    )


@router.get("")
def get_workspace(principal: PrincipalDep) -> WorkspaceView:
    """Get the workspace the API key belongs to, with its contact limits."""
    return _view(principal.workspace)


@router.patch("")
def update_workspace(db: DbDep, principal: PrincipalDep, body: WorkspaceChanges) -> WorkspaceView:
    """Change the recontact period, the invitation cap or the segments.

    Fields left out stay as they are. `segments` replaces the list of contact attributes
    that are segments; it applies to responses completed from then on (their contact's
    values are copied onto them when they complete).
    """
    changed = workspaces.set_contact_limits(db, workspace_id=principal.workspace.id, limits=body)
    return _view(changed)
