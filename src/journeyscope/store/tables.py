"""The tables of the foundation: tenants, credentials, journeys, contacts and events.

Every domain row carries ``workspace_id`` so that every query can (and must) be scoped to one
tenant. Only ``repo.py`` modules of the domains use these classes; ORM objects never leave them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from journeyscope.store.types import JSONType, UTCDateTime, clock_now, new_id, new_public_id

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention.

    The convention makes Alembic name constraints the same way on SQLite (batch mode) and
    PostgreSQL.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime,
        dict[str, Any]: JSONType,
    }


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, default=new_id)


def _workspace_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=False)


def _created() -> Mapped[dt.datetime]:
    return mapped_column(default=clock_now)


def _public_id() -> Mapped[str]:
    return mapped_column(String(24), unique=True, default=new_public_id)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK that ``column`` holds one of ``values`` (plain identifiers only)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Workspace(Base):
    """A tenant: one company or brand."""

    __tablename__ = "workspace"
    id: Mapped[uuid.UUID] = _id()
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    recontact_days: Mapped[int] = mapped_column(default=14, server_default="14")
    invitation_cap: Mapped[int] = mapped_column(default=4, server_default="4")
    invitation_cap_days: Mapped[int] = mapped_column(default=90, server_default="90")
    segments: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default="[]")
    """The contact attributes analytics group by (``tier``, ``region``, ...), in order."""
    created_at: Mapped[dt.datetime] = _created()


class ApiKey(Base):
    """A credential for the API; the secret is never stored, only its HMAC-SHA-256 digest.

    Keys made before that scheme hold an argon2 hash until their first use replaces it
    (``workspaces/keys.py`` explains both).
    """

    __tablename__ = "api_key"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = _created()
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    __table_args__ = (Index(None, "workspace_id"),)


USER_ROLES = ("viewer", "analyst", "admin", "owner")
"""Every role of a person, lowest first: the values of ``workspaces.Role``. Spelled out here
because the store imports no domain; a unit test keeps the two equal."""


class User(Base):
    """A person who signs in to the web UI: one workspace, one role, an argon2id hash.

    An address belongs to one person in one workspace (``email`` is unique, lower case), so
    signing in needs no workspace name. ``must_change_password``: the password was made by
    someone else (an owner's invitation, ``users add``) and is for one sign-in only.
    """

    __tablename__ = "user"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), default="viewer")
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = _created()
    last_sign_in_at: Mapped[dt.datetime | None]
    __table_args__ = (
        Index(None, "workspace_id"),
        CheckConstraint(one_of("role", USER_ROLES), name="role"),
    )


class WebSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie's token is kept.

    It ends at ``expires_at`` (fixed at sign-in) or when unused for the idle time
    (``last_seen_at``, written at most once a minute), at sign-out, or with its person.
    """

    __tablename__ = "web_session"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = _created()
    expires_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    __table_args__ = (Index(None, "user_id"), Index(None, "workspace_id"))


class SignInFailure(Base):
    """One failed sign-in, counted by the throttle for a while and then deleted.

    ``subject`` is a SHA-256 of ``account:<address>`` or ``ip:<client>``: what is throttled,
    without keeping addresses typed by strangers. Not a workspace's row: it comes before anyone
    is known.
    """

    __tablename__ = "sign_in_failure"
    id: Mapped[uuid.UUID] = _id()
    subject: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime]
    __table_args__ = (Index(None, "subject", "failed_at"), Index(None, "failed_at"))


class Journey(Base):
    """A journey: ordered stages with touchpoints."""

    __tablename__ = "journey"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    key: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)


class Stage(Base):
    """One stage of a journey; ``position`` orders the stages."""

    __tablename__ = "stage"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    journey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("journey.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    customer_actions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    position: Mapped[int]
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (UniqueConstraint("journey_id", "key"), Index(None, "workspace_id"))


class Touchpoint(Base):
    """Where a stage meets the customer, on one channel. Keys are unique per journey."""

    __tablename__ = "touchpoint"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    journey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("journey.id", ondelete="CASCADE"))
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int]
    public_id: Mapped[str] = _public_id()
    quarantine_days: Mapped[int | None]
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (
        UniqueConstraint("journey_id", "key"),
        Index(None, "stage_id"),
        Index(None, "workspace_id"),
    )


class Contact(Base):
    """A customer or prospect; ``external_id`` is the id in the company's own systems."""

    __tablename__ = "contact"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    external_id: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(35))
    timezone: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)


class Event(Base):
    """Something that happened in the company's systems; stored once per idempotency key."""

    __tablename__ = "event"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    type: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime] = mapped_column(default=clock_now)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL")
    )
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key"),
        Index(None, "workspace_id", "id"),
        Index(None, "workspace_id", "type", "occurred_at"),
        Index(None, "contact_id"),
    )


class Survey(Base):
    """A questionnaire attached (optionally) to a touchpoint; ``draft`` is the editable copy.

    Publishing copies the draft into a new :class:`SurveyVersion`, which never changes again:
    responses keep the version they answered.
    """

    __tablename__ = "survey"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    key: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    touchpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="SET NULL")
    )
    template_key: Mapped[str | None] = mapped_column(String(63))
    public_id: Mapped[str] = _public_id()
    targeting: Mapped[dict[str, Any]] = mapped_column(default=dict)
    draft: Mapped[dict[str, Any]]
    published_version: Mapped[int | None]
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (UniqueConstraint("workspace_id", "key"), Index(None, "touchpoint_id"))


class SurveyVersion(Base):
    """A published, frozen survey definition; ``number`` counts 1, 2, 3 per survey."""

    __tablename__ = "survey_version"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int]
    definition: Mapped[dict[str, Any]]
    published_at: Mapped[dt.datetime] = _created()
    __table_args__ = (UniqueConstraint("survey_id", "number"), Index(None, "workspace_id"))


class Response(Base):
    """One respondent's answers to one survey version, saved page by page.

    ``client_id`` is the UUID the client made, so a resent submission is stored once.
    """

    __tablename__ = "response"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    client_id: Mapped[uuid.UUID]
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    survey_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("survey_version.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL")
    )
    touchpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str | None] = mapped_column(String(35))
    device_class: Mapped[str | None] = mapped_column(String(16))
    page_url: Mapped[str | None] = mapped_column(String(2048))
    app_screen: Mapped[str | None] = mapped_column(String(200))
    app_version: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_complete: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    completed_at: Mapped[dt.datetime | None]
    __table_args__ = (
        UniqueConstraint("workspace_id", "client_id"),
        Index(None, "workspace_id", "survey_id", "id"),
        Index(None, "contact_id"),
    )


class MetricFact(Base):
    """One score answer (NPS, CSAT, CES, rating) with the dimensions analytics group by.

    Narrow on purpose: stage is derived from the touchpoint, and rollups come later.
    """

    __tablename__ = "metric_fact"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(63))
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[float]
    scale_min: Mapped[int]
    scale_max: Mapped[int]
    touchpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(32))
    day: Mapped[dt.date]
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        Index(None, "workspace_id", "metric", "day"),
        Index(None, "workspace_id", "touchpoint_id", "day"),
    )


class ResponseSegment(Base):
    """A segment attribute's value on the contact when the response completed (a snapshot).

    Written once, in the completion's transaction, for each of the workspace's segments the
    contact had; a later change to the contact does not rewrite it.
    """

    __tablename__ = "response_segment"
    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    attribute: Mapped[str] = mapped_column(String(63), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    value: Mapped[str] = mapped_column(String(200))
    __table_args__ = (Index(None, "workspace_id", "attribute"),)


NO_TOUCHPOINT = uuid.UUID(int=0)
"""What the rollups key a fact without a touchpoint by (a key column cannot be NULL)."""


HISTOGRAM_SIZE = 11
"""Score columns a rollup row holds: ``h0`` counts ``scale_min``, ``h1`` the next score, ...

Every scored question has at most 11 points (NPS 0-10, ratings up to 1-11)."""
HISTOGRAM = tuple(f"h{i}" for i in range(HISTOGRAM_SIZE))


ROLLUP_OPTIONS: Any = {"sqlite_with_rowid": False}
"""Rollups are clustered by their key on SQLite (the key leads with workspace, metric, day:
a query's range is one contiguous read, and a save updates one B-tree per rollup)."""


def _count() -> Any:
    """One score column of a rollup's histogram."""
    return mapped_column(default=0, server_default="0")


class _Histogram:
    """The score columns every rollup ends with, after the key columns it declares itself.

    ``h0`` ... ``h10`` count the answers scoring ``scale_min`` + 0 ... 10.
    """

    h0: Mapped[int] = _count()
    h1: Mapped[int] = _count()
    h2: Mapped[int] = _count()
    h3: Mapped[int] = _count()
    h4: Mapped[int] = _count()
    h5: Mapped[int] = _count()
    h6: Mapped[int] = _count()
    h7: Mapped[int] = _count()
    h8: Mapped[int] = _count()
    h9: Mapped[int] = _count()
    h10: Mapped[int] = _count()


class MetricRollup(_Histogram, Base):
    """Score histograms: how many answers gave each score, per day and narrow dimensions.

    One row per day and key holds the whole histogram of its scale (``h0`` ... ``h10``:
    answers scoring ``scale_min`` + 0 ... 10), so a query reads one row where a row per
    score would be up to 11. Kept current in the transaction that completes a response
    (``analytics.rollups``); every estimate and interval is computed from these counts.
    ``touchpoint_id`` is :data:`NO_TOUCHPOINT` for facts without one (no foreign key: a
    deleted touchpoint's rows stay until ``journeyscope analytics rebuild``).
    """

    __tablename__ = "metric_rollup"
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    touchpoint_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(63), primary_key=True)
    scale_min: Mapped[int] = mapped_column(primary_key=True)
    scale_max: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = ROLLUP_OPTIONS


class MetricRollupWeek(_Histogram, Base):
    """:class:`MetricRollup` by ISO week: ``day`` is the week's Monday.

    Kept beside the daily rows in the same transaction, so that a query by week (or over a
    long period) reads a seventh of the rows: whole weeks come from here, the days at the
    period's edges from :class:`MetricRollup`.
    """

    __tablename__ = "metric_rollup_week"
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    touchpoint_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(63), primary_key=True)
    scale_min: Mapped[int] = mapped_column(primary_key=True)
    scale_max: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = ROLLUP_OPTIONS


class SegmentRollup(_Histogram, Base):
    """Score histograms per day, touchpoint and the value of one dimension.

    ``dimension`` is ``segment:<attribute>`` for a workspace segment (from
    :class:`ResponseSegment`), or ``language`` / ``device_class`` (from the response).
    Scores as in :class:`MetricRollup`.
    """

    __tablename__ = "segment_rollup"
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(72), primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    touchpoint_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    scale_min: Mapped[int] = mapped_column(primary_key=True)
    scale_max: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = ROLLUP_OPTIONS


class SurveyDisplay(Base):
    """A survey shown by the widget or a native app to one visitor: what targeting rules read.

    ``visitor`` is ``contact:<external id>`` once the visitor is identified, else
    ``anon:<uuid>`` from the visitor's browser; the recontact period and show-once look it up.
    """

    __tablename__ = "survey_display"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    visitor: Mapped[str] = mapped_column(String(300))
    shown_at: Mapped[dt.datetime] = _created()
    dismissed_at: Mapped[dt.datetime | None]
    responded_at: Mapped[dt.datetime | None]
    __table_args__ = (
        Index(None, "workspace_id", "visitor", "shown_at"),
        Index(None, "survey_id"),
    )


class TriggerRule(Base):
    """When an event of ``event_type`` (and ``condition``, in CEL) happens, invite its contact.

    The invitation is planned in the event's own transaction and sent after ``delay_seconds``,
    inside the send window in the contact's time zone.
    """

    __tablename__ = "trigger_rule"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    key: Mapped[str] = mapped_column(String(63))
    event_type: Mapped[str] = mapped_column(String(100))
    condition: Mapped[str] = mapped_column(Text, default="")
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index(None, "workspace_id", "event_type"),
    )


INVITATION_STATES = (
    *("scheduled", "sending", "sent", "opened", "started", "completed"),
    *("suppressed", "failed", "expired", "bounced"),
)
"""Every state an invitation row may hold: the values of orchestration's ``InvitationState``.

Spelled out here because the store imports no domain; a unit test keeps the two equal.
"""


class Invitation(Base):
    """One planned request for feedback, through its life: a durable outbox row.

    States: scheduled -> sending -> sent -> opened -> started -> completed, or suppressed,
    failed, expired, bounced (:data:`INVITATION_STATES`, held by a CHECK constraint).
    ``reason`` says why a row was suppressed or failed.
    ``dedup_key`` makes one event plan one invitation per rule, however often it is replayed.
    """

    __tablename__ = "invitation"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("trigger_rule.id", ondelete="SET NULL")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    touchpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    dedup_key: Mapped[str | None] = mapped_column(String(255))
    nonce: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    due_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[dt.datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[dt.datetime | None]
    opened_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    reminder_due_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = _created()
    updated_at: Mapped[dt.datetime] = mapped_column(default=clock_now, onupdate=clock_now)
    __table_args__ = (
        UniqueConstraint("workspace_id", "dedup_key"),
        CheckConstraint(one_of("state", INVITATION_STATES), name="state"),
        Index(None, "state", "due_at"),
        Index(None, "workspace_id", "contact_id", "sent_at"),
        Index(None, "workspace_id", "survey_id", "state"),
        Index(None, "reminder_due_at"),  # due reminders are found every pass
    )


class ContactChannel(Base):
    """A contact's standing on one channel: consented, unsubscribed or bounced, and when."""

    __tablename__ = "contact_channel"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[dt.datetime] = _created()
    __table_args__ = (UniqueConstraint("contact_id", "channel"), Index(None, "workspace_id"))


ANALYSIS_STATES = ("imported", "queued", "analysing", "analysed", "failed")
"""Every state of an interview's or a verbatim's analysis: the values of ``AnalysisStatus``
(interviews). Spelled out here because the store imports no domain; a unit test keeps the two
equal."""


class Interview(Base):
    """A qualitative interview: its participant, the journey it explores, how it was imported.

    ``warnings`` are the importer's and role detection's notes, in words. ``analyzed_at`` and
    ``model`` are set when the analysis is stored (``None`` until then). ``redacted`` records
    whether PII was taken out before the utterances were stored.

    The analysis queue (:data:`ANALYSIS_STATES`): ``status`` with ``due_at`` (when a queued row
    may be claimed), ``claimed_until`` (the lease of the worker analysing it), ``attempts``
    (claims so far) and ``failure`` (why the last attempt failed).
    """

    __tablename__ = "interview"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    journey_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("journey.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    participant: Mapped[str | None] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(16))
    source_filename: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str | None] = mapped_column(String(35))
    interviewed_at: Mapped[dt.datetime | None]
    imported_at: Mapped[dt.datetime] = _created()
    redacted: Mapped[bool] = mapped_column(default=False)
    warnings: Mapped[list[str]] = mapped_column(JSONType, default=list)
    analyzed_at: Mapped[dt.datetime | None]
    model: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="imported")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[dt.datetime | None]
    claimed_until: Mapped[dt.datetime | None]
    failure: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index(None, "workspace_id", "journey_id", "id"),
        Index(None, "status", "due_at"),  # the worker's claim
        CheckConstraint(one_of("status", ANALYSIS_STATES), name="status"),
    )


class InterviewUtterance(Base):
    """One turn of an interview, in transcript order, with what the analysis found in it.

    ``annotation`` is the NLP annotation as JSON (customer turns); ``question_kind`` the kind
    of question an interviewer asked; ``stage``/``touchpoint`` are journey keys.
    """

    __tablename__ = "interview_utterance"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    position: Mapped[int]
    speaker: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    start_s: Mapped[float | None]
    end_s: Mapped[float | None]
    source_start: Mapped[int | None]
    source_end: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    annotation: Mapped[dict[str, Any] | None]
    stage: Mapped[str | None] = mapped_column(String(63))
    stage_confidence: Mapped[float | None]
    touchpoint: Mapped[str | None] = mapped_column(String(63))
    touchpoint_confidence: Mapped[float | None]
    question_kind: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("interview_id", "position"), Index(None, "workspace_id"))


class InterviewFinding(Base):
    """An evidence-backed insight from one interview; ``quotes`` link it to its utterances."""

    __tablename__ = "interview_finding"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(String(63))
    touchpoint: Mapped[str | None] = mapped_column(String(63))
    emotion: Mapped[str | None] = mapped_column(String(63))
    intensity: Mapped[float] = mapped_column(default=0.0)
    quotes: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    follow_ups: Mapped[list[str]] = mapped_column(JSONType, default=list)
    __table_args__ = (UniqueConstraint("interview_id", "position"), Index(None, "workspace_id"))


class Verbatim(Base):
    """One open-text answer of a completed response, queued for and then holding its analysis.

    Queued in the transaction that completes the response (``status`` ``queued``, no text yet:
    the answer stays in ``response.answers``); the worker claims it like an interview
    (``due_at``, ``claimed_until``, ``attempts``, ``failure``) and stores the text as analysed
    (``text``: redacted of e-mails, phone and card numbers), its ``annotation`` (the NLP
    annotation as JSON), ``valence``, ``emotion`` (the strongest, if any) and ``is_minimized``
    for rollups, and its sentence ``embedding`` (float32 bytes) for themes. ``touchpoint_id``
    and ``answered_at`` are the response's, copied so summaries by touchpoint (and its stage)
    and period read one table.
    """

    __tablename__ = "verbatim"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    response_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(63))
    touchpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="SET NULL")
    )
    answered_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[dt.datetime | None]
    claimed_until: Mapped[dt.datetime | None]
    failure: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    annotation: Mapped[dict[str, Any] | None]
    valence: Mapped[float | None]
    emotion: Mapped[str | None] = mapped_column(String(32))
    is_minimized: Mapped[bool | None]
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    model: Mapped[str | None] = mapped_column(String(200))
    analysed_at: Mapped[dt.datetime | None]
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        Index(None, "status", "due_at"),  # the worker's claim
        Index(None, "workspace_id", "touchpoint_id", "answered_at"),  # summaries
        CheckConstraint(one_of("status", ANALYSIS_STATES), name="status"),
    )


class MetricChange(Base):
    """A level shift the change-detection pass found in one touchpoint's daily metric series.

    The current findings only: each pass replaces the workspace's rows (``analytics.changes``
    run by the worker). ``statistic`` is what the series held (``nps`` on -1…1, ``top2``
    share, ``mean`` score); ``size`` (after - before, deseasonalised) has its interval
    ``low``…``high``; ``detected_at`` is when a pass first reported this change (kept across
    passes while the change keeps its touchpoint, metric and first day). Stage is derived from
    the touchpoint when read.
    """

    __tablename__ = "metric_change"
    id: Mapped[uuid.UUID] = _id()
    workspace_id: Mapped[uuid.UUID] = _workspace_fk()
    touchpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("touchpoint.id", ondelete="CASCADE")
    )
    metric: Mapped[str] = mapped_column(String(16))
    statistic: Mapped[str] = mapped_column(String(8))
    started_on: Mapped[dt.date]
    direction: Mapped[str] = mapped_column(String(4))
    size: Mapped[float]
    low: Mapped[float]
    high: Mapped[float]
    before: Mapped[float]
    after: Mapped[float]
    p_value: Mapped[float]
    n_before: Mapped[int]
    n_after: Mapped[int]
    is_recent: Mapped[bool]
    confidence: Mapped[float]
    detected_at: Mapped[dt.datetime]
    __table_args__ = (
        Index(None, "workspace_id", "started_on"),
        Index(None, "touchpoint_id"),
    )
