"""Factories: objects for tests, made through the real services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from journeyscope.store import Database
from journeyscope.workspaces import create_workspace, issue_key


@dataclass(frozen=True)
class Tenant:
    """A workspace with an API key, and the headers that authenticate as it."""

    id: uuid.UUID
    slug: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_tenant(db: Database, slug: str = "acme") -> Tenant:
    """Create a workspace and key."""
    space = create_workspace(db, slug=slug)
    issued = issue_key(db, workspace_id=space.id, name="test")
    return Tenant(id=space.id, slug=space.slug, token=issued.token)
