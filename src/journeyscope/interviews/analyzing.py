"""Analysing stored interviews: the worker's pass over the queue, or one interview at once.

The analysis (emotions, stages of the interview's journey, question kinds, findings) can take
seconds to minutes, so requests never run it: ``POST /v1/interviews`` queues the interview and
a worker's pass (:func:`analyse_queued`, run by the in-process thread or a Celery task) claims
it with a lease (``queue``), analyses it between two short transactions (load, then save) so it
never holds the database's write lock, and stores the result under its claim. A failed attempt
is retried after a backoff and, after the last one, the interview is ``failed`` with the reason.
:func:`analyze_interview` does the same for one interview in the caller's process (the CLI).
Analysing again replaces the earlier analysis whole, so every path is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from journeyscope import journey
from journeyscope.errors import JourneyscopeError
from journeyscope.interviews.analysis import analyze_transcript
from journeyscope.interviews.models import AnalysisStatus, InterviewDetail
from journeyscope.interviews.queue import INTERVIEWS, AnalysisClaim
from journeyscope.interviews.service import (
    get_interview,
    load_interview,
    not_found,
    save_claimed_analysis,
)
from journeyscope.store import Database

log = logging.getLogger(__name__)

DEFAULT_LEASE = dt.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class AnalysisReport:
    """What one analysis pass did: rows claimed, and how each attempt ended."""

    claimed: int = 0
    analysed: int = 0  # stored under their claim
    retried: int = 0  # failed, queued again after a backoff
    failed: int = 0  # failed for good (last attempt, or an error that would not change)
    lost: int = 0  # their claim ran out and was taken over before the result was stored

    @classmethod
    def of(cls, claimed: int, ended: Sequence[AnalysisStatus | None]) -> AnalysisReport:
        """The report of a pass that claimed ``claimed`` rows, from how each attempt ended.

        ``None`` in ``ended``: that claim ran out and was taken over before its result was stored.
        """
        return cls(
            claimed=claimed,
            analysed=ended.count(AnalysisStatus.ANALYSED),
            retried=ended.count(AnalysisStatus.QUEUED),
            failed=ended.count(AnalysisStatus.FAILED),
            lost=ended.count(None),
        )

    def found_backlog(self, limit: int) -> bool:
        """Whether the pass claimed a full batch, so another should follow at once."""
        return self.claimed >= limit


def analyze_interview(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    interview_id: uuid.UUID,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> InterviewDetail:
    """Analyse one interview now, in this process, and store the result.

    The interview is claimed like a worker would (a worker holding it loses its claim), so a
    crash here leaves it to the workers once the lease runs out. A failed attempt is recorded
    (queued again, or ``failed`` after the last) and its error raised.

    Returns:
        The interview with its new annotations and findings; ``analyzed_at`` is set.

    Raises:
        NotFound: No such interview in this workspace.
    """
    claim = INTERVIEWS.claim_one(db, workspace_id=workspace_id, row_id=interview_id, lease=lease)
    if claim is None:
        raise not_found(interview_id)
    _attempt(db, claim, reraise=True)
    return get_interview(db, workspace_id=workspace_id, interview_id=interview_id)


def analyse_queued(
    db: Database, *, limit: int = 4, lease: dt.timedelta = DEFAULT_LEASE
) -> AnalysisReport:
    """One worker pass: claim up to ``limit`` queued interviews (any workspace) and analyse them.

    A failure is recorded on its interview and logged; the pass goes on with the others.
    """
    claims = INTERVIEWS.claim(db, now=db.clock.now(), limit=limit, lease=lease)
    ended = [_attempt(db, claim, reraise=False) for claim in claims]
    return AnalysisReport.of(len(claims), ended)


def _attempt(db: Database, claim: AnalysisClaim, *, reraise: bool) -> AnalysisStatus | None:
    """Analyse a claimed interview; the state it ends in (``None``: the claim was lost)."""
    try:
        stored = load_interview(db, workspace_id=claim.workspace_id, interview_id=claim.id)
        key = stored.interview.journey_key
        explored = (
            None
            if key is None
            else journey.get_journey(db, workspace_id=claim.workspace_id, key=key)
        )
        analysis = analyze_transcript(stored.transcript, journey=explored)
        stored_it = save_claimed_analysis(db, claim, analysis)
    except Exception as exc:  # any failure is recorded on the row, never lost
        log.warning("analysis of interview %s failed (attempt %d)", claim.id, claim.attempt)
        ended = INTERVIEWS.give_back(
            db, claim, reason=failure_reason(exc), final=isinstance(exc, JourneyscopeError)
        )
        if reraise:
            raise
        log.debug("analysis failure of interview %s", claim.id, exc_info=True)
        return ended
    return AnalysisStatus.ANALYSED if stored_it else None


def failure_reason(exc: BaseException) -> str:
    """The reason stored for a failed attempt: the error's kind and its first line."""
    message = exc.message if isinstance(exc, JourneyscopeError) else str(exc)
    first = message.strip().splitlines()[0] if message.strip() else "no message"
    return f"{type(exc).__name__}: {first}"[:500]
