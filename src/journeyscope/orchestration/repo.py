"""Queries of the orchestration domain: rules, the invitation outbox, contact history.

Every function takes the workspace and reads or writes only its rows, and hands back typed
rows (:mod:`~journeyscope.orchestration.models`), never ORM objects. Only the dispatcher's
claims (:mod:`.outbox`, :mod:`.reminders`) take due rows of every workspace at once; each
claimed row carries its workspace, and everything read about it afterwards is read with it.

Planning and dispatch read the history of a whole batch of contacts at once
(:func:`histories`): a handful of grouped queries, whatever the number of events or rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from journeyscope.orchestration.models import (
    ASKED_STATES,
    ContactDetails,
    ContactHistory,
    InvitationState,
    Person,
    StoredInvitation,
    StoredRule,
    SurveyTarget,
    WorkspaceLimits,
)
from journeyscope.orchestration.rules import RuleSettings, stored_settings
from journeyscope.store import chunks, dialect_insert, new_id, tables

Invitation = tables.Invitation


def enabled_rules(
    session: Session, workspace_id: uuid.UUID, event_types: Sequence[str]
) -> list[StoredRule]:
    """The workspace's enabled rules for these event types (one query per batch)."""
    rule = tables.TriggerRule.__table__.c
    stmt = select(
        rule.id, rule.survey_id, rule.event_type, rule.condition, rule.channel, rule.settings
    ).where(
        rule.workspace_id == workspace_id, rule.enabled.is_(True), rule.event_type.in_(event_types)
    )
    return [
        StoredRule(
            id=row.id,
            survey_id=row.survey_id,
            event_type=row.event_type,
            condition=row.condition,
            channel=row.channel,
            settings=stored_settings(row.settings),
        )
        for row in session.execute(stmt.order_by(rule.id))
    ]


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


@functools.cache
def listening_rule_probe() -> Select[Any]:
    """Selects an enabled rule of ``:workspace_id`` that listens to ``:event_type``.

    Event ingest embeds it in a lone event's statement: when it finds a rule, the event is
    stored in a transaction with the invitations it plans instead.
    """
    rule = tables.TriggerRule.__table__.c
    return select(rule.id).where(
        rule.workspace_id == bindparam("workspace_id"),
        rule.enabled.is_(True),
        rule.event_type == bindparam("event_type"),
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


def invitations(
    session: Session, workspace_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> list[StoredInvitation]:
    """The workspace's invitations with these ids (ids of another workspace are not found)."""
    found: list[StoredInvitation] = []
    for part in chunks(ids):
        stmt = select(Invitation).where(
            Invitation.workspace_id == workspace_id, Invitation.id.in_(part)
        )
        found += (_invitation(row) for row in session.scalars(stmt))
    return found


def _invitation(row: tables.Invitation) -> StoredInvitation:
    return StoredInvitation(
        id=row.id,
        workspace_id=row.workspace_id,
        survey_id=row.survey_id,
        rule_id=row.rule_id,
        contact_id=row.contact_id,
        touchpoint_id=row.touchpoint_id,
        channel=row.channel,
        state=InvitationState(row.state),
        nonce=row.nonce,
        expires_at=row.expires_at,
        sent_at=row.sent_at,
        reminder_due_at=row.reminder_due_at,
        message_id=row.message_id,
    )


def answered(
    session: Session, workspace_id: uuid.UUID, responses: Mapping[uuid.UUID, uuid.UUID]
) -> set[uuid.UUID]:
    """Which invitations have a response with answers, from ``{response id: invitation id}``.

    Whatever the door the answers came through (hosted page, phone, API): one query per
    :data:`CHUNK` invitations, on the response's unique ``(workspace_id, client_id)``.
    """
    response = tables.Response
    found: set[uuid.UUID] = set()
    for part in chunks(responses):
        stmt = select(response.client_id, response.answers).where(
            response.workspace_id == workspace_id, response.client_id.in_(part)
        )
        found |= {responses[row.client_id] for row in session.execute(stmt) if row.answers}
    return found


def rule_settings(
    session: Session, workspace_id: uuid.UUID, rule_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, RuleSettings]:
    """The settings of these rules of the workspace, by id (rules deleted since are missing)."""
    rule = tables.TriggerRule
    wanted = {r for r in rule_ids if r is not None}
    if not wanted:
        return {}
    stmt = select(rule.id, rule.settings).where(
        rule.workspace_id == workspace_id, rule.id.in_(wanted)
    )
    return {row.id: stored_settings(row.settings) for row in session.execute(stmt)}


def survey_targets(
    session: Session, workspace_id: uuid.UUID, survey_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, SurveyTarget]:
    """Per survey of the workspace: whether it is open, its touchpoint and its quarantine."""
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
        .where(survey.workspace_id == workspace_id, survey.id.in_(survey_ids))
    )
    return {
        row.id: SurveyTarget(
            published_version=row.published_version,
            archived_at=row.archived_at,
            touchpoint_id=row.touchpoint_id,
            quarantine_days=row.quarantine_days,
        )
        for row in session.execute(stmt)
    }


def survey_keys(
    session: Session, workspace_id: uuid.UUID, survey_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The keys of these surveys of the workspace, by id."""
    survey = tables.Survey
    stmt = select(survey.id, survey.key).where(
        survey.workspace_id == workspace_id, survey.id.in_(survey_ids)
    )
    return {row.id: row.key for row in session.execute(stmt)}


def quarantines(
    session: Session, workspace_id: uuid.UUID, touchpoint_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, int]:
    """The quarantine days of these touchpoints of the workspace (those without one: missing)."""
    point = tables.Touchpoint
    wanted = {t for t in touchpoint_ids if t is not None}
    if not wanted:
        return {}
    stmt = select(point.id, point.quarantine_days).where(
        point.workspace_id == workspace_id, point.id.in_(wanted)
    )
    return {row.id: row.quarantine_days for row in session.execute(stmt) if row.quarantine_days}


def contacts(
    session: Session, workspace_id: uuid.UUID, contact_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, ContactDetails]:
    """The workspace's contacts with these ids, by id."""
    contact = tables.Contact.__table__.c
    names = ("id", "external_id", "email", "phone", "name", "locale", "timezone", "attributes")
    columns = [contact[name] for name in names]
    found: dict[uuid.UUID, ContactDetails] = {}
    for part in chunks({c for c in contact_ids if c is not None}):
        stmt = select(*columns).where(contact.workspace_id == workspace_id, contact.id.in_(part))
        found.update(
            (row.id, ContactDetails(**{**row._asdict(), "attributes": dict(row.attributes or {})}))
            for row in session.execute(stmt)
        )
    return found


def workspace_limits(session: Session, workspace_id: uuid.UUID) -> WorkspaceLimits:
    """The workspace's recontact period and invitation cap."""
    space = tables.Workspace
    row = session.execute(
        select(space.recontact_days, space.invitation_cap, space.invitation_cap_days).where(
            space.id == workspace_id
        )
    ).one()
    return WorkspaceLimits(
        recontact_days=int(row.recontact_days),
        cap=int(row.invitation_cap),
        cap_days=int(row.invitation_cap_days),
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
    people: Sequence[Person],
    *,
    touchpoint_ids: Iterable[uuid.UUID | None],
    since_cap: dt.datetime,
) -> dict[uuid.UUID, ContactHistory]:
    """The history of each of ``people`` (contacts of the workspace), by contact id.

    Four grouped queries per :data:`CHUNK` contacts (three without touchpoints): invitations
    sent (latest, and how many since ``since_cap``), the latest per touchpoint, widget displays
    under ``contact:<external id>``, and channel statuses.
    """
    found = _Found()
    points = list({t for t in touchpoint_ids if t is not None})
    for part in chunks({p.id: p for p in people}.values()):
        ids = [p.id for p in part]
        _read_invitations(session, workspace_id, ids, since_cap, found)
        if points:
            _read_here(session, workspace_id, ids, points, found)
        _read_displays(session, workspace_id, [p.external_id for p in part], found)
        _read_statuses(session, workspace_id, ids, found)
    return {p.id: _history_of(p, found) for p in people}


def _history_of(person: Person, found: _Found) -> ContactHistory:
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
    upsert_channel_statuses(
        session,
        workspace_id=workspace_id,
        channel=channel,
        status=status,
        sources={contact_id: source},
        now=now,
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
    """Set many contacts' standing on a channel (``{contact id: source}``) at once.

    One ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` run for all the rows (``executemany``);
    each contact appears once, so no row is touched twice by one statement. The ``SELECT``
    reads the contact in the workspace, so a contact of another workspace gets nothing.
    """
    if not sources:
        return
    rows = [
        {
            "b_id": new_id(),
            "b_contact": contact_id,
            "b_channel": channel,
            "b_status": status,
            "b_source": source[:200],
            "b_changed_at": now,
        }
        for contact_id, source in sources.items()
    ]
    session.execute(_status_upsert(session, workspace_id), rows)


def _status_upsert(session: Session, workspace_id: uuid.UUID) -> Any:
    """``INSERT INTO contact_channel SELECT ... FROM contact WHERE <in the workspace> ...``."""
    table, contact = tables.ContactChannel.__table__, tables.Contact.__table__
    names = ("id", "workspace_id", "contact_id", "channel", "status", "source", "changed_at")
    given = {n: bindparam(f"b_{n}", type_=table.c[n].type) for n in names if n != "contact_id"}
    source = select(
        given["id"],
        contact.c.workspace_id,
        contact.c.id,
        *(given[n] for n in names[3:]),
    ).where(contact.c.id == bindparam("b_contact"), contact.c.workspace_id == workspace_id)
    stmt = dialect_insert(session, table).from_select(list(names), source)
    return stmt.on_conflict_do_update(
        index_elements=["contact_id", "channel"],
        set_={n: stmt.excluded[n] for n in ("status", "source", "changed_at")},
        where=table.c.workspace_id == workspace_id,
    )


def contacts_by_email(
    session: Session, workspace_id: uuid.UUID, emails: Iterable[str]
) -> dict[str, list[uuid.UUID]]:
    """The workspace's contacts with these addresses (any case), by lower-cased address."""
    contact = tables.Contact
    found: dict[str, list[uuid.UUID]] = {}
    lowered = func.lower(contact.email)
    for part in chunks({email.lower() for email in emails}):
        stmt = select(contact.id, lowered).where(
            contact.workspace_id == workspace_id, lowered.in_(part)
        )
        for contact_id, email in session.execute(stmt):
            found.setdefault(email, []).append(contact_id)
    return found
