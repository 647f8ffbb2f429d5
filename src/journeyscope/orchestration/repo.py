"""Queries of the orchestration domain: rules, the invitation outbox, contact history.

Planning and dispatch read the history of a whole batch of contacts at once
(:func:`histories`): a handful of grouped queries, whatever the number of events or rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from journeyscope.orchestration.policies import History
from journeyscope.orchestration.rules import RuleSettings, stored_settings
from journeyscope.store import new_id, tables

Invitation = tables.Invitation
ASKED_STATES = ("sent", "opened", "started", "completed")
CHUNK = 500
"""Ids per ``IN (...)`` list: far below SQLite's and PostgreSQL's parameter limits."""
T = TypeVar("T")


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    listed = list(items)
    for start in range(0, len(listed), CHUNK):
        yield listed[start : start + CHUNK]


def enabled_rules(
    session: Session, workspace_id: uuid.UUID, event_types: Sequence[str]
) -> list[tables.TriggerRule]:
    """The workspace's enabled rules for these event types (one query per batch)."""
    rule = tables.TriggerRule
    stmt = select(rule).where(
        rule.workspace_id == workspace_id, rule.enabled.is_(True), rule.event_type.in_(event_types)
    )
    return list(session.scalars(stmt.order_by(rule.id)))


@functools.cache
def _enabled_rule_probe(one_type: bool) -> Select[Any]:
    rule = tables.TriggerRule.__table__.c
    listens = (
        rule.event_type == bindparam("types")
        if one_type  # a single event: no IN list to expand on every call
        else rule.event_type.in_(bindparam("types", expanding=True))
    )
    return (
        select(rule.id)
        .where(rule.workspace_id == bindparam("workspace_id"), rule.enabled.is_(True), listens)
        .limit(1)
    )


def has_enabled_rule(session: Session, workspace_id: uuid.UUID, event_types: Sequence[str]) -> bool:
    """Whether any enabled rule listens to one of these event types: one indexed Core lookup.

    The event hot path asks this first, so a workspace without rules pays one tiny query
    (its statement is built once).
    """
    one_type = len(event_types) == 1
    types = event_types[0] if one_type else list(event_types)
    params = {"workspace_id": workspace_id, "types": types}
    return session.execute(_enabled_rule_probe(one_type), params).first() is not None


def invitations(session: Session, ids: Iterable[uuid.UUID]) -> list[tables.Invitation]:
    """The invitations with these ids."""
    found: list[tables.Invitation] = []
    for part in _chunks(ids):
        found += session.scalars(select(Invitation).where(Invitation.id.in_(part)))
    return found


def answered(
    session: Session, workspace_id: uuid.UUID, responses: Mapping[uuid.UUID, uuid.UUID]
) -> set[uuid.UUID]:
    """Which invitations have a response with answers, from ``{response id: invitation id}``.

    Whatever the door the answers came through (hosted page, phone, API): one query per
    :data:`CHUNK` invitations, on the response's unique ``(workspace_id, client_id)``.
    """
    response = tables.Response
    found: set[uuid.UUID] = set()
    for part in _chunks(responses):
        stmt = select(response.client_id, response.answers).where(
            response.workspace_id == workspace_id, response.client_id.in_(part)
        )
        found |= {responses[row.client_id] for row in session.execute(stmt) if row.answers}
    return found


def rule_settings(session: Session, rule_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, RuleSettings]:
    """The settings of these rules, by rule id (rules deleted since are missing)."""
    rule = tables.TriggerRule
    wanted = set(rule_ids)
    if not wanted:
        return {}
    stmt = select(rule.id, rule.settings).where(rule.id.in_(wanted))
    return {row.id: stored_settings(row.settings) for row in session.execute(stmt)}


def survey_targets(session: Session, survey_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Per survey: whether it is published, its touchpoint and that touchpoint's quarantine."""
    survey, point = tables.Survey, tables.Touchpoint
    stmt = (
        select(
            survey.id,
            survey.published_version,
            survey.archived_at,
            survey.touchpoint_id,
            point.quarantine_days,
        )
        .outerjoin(point, point.id == survey.touchpoint_id)
        .where(survey.id.in_(survey_ids))
    )
    return {row.id: row for row in session.execute(stmt)}


def quarantines(
    session: Session, touchpoint_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, int]:
    """The quarantine days of these touchpoints (those without one are missing)."""
    point = tables.Touchpoint
    wanted = {t for t in touchpoint_ids if t is not None}
    if not wanted:
        return {}
    stmt = select(point.id, point.quarantine_days).where(point.id.in_(wanted))
    return {row.id: row.quarantine_days for row in session.execute(stmt) if row.quarantine_days}


def contacts(session: Session, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Contact rows by id."""
    found: dict[uuid.UUID, Any] = {}
    for part in _chunks(set(contact_ids)):
        stmt = select(tables.Contact).where(tables.Contact.id.in_(part))
        found.update((row.id, row) for row in session.scalars(stmt))
    return found


def workspace_limits(session: Session, workspace_id: uuid.UUID) -> tuple[int, int, int]:
    """``(recontact_days, invitation_cap, invitation_cap_days)`` of the workspace."""
    space = tables.Workspace
    row = session.execute(
        select(space.recontact_days, space.invitation_cap, space.invitation_cap_days).where(
            space.id == workspace_id
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


@dataclass(frozen=True, slots=True)
class ContactHistory:
    """What the database knows of one contact, for any channel and touchpoint."""

    email: str | None
    phone: str | None
    last_asked_at: dt.datetime | None = None  # any invitation sent or widget survey shown
    asked_in_cap_period: int = 0
    asked_here_at: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)  # by channel

    def on(self, channel: str, touchpoint_id: uuid.UUID | None) -> History:
        """The :class:`History` policies check for one channel and touchpoint."""
        address = self.email if channel == "email" else self.phone
        return History(
            has_address=bool(address),
            channel_status=self.statuses.get(channel),
            last_asked_at=self.last_asked_at,
            last_asked_here_at=self.asked_here_at.get(touchpoint_id) if touchpoint_id else None,
            asked_in_cap_period=self.asked_in_cap_period,
        )


@dataclass
class _Found:
    last_invited: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)
    in_period: dict[uuid.UUID, int] = field(default_factory=dict)
    here: dict[uuid.UUID, dict[uuid.UUID, dt.datetime]] = field(default_factory=dict)
    shown: dict[str, dt.datetime] = field(default_factory=dict)
    statuses: dict[uuid.UUID, dict[str, str]] = field(default_factory=dict)


def histories(
    session: Session,
    workspace_id: uuid.UUID,
    people: Sequence[Any],
    *,
    touchpoint_ids: Iterable[uuid.UUID | None],
    since_cap: dt.datetime,
) -> dict[uuid.UUID, ContactHistory]:
    """The history of each of ``people`` (contact rows), by contact id.

    Four grouped queries per :data:`CHUNK` contacts (three without touchpoints): invitations
    sent (latest, and how many since ``since_cap``), the latest per touchpoint, widget displays
    under ``contact:<external id>``, and channel statuses.
    """
    found = _Found()
    points = list({t for t in touchpoint_ids if t is not None})
    for part in _chunks({p.id: p for p in people}.values()):
        ids = [p.id for p in part]
        _read_invitations(session, workspace_id, ids, since_cap, found)
        if points:
            _read_here(session, workspace_id, ids, points, found)
        _read_displays(session, workspace_id, [p.external_id for p in part], found)
        _read_statuses(session, workspace_id, ids, found)
    return {p.id: _history_of(p, found) for p in people}


def _history_of(person: Any, found: _Found) -> ContactHistory:
    moments = [
        m
        for m in (found.last_invited.get(person.id), found.shown.get(person.external_id))
        if m is not None
    ]
    return ContactHistory(
        email=person.email,
        phone=person.phone,
        last_asked_at=max(moments) if moments else None,
        asked_in_cap_period=found.in_period.get(person.id, 0),
        asked_here_at=found.here.get(person.id, {}),
        statuses=found.statuses.get(person.id, {}),
    )


def _asked(workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> tuple[Any, ...]:
    return (
        Invitation.workspace_id == workspace_id,
        Invitation.contact_id.in_(ids),
        Invitation.state.in_(ASKED_STATES),
    )


def _read_invitations(
    session: Session,
    workspace_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    since_cap: dt.datetime,
    found: _Found,
) -> None:
    in_period = func.sum(case((Invitation.sent_at >= since_cap, 1), else_=0))
    stmt = (
        select(Invitation.contact_id, func.max(Invitation.sent_at), in_period)
        .where(*_asked(workspace_id, ids))
        .group_by(Invitation.contact_id)
    )
    for contact_id, last, count in session.execute(stmt):
        if last is not None:
            found.last_invited[contact_id] = last
        found.in_period[contact_id] = int(count or 0)


def _read_here(
    session: Session,
    workspace_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    points: Sequence[uuid.UUID],
    found: _Found,
) -> None:
    stmt = (
        select(Invitation.contact_id, Invitation.touchpoint_id, func.max(Invitation.sent_at))
        .where(*_asked(workspace_id, ids), Invitation.touchpoint_id.in_(points))
        .group_by(Invitation.contact_id, Invitation.touchpoint_id)
    )
    for contact_id, touchpoint_id, last in session.execute(stmt):
        if last is not None and contact_id is not None and touchpoint_id is not None:
            found.here.setdefault(contact_id, {})[touchpoint_id] = last


def _read_displays(
    session: Session, workspace_id: uuid.UUID, external_ids: Sequence[str], found: _Found
) -> None:
    display = tables.SurveyDisplay
    visitors = [f"contact:{ext}" for ext in external_ids]
    stmt = (
        select(display.visitor, func.max(display.shown_at))
        .where(display.workspace_id == workspace_id, display.visitor.in_(visitors))
        .group_by(display.visitor)
    )
    for visitor, shown in session.execute(stmt):
        if shown is not None:
            found.shown[visitor.removeprefix("contact:")] = shown


def _read_statuses(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID], found: _Found
) -> None:
    channel = tables.ContactChannel
    stmt = select(channel.contact_id, channel.channel, channel.status).where(
        channel.workspace_id == workspace_id, channel.contact_id.in_(ids)
    )
    for contact_id, name, status in session.execute(stmt):
        found.statuses.setdefault(contact_id, {})[name] = status


def upsert_channel_status(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    contact_id: uuid.UUID,
    channel: str,
    status: str,
    source: str,
    now: dt.datetime,
) -> None:
    """Set a contact's standing on a channel: one ``INSERT ... ON CONFLICT DO UPDATE``.

    Two concurrent writers for the same contact and channel both succeed; the later wins.
    """
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"status": status, "source": source[:200], "changed_at": now}
    stmt = module.insert(tables.ContactChannel.__table__).values(
        id=new_id(), workspace_id=workspace_id, contact_id=contact_id, channel=channel, **values
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["contact_id", "channel"], set_=values)
    )


def upsert_channel_statuses(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    channel: str,
    status: str,
    sources: Mapping[uuid.UUID, str],
    now: dt.datetime,
) -> None:
    """:func:`upsert_channel_status` for many contacts (``{contact id: source}``) at once.

    One ``INSERT ... ON CONFLICT DO UPDATE`` run for all the rows (``executemany``); each
    contact appears once, so no row is touched twice by one statement.
    """
    if not sources:
        return
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(tables.ContactChannel.__table__)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["contact_id", "channel"],
        set_={
            "status": excluded.status,
            "source": excluded.source,
            "changed_at": excluded.changed_at,
        },
    )
    rows = [
        {
            "id": new_id(),
            "workspace_id": workspace_id,
            "contact_id": contact_id,
            "channel": channel,
            "status": status,
            "source": source[:200],
            "changed_at": now,
        }
        for contact_id, source in sources.items()
    ]
    session.execute(stmt, rows)


def contacts_by_email(
    session: Session, workspace_id: uuid.UUID, emails: Iterable[str]
) -> dict[str, list[uuid.UUID]]:
    """The workspace's contacts with these addresses (any case), by lower-cased address."""
    contact = tables.Contact
    found: dict[str, list[uuid.UUID]] = {}
    lowered = func.lower(contact.email)
    for part in _chunks({email.lower() for email in emails}):
        stmt = select(contact.id, lowered).where(
            contact.workspace_id == workspace_id, lowered.in_(part)
        )
        for contact_id, email in session.execute(stmt):
            found.setdefault(email, []).append(contact_id)
    return found
