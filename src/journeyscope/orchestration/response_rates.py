"""AAPOR response rates from the invitation funnel, per channel, touchpoint or survey.

Each invitation planned in the period gets one final disposition (AAPOR Standard
Definitions, 9th ed., 2016, table 4: Internet surveys of specifically named persons), taken
in this order from where it stands:

- **I** (1.1 complete): the response was completed.
- **P** (1.2 partial): at least one answer saved through the link, not completed.
- *excluded*: suppressed by a policy (consent, recontact period, sampling, cap...): never
  fielded, so not a case of the sample; counted beside the rates.
- **UO** (3.30 invitation returned undelivered): bounced or failed delivery; (3.11 no
  invitation sent) expired before it could be sent, or still pending (scheduled or being
  sent: not final yet, so recent periods read low until they are sent).
- **R** (2.11 refusal): the personal page was opened and nothing answered (2.1121 "logged on
  to survey, did not complete any items", an implicit refusal), or the contact unsubscribed
  from the channel after this invitation was sent (2.111 explicit refusal).
- **NC** (2.20 non-contact): sent, never opened, no answer, no unsubscribe. AAPOR's table
  puts "nothing ever returned" under unknown eligibility (3.19) because a list of named
  persons may hold people outside the survey's population; ours is planned from each
  contact's own event at the touchpoint, so the contact is known to be eligible and what is
  unknown is only whether the message reached them: an eligible non-contact.
- **O**, **UH**, **NE**: 0 (no other non-interview is recorded; UH is for households; no
  invitation is known to reach someone outside the population). ``e`` is then 1.

Imports the store and the analytics facade (the rates themselves: ``aapor_rates``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Table, and_, case, func, literal_column, select

from journeyscope.analytics import aapor_rates
from journeyscope.errors import InvalidInput
from journeyscope.orchestration.funnel import INVITATION, JOURNEY, POINT, SURVEY
from journeyscope.orchestration.models import PENDING_STATES, InvitationState
from journeyscope.store import Database, tables

CHANNEL: Final[Table] = tables.ContactChannel.__table__  # type: ignore[assignment]
RateDimension = Literal["channel", "touchpoint", "survey"]
DISPOSITIONS: Final = (
    *("completed", "partial", "suppressed", "undelivered", "not_sent", "pending"),
    *("opened_no_answer", "unsubscribed", "no_contact"),
)
"""The disjoint outcomes every invitation falls in, in the order they are tested."""


class DispositionCounts(BaseModel):
    """How many invitations ended each way: the counts behind the rates."""

    model_config = ConfigDict(frozen=True)

    completed: int = Field(description="I: the response was completed.")
    partial: int = Field(description="P: answers saved through the link, not completed.")
    opened_no_answer: int = Field(description="R: the page was opened, nothing answered.")
    unsubscribed: int = Field(description="R: unsubscribed from the channel after sending.")
    no_contact: int = Field(description="NC: sent, never opened or answered.")
    undelivered: int = Field(description="UO: bounced or failed delivery.")
    not_sent: int = Field(description="UO: expired before it could be sent.")
    pending: int = Field(description="UO: scheduled or being sent (not final yet).")
    suppressed: int = Field(description="Not a case: a policy refused to send it.")


class RateGroup(BaseModel):
    """One group's dispositions, AAPOR classes and rates."""

    model_config = ConfigDict(frozen=True)

    group: dict[str, str | None] = Field(description="Dimension to value (null: none).")
    counts: DispositionCounts
    aapor: dict[str, int] = Field(description="I, P, R, NC, O, UH, UO, NE.")
    e: float | None = Field(description="Eligible share assumed of unknown cases.")
    rates: dict[str, float | None] = Field(
        description="RR1-RR6, COOP1-4, REF1-3, CON1-3 (null: a denominator of 0)."
    )


class ResponseRatesReport(BaseModel):
    """AAPOR rates per group and in total, for the invitations planned in the period."""

    model_config = ConfigDict(frozen=True)

    by: RateDimension | None
    since: dt.date | None
    until: dt.date | None
    groups: list[RateGroup] = Field(description="Largest first.")
    total: RateGroup


def _disposition() -> Any:
    inv, ch = INVITATION.c, CHANNEL.c
    states: dict[str, Any] = {name: literal_column(f"'{name}'") for name in DISPOSITIONS}
    return case(
        (inv.completed_at.is_not(None), states["completed"]),
        (inv.started_at.is_not(None), states["partial"]),
        (inv.state == InvitationState.SUPPRESSED.value, states["suppressed"]),
        (
            inv.state.in_([InvitationState.BOUNCED.value, InvitationState.FAILED.value]),
            states["undelivered"],
        ),
        (inv.state == InvitationState.EXPIRED.value, states["not_sent"]),
        (inv.state.in_([s.value for s in PENDING_STATES]), states["pending"]),
        (inv.opened_at.is_not(None), states["opened_no_answer"]),
        (ch.id.is_not(None), states["unsubscribed"]),
        else_=states["no_contact"],
    )


def _statement(workspace_id: uuid.UUID, by: RateDimension | None, period: Any) -> Any:
    inv, ch = INVITATION.c, CHANNEL.c
    disposition = _disposition()
    shown = {
        "channel": [inv.channel],
        "survey": [SURVEY.c.key],
        "touchpoint": [JOURNEY.c.key, POINT.c.key],
    }.get(by or "", [])
    unsubscribed = and_(
        ch.contact_id == inv.contact_id,
        ch.channel == inv.channel,
        ch.status == "unsubscribed",
        ch.changed_at >= inv.sent_at,
    )
    source = INVITATION.join(SURVEY, SURVEY.c.id == inv.survey_id).outerjoin(CHANNEL, unsubscribed)
    if by == "touchpoint":
        source = source.outerjoin(POINT, POINT.c.id == inv.touchpoint_id).outerjoin(
            JOURNEY, JOURNEY.c.id == POINT.c.journey_id
        )
    # Each invitation's disposition in a subquery, grouped outside it: PostgreSQL would not
    # match the CASE's bound parameters in the select list with those in GROUP BY.
    labels = [f"d{i}" for i in range(len(shown))]
    inner = (
        select(*(col.label(name) for col, name in zip(shown, labels, strict=True)))
        .add_columns(disposition.label("disposition"))
        .select_from(source)
        .where(inv.workspace_id == workspace_id, *period)
        .subquery()
    )
    keys = [inner.c[name] for name in (*labels, "disposition")]
    return select(*keys, func.count()).group_by(*keys), len(shown)


def _period(since: dt.date | None, until: dt.date | None) -> list[Any]:
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            f"The period is empty: since {since} is not before until {until}.",
            field="since",
            hint="until is the first day not included",
        )
    created = INVITATION.c.created_at
    bounds = []
    if since is not None:
        bounds.append(created >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until is not None:
        bounds.append(created < dt.datetime.combine(until, dt.time(), dt.UTC))
    return bounds


def _group(keys: dict[str, str | None], counts: Mapping[str, int]) -> RateGroup:
    c = DispositionCounts(**{name: counts.get(name, 0) for name in DISPOSITIONS})
    classes = {
        "I": c.completed,
        "P": c.partial,
        "R": c.opened_no_answer + c.unsubscribed,
        "NC": c.no_contact,
        "O": 0,
        "UH": 0,
        "UO": c.undelivered + c.not_sent + c.pending,
        "NE": 0,
    }
    rates = aapor_rates(**classes)
    return RateGroup(group=keys, counts=c, aapor=classes, e=rates.e, rates=dict(rates))


def _keys(by: RateDimension | None, values: tuple[Any, ...]) -> dict[str, str | None]:
    if by == "touchpoint":
        return {"journey": values[0], "touchpoint": values[1]}
    return {} if by is None else {by: values[0]}


def response_rates(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    by: RateDimension | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> ResponseRatesReport:
    """AAPOR response rates (RR1-RR6, COOP, REF, CON) of the invitations planned in a period.

    Args:
        db: The database.
        workspace_id: Whose invitations.
        by: Group by ``channel``, ``touchpoint`` (with its journey) or ``survey``; ``None``:
            only the total.
        since: First UTC day (of planning) included.
        until: First UTC day left out.

    Each group carries its disposition counts, the AAPOR classes made of them (see the
    module docstring for the mapping and why) and the rates; ``total`` sums every group.
    """
    period = _period(since, until)
    stmt, width = _statement(workspace_id, by, period)
    with db.transaction() as session:
        rows = session.execute(stmt).all()
    grouped: dict[tuple[Any, ...], dict[str, int]] = {}
    total: dict[str, int] = {}
    for row in rows:
        key, disposition, count = tuple(row[:width]), row[width], int(row[width + 1])
        counts = grouped.setdefault(key, {})
        counts[disposition] = counts.get(disposition, 0) + count
        total[disposition] = total.get(disposition, 0) + count
    groups = [_group(_keys(by, key), counts) for key, counts in grouped.items()]
    groups.sort(key=lambda g: (-sum(g.aapor.values()), tuple(str(v) for v in g.group.values())))
    return ResponseRatesReport(
        by=by, since=since, until=until, groups=groups, total=_group({}, total)
    )
