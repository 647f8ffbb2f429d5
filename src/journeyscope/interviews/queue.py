"""The analysis queue: rows waiting for the NLP, claimed by workers with a lease.

An interview (or a verbatim: the same columns, the same rules) is ``queued`` with a ``due_at``.
A worker claims due rows with one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n)`` (``FOR
UPDATE SKIP LOCKED`` on PostgreSQL, via ``store.skip_locked``): they become ``analysing`` until
``claimed_until`` and count one more attempt. Then either the analysis is stored and the row is
``analysed``, or the attempt failed and the row is queued again after a backoff, or, after
:data:`MAX_ATTEMPTS`, ``failed`` with the reason. Nothing is lost on a crash: a row whose lease
ran out is claimed again (and a row whose lease ran out on its last attempt is given up as
``failed``, so a text that kills its worker is not tried forever).

Every change after a claim is guarded by it (state ``analysing`` *and* the attempt number the
claim wrote), so a worker whose lease ran out cannot overwrite the claim that replaced it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from journeyscope.interviews.models import AnalysisStatus
from journeyscope.store import Database, skip_locked, tables

Status = AnalysisStatus
BACKOFF_SECONDS = (60, 600)
"""Waits before the second and the third attempt: 1 min, 10 min; then ``failed``."""
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
LOST_LEASE = (
    "the analysis did not finish in {attempts} attempts (its worker stopped or ran out of time)"
)


@dataclass(frozen=True, slots=True)
class AnalysisClaim:
    """One row a worker claimed; ``attempt`` guards every later change to it."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    attempt: int


@dataclass(frozen=True, slots=True)
class AnalysisQueue:
    """The queue over one table with the analysis columns (interview, verbatim)."""

    table: Table

    def queue(self, session: Session, where: ColumnElement[bool], *, now: dt.datetime) -> int:
        """Queue the rows ``where`` selects, due now, with no attempt yet; how many.

        The last failure stays until an analysis succeeds.
        """
        stmt = (
            update(self.table)
            .where(where)
            .values(status=Status.QUEUED, due_at=now, attempts=0, claimed_until=None)
        )
        return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def claim(
        self, db: Database, *, now: dt.datetime, limit: int, lease: dt.timedelta
    ) -> list[AnalysisClaim]:
        """Claim up to ``limit`` due rows of any workspace, oldest due first.

        Rows whose lease ran out on their last attempt become ``failed`` first.
        """
        c = self.table.c
        stale = and_(c.status == Status.ANALYSING, c.claimed_until < now)
        with db.transaction() as session:
            session.execute(
                update(self.table)
                .where(stale, c.attempts >= MAX_ATTEMPTS)
                .values(
                    status=Status.FAILED,
                    claimed_until=None,
                    failure=LOST_LEASE.format(attempts=MAX_ATTEMPTS),
                )
            )
            due = or_(and_(c.status == Status.QUEUED, c.due_at <= now), stale)
            pick = select(c.id).where(due).order_by(c.due_at).limit(limit)
            pick = skip_locked(session, pick)  # concurrent workers claim different rows
            return self._take(session, c.id.in_(pick.scalar_subquery()), now, lease)

    def claim_one(
        self, db: Database, *, workspace_id: uuid.UUID, row_id: uuid.UUID, lease: dt.timedelta
    ) -> AnalysisClaim | None:
        """Claim one row now, whatever its state (``None`` if there is no such row).

        For analysing at once (the CLI): a worker that holds the row loses it, since the new
        claim's attempt number no longer matches its own.
        """
        c = self.table.c
        with db.transaction() as session:
            now = db.clock.now()
            where = and_(c.id == row_id, c.workspace_id == workspace_id)
            found = self._take(session, where, now, lease, restart=True)
            return found[0] if found else None

    def _take(
        self,
        session: Session,
        where: ColumnElement[bool],
        now: dt.datetime,
        lease: dt.timedelta,
        *,
        restart: bool = False,
    ) -> list[AnalysisClaim]:
        c = self.table.c
        attempts: Any = c.attempts + 1
        if restart:  # a row that was not waiting starts counting again
            waiting = c.status.in_([Status.QUEUED, Status.ANALYSING])
            attempts = case((waiting, c.attempts + 1), else_=1)
        stmt = (
            update(self.table)
            .where(where)
            .values(status=Status.ANALYSING, claimed_until=now + lease, attempts=attempts)
            .returning(c.id, c.workspace_id, c.attempts)
        )
        return [
            AnalysisClaim(row.id, row.workspace_id, row.attempts) for row in session.execute(stmt)
        ]

    def held(self, claim: AnalysisClaim) -> ColumnElement[bool]:
        """The condition that the row is still held by ``claim``."""
        c = self.table.c
        return and_(
            c.id == claim.id,
            c.workspace_id == claim.workspace_id,
            c.status == Status.ANALYSING,
            c.attempts == claim.attempt,
        )

    def finish(self, session: Session, claim: AnalysisClaim, **values: Any) -> bool:
        """Mark the row ``analysed`` with ``values``; ``False`` if the claim was lost."""
        stmt = (
            update(self.table)
            .where(self.held(claim))
            .values(status=Status.ANALYSED, claimed_until=None, failure=None, **values)
        )
        return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def give_back(
        self, db: Database, claim: AnalysisClaim, *, reason: str, final: bool = False
    ) -> Status | None:
        """Record a failed attempt: queued again after a backoff, or ``failed`` after the last.

        ``final``: the failure would not change on another attempt (e.g. the interview's
        journey was deleted), so the row is ``failed`` at once. Returns the new state, or
        ``None`` when the claim was lost meanwhile.
        """
        now = db.clock.now()
        again = claim.attempt < MAX_ATTEMPTS and not final
        status = Status.QUEUED if again else Status.FAILED
        due = now + dt.timedelta(seconds=BACKOFF_SECONDS[claim.attempt - 1]) if again else None
        stmt = (
            update(self.table)
            .where(self.held(claim))
            .values(status=status, due_at=due, claimed_until=None, failure=reason[:2000])
        )
        with db.transaction() as session:
            changed = session.execute(stmt).rowcount  # type: ignore[attr-defined]
        return status if changed else None

    def counts(self, db: Database, statuses: Collection[Status] = tuple(Status)) -> dict[str, int]:
        """Rows per state, over every workspace (for tests, health and the CLI)."""
        c = self.table.c
        stmt = select(c.status, func.count()).where(c.status.in_(list(statuses))).group_by(c.status)
        with db.transaction() as session:
            return {str(status): int(n) for status, n in session.execute(stmt)}


INTERVIEWS = AnalysisQueue(tables.Interview.__table__)  # type: ignore[arg-type]
"""The interviews waiting for their analysis."""
