"""`/v1/workspace`: the caller's workspace and its settings (the widget's recontact period)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import workspaces
from journeyscope.web.deps import DbDep, PrincipalDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/workspace", tags=["workspace"], responses=PROBLEM_RESPONSES)

RecontactDays = Field(
    ge=0,
    le=workspaces.MAX_RECONTACT_DAYS,
    description="After a visitor is shown any survey, the widget shows them none for this "
    "many days (0: no period).",
)


class WorkspaceView(BaseModel):
    """The caller's workspace."""

    model_config = ConfigDict(frozen=True)

    slug: str = Field(description="Names the workspace in URLs and the widget's `init()`.")
    name: str
    recontact_days: int = RecontactDays


class WorkspacePatch(BaseModel):
    """Settings to change; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    recontact_days: int | None = RecontactDays


def _view(db: DbDep, principal: PrincipalDep) -> WorkspaceView:
    workspace = principal.workspace
    days = workspaces.get_recontact_days(db, workspace_id=workspace.id)
    return WorkspaceView(slug=workspace.slug, name=workspace.name, recontact_days=days)


@router.get("")
def get_workspace(db: DbDep, principal: PrincipalDep) -> WorkspaceView:
    """Get the workspace the API key belongs to, with its recontact period."""
    return _view(db, principal)


@router.patch("")
def update_workspace(db: DbDep, principal: PrincipalDep, body: WorkspacePatch) -> WorkspaceView:
    """Change the recontact period (0-365 days); the widget applies it on the next page view."""
    if body.recontact_days is not None:
        workspaces.set_recontact_days(
            db, workspace_id=principal.workspace.id, days=body.recontact_days
        )
    return _view(db, principal)
