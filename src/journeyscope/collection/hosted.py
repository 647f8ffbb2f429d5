"""Who a hosted survey page is for: the contact behind a personal link, and what pipes can name.

Where a respondent goes through the survey (pages, what is missing, what a change of mind
hides) is the surveys domain's :mod:`~journeyscope.surveys.flow`; this module only finds the
contact a page greets and pipes. Must not import the web.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from journeyscope.collection import repo
from journeyscope.collection.contacts import get_contact
from journeyscope.collection.models import Contact
from journeyscope.collection.tokens import Invitation
from journeyscope.errors import NotFound
from journeyscope.store import Database


def contact_by_external_id(db: Database, *, workspace_id: uuid.UUID, external_id: str) -> Contact:
    """The contact a personal link is for; :class:`NotFound` naming the field otherwise."""
    with db.transaction() as session:
        found = repo.contact_ids_by_external_id(session, workspace_id, [external_id])
    if external_id not in found:
        raise NotFound(
            f"There is no contact with external_id {external_id!r}.",
            field="contact_external_id",
            hint="create it first with POST /v1/contacts/upsert, or leave it out",
        )
    return get_contact(db, workspace_id=workspace_id, contact_id=found[external_id])


class PipedContact(Protocol):
    """What :func:`contact_fields` reads: a stored contact, or a delivery's recipient."""

    @property
    def external_id(self) -> str: ...  # noqa: D102
    @property
    def email(self) -> str | None: ...  # noqa: D102
    @property
    def name(self) -> str | None: ...  # noqa: D102
    @property
    def locale(self) -> str | None: ...  # noqa: D102
    @property
    def attributes(self) -> dict[str, Any]: ...  # noqa: D102


def contact_fields(contact: PipedContact | None) -> dict[str, Any]:
    """What ``{{contact.x}}`` pipes can name: the contact's fields and, flat, its attributes.

    ``first_name`` is derived from ``name`` when no attribute gives one, since survey texts
    greet people by it (``Hi {{contact.first_name|there}}``). Hosted pages pass the stored
    contact; invitation emails pass the delivery's recipient, so both pipe the same values.
    """
    if contact is None:
        return {}
    fields: dict[str, Any] = {
        "external_id": contact.external_id,
        "email": contact.email,
        "name": contact.name,
        "locale": contact.locale,
        "first_name": contact.name.split()[0] if contact.name and contact.name.split() else None,
    }
    return {**fields, **contact.attributes, "attributes": contact.attributes}


def invited_contact(db: Database, invitation: Invitation) -> Contact | None:
    """The contact an invitation names; ``None`` if there is none or it was deleted since."""
    if invitation.contact_id is None:
        return None
    try:
        return get_contact(
            db, workspace_id=invitation.workspace_id, contact_id=invitation.contact_id
        )
    except NotFound:
        return None
