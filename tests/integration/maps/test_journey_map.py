"""The journey map of a simulated workspace with an analysed interview, on both databases:
every number is the analytics' own, both curves are drawn, evidence leads to its turn."""

from __future__ import annotations

import datetime as dt
from statistics import fmean

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_tenant
from journeyscope import analytics, interviews, journey, maps, orchestration, simulation
from journeyscope.clock import FixedClock
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.interviews import EXAMPLE_INTERVIEW
from journeyscope.store import Database
from metrics_support import declare_segments

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
SINCE, UNTIL = dt.date(2027, 2, 15), dt.date(2027, 3, 1)
MIN_N = 5  # two weeks of simulated traffic give every stage more answers than this


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def mapped(client: TestClient, tenant: Tenant, db: Database) -> maps.JourneyMap:
    """Four weeks of simulated saas-app traffic and the example interview, analysed."""
    declare_segments(db, tenant, "tier")
    simulation.simulate(
        db,
        workspace_id=tenant.id,
        start=SINCE,
        days=(UNTIL - SINCE).days,
        responses_per_day=60,
        seed=3,
        journey_key="saas-app",
    )
    uploaded = client.post(
        "/v1/interviews",
        headers=tenant.headers,
        files={"file": (EXAMPLE_INTERVIEW.name, EXAMPLE_INTERVIEW.read_bytes(), "text/vtt")},
        data={"journey": "saas-app", "participant": "P01"},
    )
    assert uploaded.status_code == 202, uploaded.text
    assert interviews.analyse_queued(db).analysed == 1
    return maps.journey_map(
        db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE, until=UNTIL, min_n=MIN_N
    )


def test_stages_and_touchpoints_follow_the_journey(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    found = journey.get_journey(db, workspace_id=tenant.id, key="saas-app")
    assert [s.key for s in mapped.stages] == [s.key for s in found.stages]
    assert [[t.key for t in s.touchpoints] for s in mapped.stages] == [
        [t.key for t in s.touchpoints] for s in found.stages
    ]
    assert [(t.channel) for t in mapped.stages[0].touchpoints] == [
        str(t.channel) for t in found.stages[0].touchpoints
    ]
    assert (mapped.since, mapped.until, mapped.interviews) == (SINCE, UNTIL, 1)


def test_each_stage_metric_is_the_analytics_estimate_with_a_trend_that_adds_up(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    for metric in maps.MAP_METRICS:
        _check_stage_metric(mapped, db, tenant, metric)


def _check_stage_metric(mapped: maps.JourneyMap, db: Database, tenant: Tenant, metric: str) -> None:
    table = analytics.metric_table(
        db, workspace_id=tenant.id, metric=metric, by="stage", journey="saas-app",
        since=SINCE, until=UNTIL, min_n=MIN_N,
    )  # fmt: skip
    expected = {c.keys["stage"]: c.estimate for c in table.cells}
    shown = {s.key: m for s in mapped.stages for m in s.metrics if m.metric == metric}
    assert {k: m.estimate for k, m in shown.items()} == expected
    assert all(e.n > 0 and e.low is not None for e in expected.values())
    for summary in shown.values():
        assert summary.grain == "week"
        assert sum(p.n for p in summary.trend) == summary.estimate.n
        assert [p.period for p in summary.trend] == sorted(p.period for p in summary.trend)


def test_the_survey_curve_is_each_stages_nps_on_minus_one_to_one(
    mapped: maps.JourneyMap,
) -> None:
    for stage in mapped.stages:
        nps = next(m.estimate for m in stage.metrics if m.metric == "nps")
        point = stage.survey_feeling
        assert point.source is maps.FeelingSource.NPS and point.estimate == nps
        assert point.estimate.value is not None and -1 <= point.estimate.value <= 1


def test_the_interview_curve_reads_the_turns_tagged_with_each_stage(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    [summary] = interviews.list_interviews(db, workspace_id=tenant.id).items
    stored = interviews.load_interview(db, workspace_id=tenant.id, interview_id=summary.id)
    assert stored.analysis is not None
    by_stage: dict[str, list[float]] = {}
    for turn in stored.analysis.utterances:
        if turn.annotation is not None and turn.stage is not None:
            by_stage.setdefault(turn.stage.stage, []).append(turn.annotation.valence)
    drawn = {s.key: s.interview_feeling for s in mapped.stages if s.interview_feeling.turns >= 2}
    assert drawn, "the example interview talks about several stages at length"
    for key, point in drawn.items():
        assert point.basis == "turns" and point.turns == len(by_stage[key])
        assert point.estimate.value == pytest.approx(fmean(by_stage[key]))
    purchase = next(s for s in mapped.stages if s.key == "purchase")
    assert purchase.interview_feeling.turns == len(by_stage.get("purchase", []))


def test_a_pain_point_quotes_the_turn_it_came_from(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    pains = [
        (stage.key, e)
        for stage in mapped.stages
        for e in stage.evidence
        if e.kind is maps.EvidenceKind.PAIN_POINT and e.source == "interview"
    ]
    assert pains
    for _, evidence in pains:
        for quote in evidence.quotes:
            assert quote.interview_id is not None and quote.position is not None
            stored = interviews.load_interview(
                db, workspace_id=tenant.id, interview_id=quote.interview_id
            )
            assert quote.text in stored.transcript.utterances[quote.position].text
    assert any("charged us twice" in q.text for _, e in pains for q in e.quotes)


def test_a_segment_filter_narrows_the_survey_figures_only(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    gold = maps.journey_map(
        db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE, until=UNTIL,
        filters={"segment:tier": ["gold"]},
    )  # fmt: skip
    assert gold.filters == {"segment:tier": ("gold",)}
    for everyone, some in zip(mapped.stages, gold.stages, strict=True):
        assert 0 < some.survey_feeling.estimate.n < everyone.survey_feeling.estimate.n
        assert some.interview_feeling == everyone.interview_feeling


def test_too_few_answers_show_no_number_but_say_how_many(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    strict = maps.journey_map(
        db, workspace_id=tenant.id, journey_key="saas-app", since=SINCE, until=UNTIL,
        min_n=1_000_000,
    )  # fmt: skip
    for stage in strict.stages:
        assert stage.survey_feeling.source is maps.FeelingSource.NONE
        assert stage.survey_feeling.estimate.value is None
        assert stage.survey_feeling.estimate.n > 0


def test_the_default_period_is_the_last_ninety_days_today_included(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    default = maps.journey_map(db, workspace_id=tenant.id, journey_key="saas-app")
    assert default.until == NOW.date() + dt.timedelta(days=1)
    assert (default.until - default.since).days == maps.DEFAULT_DAYS


def test_bad_requests_are_refused_with_the_field_named(db: Database, tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        maps.journey_map(db, workspace_id=tenant.id, journey_key="nope")
    simulation.simulate(
        db, workspace_id=tenant.id, start=SINCE, days=2, responses_per_day=5, seed=1,
        journey_key="saas-app",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as empty:
        maps.journey_map(
            db, workspace_id=tenant.id, journey_key="saas-app", since=UNTIL, until=SINCE
        )
    assert empty.value.field == "since"
    with pytest.raises(InvalidInput) as by_stage:
        maps.journey_map(
            db, workspace_id=tenant.id, journey_key="saas-app", filters={"stage": ["purchase"]}
        )
    assert by_stage.value.field == "filter"


def test_another_workspace_sees_no_map_of_this_one(mapped: maps.JourneyMap, db: Database) -> None:
    other = make_tenant(db, slug="other")
    with pytest.raises(NotFound):
        maps.journey_map(db, workspace_id=other.id, journey_key="saas-app")


def test_response_rates_count_the_invitations_of_each_touchpoint_and_stage(
    mapped: maps.JourneyMap, db: Database, tenant: Tenant
) -> None:
    report = orchestration.response_rates(
        db, workspace_id=tenant.id, by="touchpoint", since=SINCE, until=UNTIL
    )
    counts = {g.group["touchpoint"]: g.counts for g in report.groups}
    assert sum(c.completed for c in counts.values()) > 0, "the simulator invites and answers"
    for stage in mapped.stages:
        for cell in stage.touchpoints:
            c = counts.get(cell.key)
            rate = cell.response_rate
            if c is None:
                assert (rate.invited, rate.sent, rate.completed) == (0, 0, 0)
                continue
            sent = c.completed + c.partial + c.opened_no_answer + c.unsubscribed
            sent += c.no_contact + c.undelivered
            assert (rate.sent, rate.completed) == (sent, c.completed)
            assert rate.invited == sent + c.not_sent + c.pending
            assert rate.rate == analytics.estimate_proportion(
                successes=c.completed, n=sent, min_n=MIN_N
            )
        total = stage.response_rate
        assert total.sent == sum(t.response_rate.sent for t in stage.touchpoints)
        assert total.completed == sum(t.response_rate.completed for t in stage.touchpoints)
        assert total.rate.n == total.sent and total.rate.method == "wilson"
    answered = [s for s in mapped.stages if s.response_rate.rate.value is not None]
    assert answered and all(0 < s.response_rate.rate.value < 1 for s in answered)  # type: ignore[operator]
