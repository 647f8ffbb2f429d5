"""Survey verbatims: queued with the completing response, analysed by one worker pass, retried,
re-claimed after a lost lease, and rolled up per stage or touchpoint; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from factories import FOUND_IT_SURVEY, Tenant, make_published_survey, make_tenant
from journeyscope import collection, verbatims
from journeyscope.clock import FixedClock
from journeyscope.collection import ResponseIn
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.interviews import MAX_ATTEMPTS
from journeyscope.store import Database, tables
from journeyscope.verbatims import VERBATIMS, analyzing

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=15)
JOURNEY = {
    "key": "retail",
    "name": "Retail",
    "stages": [
        {
            "key": "buy",
            "name": "Buy",
            "touchpoints": [{"key": "till", "name": "Till", "channel": "onsite"}],
        },
        {
            "key": "use",
            "name": "Use",
            "touchpoints": [{"key": "app", "name": "App", "channel": "in_app"}],
        },
    ],
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def shop(db: Database, tenant: Tenant) -> Tenant:
    make_published_survey(
        db,
        tenant,
        key="till",
        definition=FOUND_IT_SURVEY,
        journey_spec=JOURNEY,
        touchpoint_key="till",
    )
    make_published_survey(
        db,
        tenant,
        key="app",
        definition=FOUND_IT_SURVEY,
        journey_spec=JOURNEY,
        touchpoint_key="app",
    )
    return tenant


def _answer(
    db: Database, tenant: Tenant, survey: str, answers: dict[str, Any], *, complete: bool = True
) -> uuid.UUID:
    data = ResponseIn.model_validate(
        {
            "id": str(uuid.uuid4()),
            "survey_key": survey,
            "channel": "onsite" if survey == "till" else "in_app",
            "answers": answers,
            "complete": complete,
        }
    )
    view, _ = collection.submit_response(db, workspace_id=tenant.id, data=data)
    return view.id


def _rows(db: Database) -> list[Any]:
    with db.transaction() as session:
        table = tables.Verbatim.__table__
        return list(session.execute(select(table).order_by(table.c.question_id)))


def test_completing_a_response_queues_its_open_answers(db: Database, shop: Tenant) -> None:
    _answer(db, shop, "till", {"found": "yes", "note": "  "}, complete=True)  # blank: nothing
    _answer(db, shop, "till", {"found": "no", "note": "Slow queue"}, complete=False)
    assert _rows(db) == []  # a partial response queues nothing
    _answer(db, shop, "till", {"found": "no", "note": "Slow queue", "more": "Two tills shut"})
    rows = _rows(db)
    assert [(r.question_id, r.status, r.attempts) for r in rows] == [
        ("more", "queued", 0),
        ("note", "queued", 0),
    ]
    assert all(r.answered_at == START and r.due_at == START and r.text is None for r in rows)


def test_one_pass_redacts_and_analyses(db: Database, shop: Tenant) -> None:
    note = "The checkout was a bit confusing but whatever, write to sam@example.com"
    response = _answer(db, shop, "till", {"found": "no", "note": note})
    report = verbatims.analyse_queued(db)
    assert (report.claimed, report.analysed) == (1, 1)
    [row] = _rows(db)
    assert row.status == "analysed" and row.analysed_at == START and row.failure is None
    assert "sam@example.com" not in row.text and "[EMAIL]" in row.text
    assert row.is_minimized and row.valence < 0 and len(row.embedding) == 384 * 4
    stored = collection.get_response(db, workspace_id=shop.id, response_id=response)
    assert stored.answers["note"] == note  # the response keeps the answer as given
    assert verbatims.analyse_queued(db).claimed == 0


def test_a_bad_text_fails_alone_is_retried_then_failed_with_the_reason(
    db: Database, shop: Tenant, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyzing.analyse_texts

    def fragile(texts: list[str], *, now: dt.datetime) -> list[dict[str, Any]]:
        if any("boom" in t for t in texts):
            raise ValueError("the model choked")
        return real(texts, now=now)

    monkeypatch.setattr(analyzing, "analyse_texts", fragile)
    _answer(db, shop, "till", {"found": "no", "note": "boom", "more": "The staff were lovely"})
    report = verbatims.analyse_queued(db)
    assert (report.analysed, report.retried) == (1, 1)
    bad = next(r for r in _rows(db) if r.question_id == "note")
    assert (bad.status, bad.failure) == ("queued", "ValueError: the model choked")
    for wait in (60, 600):
        assert verbatims.analyse_queued(db).claimed == 0  # not before the backoff
        clock.advance(seconds=wait)
        verbatims.analyse_queued(db)
    bad = next(r for r in _rows(db) if r.question_id == "note")
    assert (bad.status, bad.attempts, bad.failure) == (
        "failed",
        MAX_ATTEMPTS,
        "ValueError: the model choked",
    )


def test_an_expired_lease_is_claimed_again(db: Database, shop: Tenant, clock: FixedClock) -> None:
    _answer(db, shop, "till", {"found": "no", "note": "Slow queue"})
    assert len(VERBATIMS.claim(db, now=START, limit=10, lease=LEASE)) == 1  # then it died
    assert verbatims.analyse_queued(db, lease=LEASE).claimed == 0
    clock.advance(minutes=16)
    report = verbatims.analyse_queued(db, lease=LEASE)
    assert (report.claimed, report.analysed) == (1, 1)
    assert [(r.status, r.attempts) for r in _rows(db)] == [("analysed", 2)]


SLOW = ["The queue at the till was far too slow", "I waited ages in the slow queue at the till"]
FRIENDLY = ["The cashier was friendly and kind", "Such a friendly and kind cashier"]


def test_summary_by_stage_and_touchpoint(db: Database, shop: Tenant, clock: FixedClock) -> None:
    for text in SLOW + FRIENDLY:
        _answer(db, shop, "till", {"found": "no", "note": text})
    _answer(db, shop, "app", {"found": "no", "note": "The app crashed and I was angry"})
    verbatims.analyse_queued(db)
    clock.advance(days=1)
    _answer(db, shop, "app", {"found": "no", "note": "Not analysed yet"})
    summary = verbatims.verbatim_summary(db, workspace_id=shop.id, journey_key="retail")
    assert [g.key for g in summary.groups] == ["buy", "use"]
    assert (summary.pending, summary.failed) == (1, 0)
    buy, use = summary.groups
    assert (buy.verbatims, buy.sampled, use.verbatims) == (4, 4, 1)
    assert sum(buy.emotions.values()) <= 4 and use.valence is not None and use.valence < 0
    labels = {t.label: {e.text for e in t.examples} for t in buy.themes}
    assert set(SLOW) in labels.values() and set(FRIENDLY) in labels.values()
    by_point = verbatims.verbatim_summary(
        db,
        workspace_id=shop.id,
        journey_key="retail",
        by="touchpoint",
        until=START + dt.timedelta(hours=1),
    )
    assert [(g.key, g.verbatims) for g in by_point.groups] == [("till", 4), ("app", 1)]
    assert by_point.pending == 0  # the later answer is outside the period
    later = verbatims.verbatim_summary(
        db, workspace_id=shop.id, journey_key="retail", since=START + dt.timedelta(hours=1)
    )
    assert [g.verbatims for g in later.groups] == [0, 0] and later.groups[0].themes == ()


def test_summary_refuses_an_unknown_journey_and_an_empty_period(db: Database, shop: Tenant) -> None:
    with pytest.raises(NotFound):
        verbatims.verbatim_summary(db, workspace_id=shop.id, journey_key="nope")
    with pytest.raises(InvalidInput) as caught:
        verbatims.verbatim_summary(
            db, workspace_id=shop.id, journey_key="retail", since=START, until=START
        )
    assert caught.value.field == "since"


def test_summary_of_another_workspace_sees_nothing(db: Database, shop: Tenant) -> None:
    _answer(db, shop, "till", {"found": "no", "note": "Slow queue"})
    verbatims.analyse_queued(db)
    other = make_tenant(db, "other")
    make_published_survey(db, other, key="till", definition=FOUND_IT_SURVEY, journey_spec=JOURNEY)
    summary = verbatims.verbatim_summary(db, workspace_id=other.id, journey_key="retail")
    assert [g.verbatims for g in summary.groups] == [0, 0]
