"""The interview analysis queue: one worker pass, retries, leases, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select, text

from factories import RETAIL_JOURNEY, Tenant
from journeyscope import interviews
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput
from journeyscope.interviews import InterviewAnalysis, InterviewImport, analyzing
from journeyscope.interviews.queue import INTERVIEWS, LOST_LEASE, MAX_ATTEMPTS
from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.store import Database, tables

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=15)
PLAIN = """\
Maya: What made you buy the Breeze blender?
Sam: The checkout was a bit confusing but whatever, it's fine. I was really annoyed though.
"""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def retail(db: Database, tenant: Tenant) -> Tenant:
    apply_journey(db, workspace_id=tenant.id, spec=JourneySpec.model_validate(RETAIL_JOURNEY))
    return tenant


def _import(db: Database, tenant: Tenant, *, analyze: bool = True) -> uuid.UUID:
    options = InterviewImport(filename="sam.txt", journey_key="retail")
    found = interviews.import_interview(
        db, workspace_id=tenant.id, source=PLAIN, options=options, analyze=analyze
    )
    return found.id


def _row(db: Database, interview_id: uuid.UUID) -> Any:
    with db.transaction() as session:
        return session.execute(
            select(tables.Interview.__table__).where(tables.Interview.id == interview_id)
        ).one()


def _failing(monkeypatch: pytest.MonkeyPatch, error: Exception) -> list[int]:
    calls: list[int] = []

    def crash(*args: object, **kwargs: object) -> InterviewAnalysis:
        calls.append(1)
        raise error

    monkeypatch.setattr(analyzing, "analyze_transcript", crash)
    return calls


def test_import_queues_and_one_pass_analyses(db: Database, retail: Tenant) -> None:
    interview_id = _import(db, retail)
    assert (_row(db, interview_id).status, _row(db, interview_id).due_at) == ("queued", START)
    report = interviews.analyse_queued(db)
    assert (report.claimed, report.analysed) == (1, 1)
    found = interviews.get_interview(db, workspace_id=retail.id, interview_id=interview_id)
    assert found.status == "analysed" and found.analyzed_at == START and found.failure is None
    assert found.utterances[1].annotation is not None
    assert interviews.analyse_queued(db).claimed == 0  # done: nothing left to claim


def test_an_import_without_analysis_is_never_claimed(db: Database, retail: Tenant) -> None:
    interview_id = _import(db, retail, analyze=False)
    assert interviews.analyse_queued(db).claimed == 0
    assert _row(db, interview_id).status == "imported"


def test_a_failure_is_retried_after_a_backoff_then_failed_with_the_reason(
    db: Database, retail: Tenant, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview_id = _import(db, retail)
    calls = _failing(monkeypatch, RuntimeError("model crashed\ndetails"))
    assert interviews.analyse_queued(db).retried == 1
    first = _row(db, interview_id)
    assert (first.status, first.attempts, first.failure) == (
        "queued",
        1,
        "RuntimeError: model crashed",
    )
    assert first.due_at == START + dt.timedelta(seconds=60)
    assert interviews.analyse_queued(db).claimed == 0  # not before its backoff
    clock.advance(seconds=60)
    assert interviews.analyse_queued(db).retried == 1
    clock.advance(seconds=600)
    assert interviews.analyse_queued(db).failed == 1
    last = _row(db, interview_id)
    assert (last.status, last.attempts, last.failure) == (
        "failed",
        MAX_ATTEMPTS,
        "RuntimeError: model crashed",
    )
    clock.advance(hours=1)
    assert interviews.analyse_queued(db).claimed == 0 and len(calls) == MAX_ATTEMPTS


def test_a_failed_interview_queued_again_starts_over_and_clears_the_failure(
    db: Database, retail: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview_id = _import(db, retail)
    _failing(monkeypatch, InvalidInput("no"))  # would not change: failed at once
    assert interviews.analyse_queued(db).failed == 1
    assert _row(db, interview_id).attempts == 1
    monkeypatch.undo()
    queued = interviews.queue_analysis(db, workspace_id=retail.id, interview_id=interview_id)
    assert (queued.status, queued.failure) == ("queued", "InvalidInput: no")
    assert interviews.analyse_queued(db).analysed == 1
    row = _row(db, interview_id)
    assert (row.status, row.attempts, row.failure) == ("analysed", 1, None)


def test_an_expired_lease_is_claimed_again(db: Database, retail: Tenant, clock: FixedClock) -> None:
    interview_id = _import(db, retail)
    [crashed] = INTERVIEWS.claim(db, now=START, limit=5, lease=LEASE)  # then the worker died
    assert _row(db, interview_id).status == "analysing"
    assert interviews.analyse_queued(db, lease=LEASE).claimed == 0  # its lease still holds
    clock.advance(minutes=15, seconds=1)
    report = interviews.analyse_queued(db, lease=LEASE)
    assert (report.claimed, report.analysed) == (1, 1)
    row = _row(db, interview_id)
    assert (row.status, row.attempts, crashed.attempt) == ("analysed", 2, 1)


def test_a_lease_lost_on_the_last_attempt_fails_the_interview(
    db: Database, retail: Tenant, clock: FixedClock
) -> None:
    interview_id = _import(db, retail)
    for _ in range(MAX_ATTEMPTS):  # a text that kills its worker every time
        assert len(INTERVIEWS.claim(db, now=clock.now(), limit=5, lease=LEASE)) == 1
        clock.advance(minutes=16)
    assert INTERVIEWS.claim(db, now=clock.now(), limit=5, lease=LEASE) == []
    row = _row(db, interview_id)
    assert (row.status, row.failure) == ("failed", LOST_LEASE.format(attempts=MAX_ATTEMPTS))


def test_a_worker_whose_claim_was_taken_over_stores_nothing(
    db: Database, retail: Tenant, clock: FixedClock
) -> None:
    interview_id = _import(db, retail)
    [late] = INTERVIEWS.claim(db, now=START, limit=5, lease=LEASE)
    clock.advance(minutes=16)
    [current] = INTERVIEWS.claim(db, now=clock.now(), limit=5, lease=LEASE)
    analysis = InterviewAnalysis(utterances=(), findings=(), model="late")
    assert not interviews.save_claimed_analysis(db, late, analysis)
    assert interviews.save_claimed_analysis(db, current, analysis)
    assert (_row(db, interview_id).status, _row(db, interview_id).model) == ("analysed", "late")


def test_analysing_now_takes_the_interview_from_a_worker(db: Database, retail: Tenant) -> None:
    interview_id = _import(db, retail)
    [worker] = INTERVIEWS.claim(db, now=START, limit=5, lease=LEASE)
    done = interviews.analyze_interview(db, workspace_id=retail.id, interview_id=interview_id)
    assert done.status == "analysed" and done.utterances[1].annotation is not None
    empty = InterviewAnalysis(utterances=(), findings=(), model="stale")
    assert not interviews.save_claimed_analysis(db, worker, empty)
    assert _row(db, interview_id).model != "stale"


def test_analysing_now_records_a_failure_and_raises_it(
    db: Database, retail: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview_id = _import(db, retail, analyze=False)
    _failing(monkeypatch, RuntimeError("out of memory"))
    with pytest.raises(RuntimeError):
        interviews.analyze_interview(db, workspace_id=retail.id, interview_id=interview_id)
    row = _row(db, interview_id)
    assert (row.status, row.failure) == ("queued", "RuntimeError: out of memory")


def test_claims_skip_rows_another_worker_has_locked(
    db: Database, retail: Tenant, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time: its claims never overlap")
    first, second = _import(db, retail), _import(db, retail)
    with db.engine.connect() as other:
        locked = other.execute(
            text("SELECT id FROM interview WHERE id = :id FOR UPDATE"), {"id": first}
        ).scalar_one()
        claimed = INTERVIEWS.claim(db, now=START, limit=5, lease=LEASE)
        other.rollback()
    assert locked == first and [c.id for c in claimed] == [second]
