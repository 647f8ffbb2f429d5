"""Queries for workspaces and API keys; ORM rows are turned into domain types here."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import Session

from journeyscope.store import tables
from journeyscope.workspaces.models import ApiKey, Workspace

WORKSPACE_FIELDS = (
    "id",
    "slug",
    "name",
    "created_at",
    "recontact_days",
    "invitation_cap",
    "invitation_cap_days",
    "segments",
)
KEY_FIELDS = ("id", "workspace_id", "name", "prefix", "created_at", "last_used_at", "revoked_at")


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A key found by its prefix: what the API sees of it, its workspace and its stored hash."""

    key: ApiKey
    workspace: Workspace
    secret_hash: str


def to_workspace(row: tables.Workspace) -> Workspace:
    """Domain view of a workspace row."""
    return Workspace(
        id=row.id,
        slug=row.slug,
        name=row.name,
        created_at=row.created_at,
        recontact_days=row.recontact_days,
        invitation_cap=row.invitation_cap,
        invitation_cap_days=row.invitation_cap_days,
        segments=tuple(row.segments),
    )


def to_api_key(row: tables.ApiKey) -> ApiKey:
    """Domain view of an API key row (without the hash)."""
    return ApiKey(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def get_workspace(session: Session, workspace_id: uuid.UUID) -> tables.Workspace:
    """The workspace with this id (the caller's own, so it exists)."""
    return session.get_one(tables.Workspace, workspace_id)


def get_workspace_by_slug(session: Session, slug: str) -> tables.Workspace | None:
    """The workspace with ``slug``, if any."""
    return session.scalars(select(tables.Workspace).where(tables.Workspace.slug == slug)).first()


def list_workspaces(session: Session) -> list[tables.Workspace]:
    """All workspaces, oldest first (for operators, never for API callers)."""
    return list(session.scalars(select(tables.Workspace).order_by(tables.Workspace.id)))


@functools.cache
def _key_by_prefix() -> Select[Any]:
    """Key and workspace columns by prefix, in Core and built once."""
    key, space = tables.ApiKey.__table__.c, tables.Workspace.__table__.c
    return (
        select(
            *(key[name].label(f"key_{name}") for name in KEY_FIELDS),
            key.secret_hash,
            *(space[name].label(f"space_{name}") for name in WORKSPACE_FIELDS),
        )
        .join_from(tables.ApiKey.__table__, tables.Workspace.__table__)
        .where(key.prefix == bindparam("prefix"))
    )


def get_key_and_workspace(session: Session, prefix: str) -> StoredKey | None:
    """The API key with ``prefix`` and its workspace, in one query.

    It runs for every token not checked in the last seconds, bad ones included, so it reads
    plain rows rather than ORM objects.
    """
    row = session.execute(_key_by_prefix(), {"prefix": prefix}).first()
    if row is None:
        return None
    values = row._mapping
    space = {name: values[f"space_{name}"] for name in WORKSPACE_FIELDS}
    return StoredKey(
        key=ApiKey(**{name: values[f"key_{name}"] for name in KEY_FIELDS}),
        workspace=Workspace(**(space | {"segments": tuple(space["segments"])})),
        secret_hash=values["secret_hash"],
    )


def get_key(session: Session, workspace_id: uuid.UUID, key_id: uuid.UUID) -> tables.ApiKey | None:
    """One key of the workspace."""
    return session.scalars(
        select(tables.ApiKey).where(
            tables.ApiKey.workspace_id == workspace_id, tables.ApiKey.id == key_id
        )
    ).first()


def list_keys(session: Session, workspace_id: uuid.UUID) -> list[tables.ApiKey]:
    """The workspace's keys, oldest first."""
    return list(
        session.scalars(
            select(tables.ApiKey)
            .where(tables.ApiKey.workspace_id == workspace_id)
            .order_by(tables.ApiKey.id)
        )
    )


def set_key_hash(session: Session, key_id: uuid.UUID, secret_hash: str) -> None:
    """Replace a key's stored hash (a legacy argon2 hash by the HMAC form)."""
    session.execute(
        update(tables.ApiKey).where(tables.ApiKey.id == key_id).values(secret_hash=secret_hash)
    )


def touch_key(session: Session, key_id: uuid.UUID, now: dt.datetime) -> None:
    """Record use of a key, at most about once a minute so reads do not turn into writes."""
    session.execute(
        update(tables.ApiKey)
        .where(tables.ApiKey.id == key_id)
        .where(
            (tables.ApiKey.last_used_at.is_(None))
            | (tables.ApiKey.last_used_at < now - dt.timedelta(minutes=1))
        )
        .values(last_used_at=now)
    )
