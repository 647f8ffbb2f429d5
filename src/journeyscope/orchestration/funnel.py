"""The invitation funnel: planned → sent → opened → started → completed, and where they fell off.

One grouped query over the invitation rows, whatever their number: a step counts every
invitation that reached it (its ``*_at`` time is set), so ``completed ≤ started ≤ opened ≤
sent ≤ planned`` always holds, while ``suppressed``, ``pending``, ``failed``, ``expired`` and
``bounced`` count where an invitation stands now. These are the inputs of AAPOR response
rates. Invitations are counted by the day they were planned (their ``created_at``, UTC).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, case, func, literal_column, null, select
from sqlalchemy.orm import Session

from journeyscope.errors import InvalidInput, NotFound
from journeyscope.orchestration.models import (
    PENDING_STATES,
    Funnel,
    FunnelCounts,
    FunnelDimension,
    FunnelGroup,
    InvitationState,
)
from journeyscope.store import Database, tables

INVITATION: Table = tables.Invitation.__table__  # type: ignore[assignment]
SURVEY: Table = tables.Survey.__table__  # type: ignore[assignment]
POINT: Table = tables.Touchpoint.__table__  # type: ignore[assignment]
JOURNEY: Table = tables.Journey.__table__  # type: ignore[assignment]
DIMENSIONS: tuple[FunnelDimension, ...] = ("survey", "touchpoint", "channel")
STEPS = (
    *("pending", "sent", "bounced", "opened", "started", "completed"),
    *("failed", "expired", "reminded"),
)
"""The counts besides ``planned`` and ``suppressed``, each a ``SUM(CASE ...)`` of the query."""


@dataclass(frozen=True, slots=True)
class FunnelQuery:
    """Which invitations to count and how to group them.

    ``since`` and ``until`` are days (UTC), both included; ``survey`` a survey key.
    """

    survey: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    group_by: tuple[FunnelDimension, ...] = DIMENSIONS

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InvalidInput(
                f"The period starts ({self.since}) after it ends ({self.until}).",
                field="from",
                hint="give `from` on or before `to`",
            )


def invitation_funnel(db: Database, *, workspace_id: uuid.UUID, query: FunnelQuery) -> Funnel:
    """The funnel counts of the workspace's invitations, per group and in total.

    Raises:
        NotFound: ``query.survey`` names no survey of the workspace.
    """
    dims = tuple(d for d in DIMENSIONS if d in query.group_by)
    with db.transaction() as session:
        if query.survey is not None:
            _require_survey(session, workspace_id, query.survey)
        rows = session.execute(_statement(workspace_id, query, dims)).all()
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row.survey, row.journey, row.touchpoint, row.channel)
        _add(groups.setdefault(key, _empty()), row)
    listed = [
        FunnelGroup(survey=k[0], journey=k[1], touchpoint=k[2], channel=k[3], **counts)
        for k, counts in groups.items()
    ]
    listed.sort(key=lambda g: (-g.planned, g.survey or "", g.touchpoint or "", g.channel or ""))
    total = _empty()
    for counts in groups.values():
        _merge(total, counts)
    return Funnel(group_by=list(dims), groups=listed, total=FunnelCounts(**total))


def _require_survey(session: Session, workspace_id: uuid.UUID, key: str) -> None:
    stmt = select(SURVEY.c.id).where(SURVEY.c.workspace_id == workspace_id, SURVEY.c.key == key)
    if session.execute(stmt).first() is None:
        raise NotFound(
            f"There is no survey {key!r}.", field="survey", hint="list surveys: GET /v1/surveys"
        )


def _statement(workspace_id: uuid.UUID, query: FunnelQuery, dims: Sequence[FunnelDimension]) -> Any:
    """``SELECT <dims>, <why suppressed>, count(*), sum(CASE ...)... GROUP BY <dims>, <why>``.

    The ``why`` expression carries no bound parameter, so PostgreSQL sees the same text in
    the select list and in ``GROUP BY``.
    """
    inv = INVITATION.c
    suppressed = inv.state == literal_column(f"'{InvitationState.SUPPRESSED}'")
    why = case((suppressed, func.coalesce(inv.reason, literal_column("'unknown'"))), else_=null())
    shown = {
        "survey": SURVEY.c.key if "survey" in dims else null(),
        "journey": JOURNEY.c.key if "touchpoint" in dims else null(),
        "touchpoint": POINT.c.key if "touchpoint" in dims else null(),
        "channel": inv.channel if "channel" in dims else null(),
    }
    grouped: list[Any] = [why]
    grouped += [SURVEY.c.key] if "survey" in dims else []
    grouped += [POINT.c.id, JOURNEY.c.key, POINT.c.key] if "touchpoint" in dims else []
    grouped += [inv.channel] if "channel" in dims else []
    source = INVITATION.join(SURVEY, SURVEY.c.id == inv.survey_id)
    if "touchpoint" in dims:
        source = source.outerjoin(POINT, POINT.c.id == inv.touchpoint_id).outerjoin(
            JOURNEY, JOURNEY.c.id == POINT.c.journey_id
        )
    stmt = (
        select(
            *(value.label(name) for name, value in shown.items()),
            why.label("why"),
            func.count().label("planned"),
            *(_count(step).label(step) for step in STEPS),
        )
        .select_from(source)
        .where(*_filters(workspace_id, query))
        .group_by(*grouped)
    )
    return stmt


def _count(step: str) -> Any:
    """``SUM(CASE WHEN <reached step> THEN 1 ELSE 0 END)``."""
    inv = INVITATION.c
    reached = {
        "pending": inv.state.in_(PENDING_STATES),
        "sent": inv.sent_at.is_not(None),
        "bounced": inv.state == InvitationState.BOUNCED,
        "opened": inv.opened_at.is_not(None),
        "started": inv.started_at.is_not(None),
        "completed": inv.completed_at.is_not(None),
        "failed": inv.state == InvitationState.FAILED,
        "expired": inv.state == InvitationState.EXPIRED,
        "reminded": inv.reminded_at.is_not(None),
    }[step]
    return func.sum(case((reached, 1), else_=0))


def _filters(workspace_id: uuid.UUID, query: FunnelQuery) -> list[Any]:
    inv = INVITATION.c
    where: list[Any] = [inv.workspace_id == workspace_id]
    if query.survey is not None:
        where.append(SURVEY.c.key == query.survey)
    if query.since is not None:
        where.append(inv.created_at >= dt.datetime.combine(query.since, dt.time(), dt.UTC))
    if query.until is not None and query.until < dt.date.max:
        end = query.until + dt.timedelta(days=1)
        where.append(inv.created_at < dt.datetime.combine(end, dt.time(), dt.UTC))
    return where


def _empty() -> dict[str, Any]:
    return {"planned": 0, "suppressed": 0, "suppressed_by_reason": {}} | dict.fromkeys(STEPS, 0)


def _add(counts: dict[str, Any], row: Any) -> None:
    """Add one result row (one group and one suppression reason) to its group's counts."""
    counts["planned"] += row.planned
    for step in STEPS:
        counts[step] += int(row._mapping[step] or 0)
    if row.why is not None:
        counts["suppressed"] += row.planned
        reasons = counts["suppressed_by_reason"]
        reasons[row.why] = reasons.get(row.why, 0) + row.planned


def _merge(total: dict[str, Any], counts: dict[str, Any]) -> None:
    for name in ("planned", "suppressed", *STEPS):
        total[name] += counts[name]
    for reason, number in counts["suppressed_by_reason"].items():
        reasons = total["suppressed_by_reason"]
        reasons[reason] = reasons.get(reason, 0) + number
