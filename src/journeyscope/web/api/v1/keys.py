"""`/v1/api-keys`: the workspace's API keys; a new key's token is shown once."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from journeyscope import workspaces
from journeyscope.text import StorableStr
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListAll

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"], responses=PROBLEM_RESPONSES)


class ApiKeyOut(BaseModel):
    """An API key without its secret."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, key: workspaces.ApiKey) -> ApiKeyOut:
        """From the domain type."""
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


class ApiKeyCreated(ApiKeyOut):
    """A new key; `token` is shown here once and cannot be retrieved again."""

    token: str


class ApiKeyIn(BaseModel):
    """What to call the new key (e.g. the system that will use it)."""

    name: StorableStr = Field(default="default", min_length=1, max_length=200)


@router.get("")
def list_keys(db: DbDep, workspace_id: WorkspaceDep) -> ListAll[ApiKeyOut]:
    """List the workspace's keys (revoked ones show `revoked_at`)."""
    keys = workspaces.list_keys(db, workspace_id=workspace_id)
    return ListAll(data=[ApiKeyOut.of(k) for k in keys])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_key(db: DbDep, workspace_id: WorkspaceDep, body: ApiKeyIn) -> ApiKeyCreated:
    """Create a key; store its `token` now, it is not shown again."""
    issued = workspaces.issue_key(db, workspace_id=workspace_id, name=body.name)
    return ApiKeyCreated(**ApiKeyOut.of(issued.key).model_dump(), token=issued.token)


@router.delete("/{key_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(db: DbDep, workspace_id: WorkspaceDep, key_id: uuid.UUID) -> None:
    """Revoke a key; requests with it fail at once."""
    workspaces.revoke_key(db, workspace_id=workspace_id, key_id=key_id)
