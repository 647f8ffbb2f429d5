"""Workspace and API key types as the rest of the code sees them (no ORM objects)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated

from pydantic import ConfigDict, Field

from journeyscope.inputs import StrictInput
from journeyscope.workspaces.roles import Role

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


@dataclass(frozen=True, slots=True)
class Workspace:
    """A tenant: one company or brand."""

    id: uuid.UUID
    slug: str
    name: str
    created_at: dt.datetime
    recontact_days: int = 14
    invitation_cap: int = 4
    invitation_cap_days: int = 90
    segments: tuple[str, ...] = ()
    """Contact attributes analytics groups by (``segment:<name>``), snapshotted at completion."""


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


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the workspace every query of the request is scoped to, and the key.

    Both are as they were when the key was last checked against the database (at most
    ``AUTH_CACHE_SECONDS`` ago, see :mod:`journeyscope.workspaces.auth_cache`).
    """

    workspace: Workspace
    key: ApiKey


class ContactLimits(StrictInput):
    """How often one customer may be asked, across every survey and channel.

    Fields left out stay as they are. The recontact period applies to invitations and to the
    widget; the cap counts invitations sent in the cap period.
    """

    model_config = ConfigDict(extra="forbid")

    recontact_days: int | None = Field(
        default=None,
        strict=True,  # JSON true is not a number of days
        ge=0,
        le=365,
        description="After a customer is asked anything (invitation or widget), ask nothing "
        "more for this many days (0: no period).",
    )
    invitation_cap: int | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=1000,
        description="At most this many invitations per contact (0: no cap) ...",
    )
    invitation_cap_days: int | None = Field(
        default=None, strict=True, ge=1, le=365, description="... in this many days."
    )


SegmentName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")]


class WorkspaceChanges(ContactLimits):
    """Changes to a workspace's settings: its contact limits and its segments.

    Fields left out stay as they are.
    """

    segments: list[SegmentName] | None = Field(
        default=None,
        max_length=20,
        description="The contact attributes that are segments (e.g. `tier`, `region`, "
        "`plan`), at most 20. When a response completes, its contact's current values of "
        "these attributes are copied onto it; metrics can then be grouped by "
        "`segment:<name>`. Responses completed before an attribute became a segment have no "
        "value for it. The whole list is replaced.",
    )


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in to the web UI; never the password or its hash."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    email: str
    name: str
    role: Role
    must_change_password: bool
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewUser:
    """A person just added; ``password`` is set when Journeyscope generated it (shown once)."""

    user: User
    password: str | None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The person behind a browser's session cookie, with their workspace and role as of now.

    ``csrf_token`` is what every form of this session must send back (``_csrf``): derived
    from the session's secret token, so it is unguessable without the cookie and needs no
    storage.
    """

    user: User
    workspace: Workspace
    session_id: uuid.UUID
    csrf_token: str
    expires_at: dt.datetime

    @property
    def role(self) -> Role:
        """The person's role in :attr:`workspace`."""
        return self.user.role


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A sign-in that worked: the cookie's token (shown to the browser only) and who it is."""

    token: str
    signed_in: SignedIn
