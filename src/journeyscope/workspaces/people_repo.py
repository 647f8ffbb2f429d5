"""Queries for people, their web sessions and failed sign-ins; rows become domain types here.

Every query about people is scoped to a workspace, except the two that come before anyone
is known: the person by address (signing in) and the session by its token's hash.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from journeyscope.store import new_id, tables
from journeyscope.workspaces.models import User, Workspace
from journeyscope.workspaces.repo import to_workspace
from journeyscope.workspaces.roles import Role


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session found by its token's hash, with its person and their workspace."""

    id: uuid.UUID
    expires_at: dt.datetime
    last_seen_at: dt.datetime
    user: User
    workspace: Workspace


def to_user(row: tables.User) -> User:
    """Domain view of a user row (without the hash)."""
    return User(
        id=row.id,
        workspace_id=row.workspace_id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        must_change_password=row.must_change_password,
        created_at=row.created_at,
        last_sign_in_at=row.last_sign_in_at,
    )


def get_user_by_email(session: Session, email: str) -> tables.User | None:
    """The person with this (lower-case) address, in whichever workspace: for signing in."""
    return session.scalars(select(tables.User).where(tables.User.email == email)).first()


def get_user(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> tables.User | None:
    """One person of the workspace."""
    return session.scalars(
        select(tables.User).where(
            tables.User.workspace_id == workspace_id, tables.User.id == user_id
        )
    ).first()


def list_users(session: Session, workspace_id: uuid.UUID) -> list[tables.User]:
    """The workspace's people, by address."""
    return list(
        session.scalars(
            select(tables.User)
            .where(tables.User.workspace_id == workspace_id)
            .order_by(tables.User.email)
        )
    )


def count_owners(session: Session, workspace_id: uuid.UUID) -> int:
    """How many owners the workspace has."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(tables.User)
            .where(tables.User.workspace_id == workspace_id, tables.User.role == Role.OWNER)
        )
        or 0
    )


def add_session(
    session: Session,
    *,
    user: tables.User,
    token_hash: str,
    expires_at: dt.datetime,
    now: dt.datetime,
) -> uuid.UUID:
    """Store a new web session of ``user``; its id."""
    row = tables.WebSession(
        workspace_id=user.workspace_id,
        user_id=user.id,
        token_hash=token_hash,
        created_at=now,
        expires_at=expires_at,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def get_session(session: Session, token_hash: str) -> StoredSession | None:
    """The session with this token hash, its person and their workspace, in one query."""
    found = session.execute(
        select(tables.WebSession, tables.User, tables.Workspace)
        .join(tables.User, tables.User.id == tables.WebSession.user_id)
        .join(tables.Workspace, tables.Workspace.id == tables.WebSession.workspace_id)
        .where(tables.WebSession.token_hash == token_hash)
    ).first()
    if found is None:
        return None
    web_session, user, space = found
    return StoredSession(
        id=web_session.id,
        expires_at=web_session.expires_at,
        last_seen_at=web_session.last_seen_at,
        user=to_user(user),
        workspace=to_workspace(space),
    )


def touch_session(session: Session, session_id: uuid.UUID, now: dt.datetime) -> None:
    """Record that the session was used now."""
    session.execute(
        update(tables.WebSession).where(tables.WebSession.id == session_id).values(last_seen_at=now)
    )


def delete_session(session: Session, *, token_hash: str) -> None:
    """End one session."""
    session.execute(delete(tables.WebSession).where(tables.WebSession.token_hash == token_hash))


def delete_sessions_of(
    session: Session, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> None:
    """End every session of a person (but ``keep``, the one changing the password)."""
    stmt = delete(tables.WebSession).where(tables.WebSession.user_id == user_id)
    if keep is not None:
        stmt = stmt.where(tables.WebSession.id != keep)
    session.execute(stmt)


def recent_failures(session: Session, subject: str, since: dt.datetime) -> list[dt.datetime]:
    """When sign-ins for ``subject`` failed after ``since``."""
    return list(
        session.scalars(
            select(tables.SignInFailure.failed_at).where(
                tables.SignInFailure.subject == subject, tables.SignInFailure.failed_at > since
            )
        )
    )


def add_failures(session: Session, subjects: Sequence[str], now: dt.datetime) -> None:
    """Record a failed sign-in for each subject."""
    session.execute(
        insert(tables.SignInFailure),
        [{"id": new_id(), "subject": s, "failed_at": now} for s in subjects],
    )


def forget_failures_of(session: Session, subject: str) -> None:
    """Delete every failure of ``subject`` (the account signed in after all)."""
    session.execute(delete(tables.SignInFailure).where(tables.SignInFailure.subject == subject))


def prune_failures(session: Session, before: dt.datetime) -> None:
    """Delete failures older than ``before``: the throttle no longer counts them."""
    session.execute(delete(tables.SignInFailure).where(tables.SignInFailure.failed_at < before))
