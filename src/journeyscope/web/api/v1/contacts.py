"""`/v1/contacts`: customers and prospects, upserted by their id in your systems."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from journeyscope import collection
from journeyscope.collection import Contact, ContactIn, ContactPatch
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListPage

router = APIRouter(prefix="/v1/contacts", tags=["contacts"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_contacts(
    db: DbDep,
    workspace_id: WorkspaceDep,
    cursor: Cursor = None,
    limit: Limit = 100,
    email: Annotated[str | None, Query(max_length=320, description="Exact email.")] = None,
) -> ListPage[Contact]:
    """List contacts, oldest first."""
    page = collection.list_contacts(
        db, workspace_id=workspace_id, cursor=cursor, limit=limit, email=email
    )
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_contact(db: DbDep, workspace_id: WorkspaceDep, body: ContactIn) -> Contact:
    """Create a contact; 409 if its `external_id` exists (use upsert to update)."""
    return collection.create_contact(db, workspace_id=workspace_id, data=body)


@router.post(
    "/upsert",
    responses={201: {"model": Contact, "description": "Created"}},
)
def upsert_contact(
    db: DbDep, workspace_id: WorkspaceDep, body: ContactIn, response: Response
) -> Contact:
    """Create or update the contact with this `external_id` (200 updated, 201 created).

    Fields you send overwrite the stored ones; fields you leave out are kept. `attributes`
    are merged into the stored attributes; an attribute set to null is removed.
    """
    outcome = collection.upsert_contact(db, workspace_id=workspace_id, data=body)
    if outcome.created:
        response.status_code = status.HTTP_201_CREATED
    return outcome.contact


@router.get("/{contact_id:uuid}")
def get_contact(db: DbDep, workspace_id: WorkspaceDep, contact_id: uuid.UUID) -> Contact:
    """Get one contact."""
    return collection.get_contact(db, workspace_id=workspace_id, contact_id=contact_id)


@router.patch("/{contact_id:uuid}")
def update_contact(
    db: DbDep, workspace_id: WorkspaceDep, contact_id: uuid.UUID, patch: ContactPatch
) -> Contact:
    """Change the fields you send; `attributes` sent here replace the stored ones whole."""
    return collection.update_contact(
        db, workspace_id=workspace_id, contact_id=contact_id, patch=patch
    )


@router.delete("/{contact_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
def delete_contact(db: DbDep, workspace_id: WorkspaceDep, contact_id: uuid.UUID) -> None:
    """Delete a contact; its events are kept, unlinked."""
    collection.delete_contact(db, workspace_id=workspace_id, contact_id=contact_id)
