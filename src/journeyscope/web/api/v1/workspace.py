"""`/v1/workspace`: the caller's workspace and how often its customers may be asked."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import workspaces
from journeyscope.web.deps import DbDep, PrincipalDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.workspaces import ContactLimits, Workspace

router = APIRouter(prefix="/v1/workspace", tags=["workspace"], responses=PROBLEM_RESPONSES)


class WorkspaceView(BaseModel):
    """The caller's workspace."""

    model_config = ConfigDict(frozen=True)

    slug: str = Field(description="Names the workspace in URLs and the widget's `init()`.")
    name: str
    recontact_days: int = Field(description="Days after any invitation or widget survey.")
    invitation_cap: int = Field(description="Invitations per contact per cap period.")
    invitation_cap_days: int = Field(description="The cap period, in days.")


def _view(workspace: Workspace) -> WorkspaceView:
    return WorkspaceView(
        slug=workspace.slug,
        name=workspace.name,
        recontact_days=workspace.recontact_days,
        invitation_cap=workspace.invitation_cap,
        invitation_cap_days=workspace.invitation_cap_days,
    )


@router.get("")
def get_workspace(principal: PrincipalDep) -> WorkspaceView:
    """Get the workspace the API key belongs to, with its contact limits."""
    return _view(principal.workspace)


@router.patch("")
def update_workspace(db: DbDep, principal: PrincipalDep, body: ContactLimits) -> WorkspaceView:
    """Change the recontact period and the invitation cap; fields left out stay as they are."""
    changed = workspaces.set_contact_limits(db, workspace_id=principal.workspace.id, limits=body)
    return _view(changed)
