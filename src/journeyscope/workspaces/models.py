"""Workspace and API key types as the rest of the code sees them (no ORM objects)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


@dataclass(frozen=True, slots=True)
class Workspace:
    """A tenant: one company or brand."""

    id: uuid.UUID
    slug: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key's public facts; the secret is never kept."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A key just created: ``token`` is shown to the user once and never again."""

    key: ApiKey
    token: str
