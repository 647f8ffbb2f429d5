"""Loads of past records: contacts, events and completed responses, with their own times.

The simulator (and importers of history from other tools) write here instead of through the
doors: rows already carry their ids and times, since "now" is not when they happened, and
arrive by the thousand in one transaction the caller owns. They land in the same tables as
live traffic, and a completed response's metric facts are written by the same
:func:`~journeyscope.collection.responses.write_facts` as a save's, in that transaction.

Each load is idempotent: rows meeting a stored unique key (a contact's external id, an
event's idempotency key, a response's client id) are skipped, and only the responses that
went in get facts. Answers are not checked here: the caller made them from the survey
version it names (the simulator does), or checked them itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from journeyscope.collection.responses import write_facts
from journeyscope.store import chunks, copy_columns, insert_many, is_postgres, tables
from journeyscope.surveys import SurveyDefinition

CONTACT: Table = tables.Contact.__table__  # type: ignore[assignment]
EVENT: Table = tables.Event.__table__  # type: ignore[assignment]
RESPONSE: Table = tables.Response.__table__  # type: ignore[assignment]
FACT: Table = tables.MetricFact.__table__  # type: ignore[assignment]


def import_contacts(
    session: Session, *, workspace_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> dict[str, uuid.UUID]:
    """Insert contacts (every column given) unless their external id is stored.

    Returns ``external id -> id`` for all of ``rows``: the stored contact's id where one
    existed already.
    """
    _require_workspace(workspace_id, rows)
    inserted = insert_many(session, CONTACT, rows)
    ids = {row["external_id"]: row["id"] for row in rows}
    if inserted < len(rows) or is_postgres(session):
        for part in chunks(list(ids)):
            stmt = select(CONTACT.c.external_id, CONTACT.c.id).where(
                CONTACT.c.workspace_id == workspace_id, CONTACT.c.external_id.in_(part)
            )
            ids.update((external_id, row_id) for external_id, row_id in session.execute(stmt))
    return ids


def import_events(
    session: Session, *, workspace_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> int:
    """Insert past events (every column given), skipping stored idempotency keys; how many."""
    _require_workspace(workspace_id, rows)
    return insert_many(session, EVENT, rows)


def import_responses(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    rows: Sequence[Mapping[str, Any]],
    definitions: Mapping[uuid.UUID, SurveyDefinition],
) -> int:
    """Insert completed responses and write their metric facts; how many were new.

    ``rows`` give every column of a response; ``definitions`` the survey definition of each
    ``survey_version_id`` they name. A response whose client id is stored is skipped with
    its facts.
    """
    _require_workspace(workspace_id, rows)
    stored = _stored_client_ids(session, workspace_id, [row["client_id"] for row in rows])
    new = [row for row in rows if row["client_id"] not in stored]
    insert_many(session, RESPONSE, new)
    write_facts(session, [(row, definitions[row["survey_version_id"]]) for row in new])
    return len(new)


def _stored_client_ids(
    session: Session, workspace_id: uuid.UUID, client_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for part in chunks(client_ids):
        stmt = select(RESPONSE.c.client_id).where(
            RESPONSE.c.workspace_id == workspace_id, RESPONSE.c.client_id.in_(part)
        )
        found.update(session.scalars(stmt))
    return found


def _require_workspace(workspace_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]) -> None:
    """Refuse rows of another workspace: a load never crosses tenants."""
    if any(row["workspace_id"] != workspace_id for row in rows):
        raise ValueError("rows of another workspace given to a load of this one")


def copy_completed_responses(
    session: Session,
    *,
    responses: Mapping[str, Sequence[Any]],
    facts: Mapping[str, Sequence[Any]],
) -> int:
    """Append completed responses and their metric facts, column by column; how many.

    The bulk path of a load into a range known to be empty (``simulation.load_responses``):
    no stored key is looked up or skipped, values come encoded as ``store.copy_columns``
    takes them, and the caller made each response's facts (the rows :func:`fact_rows`
    would give) and fills the rollups when it is done (``analytics.refill_rollups``).
    """
    count = copy_columns(session, RESPONSE, responses)
    copy_columns(session, FACT, facts)
    return count


def has_completed_since(session: Session, workspace_id: uuid.UUID, at: dt.datetime) -> bool:
    """Whether the workspace has a response completed at or after ``at``."""
    stmt = select(RESPONSE.c.id).where(
        RESPONSE.c.workspace_id == workspace_id, RESPONSE.c.completed_at >= at
    )
    return session.execute(stmt.limit(1)).first() is not None
