"""The map's pure parts: which score makes a survey point, how interview turns become one,
and which evidence a stage shows."""

from __future__ import annotations

import datetime as dt
import uuid
from statistics import fmean

import pytest

from journeyscope.analytics import estimate_mean, estimate_nps, estimate_proportion
from journeyscope.interviews import Finding, FindingKind, Quote
from journeyscope.maps import (
    Evidence,
    EvidenceKind,
    FeelingSource,
    interview_evidence,
    interview_feeling,
    ranked,
    survey_feeling,
    verbatim_evidence,
)
from journeyscope.verbatims import VerbatimExample, VerbatimGroup, VerbatimTheme

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_the_survey_point_is_the_stages_nps_when_it_has_enough_answers() -> None:
    nps = estimate_nps(detractors=10, passives=10, promoters=30)
    csat = estimate_proportion(successes=40, n=50)
    point = survey_feeling("buy", nps, csat)
    assert (point.source, point.estimate) == (FeelingSource.NPS, nps)


def test_without_enough_nps_answers_csat_is_drawn_as_satisfied_minus_the_rest() -> None:
    nps = estimate_nps(detractors=1, passives=1, promoters=2)  # 4 < 30: too few
    csat = estimate_proportion(successes=40, n=50)
    point = survey_feeling("buy", nps, csat)
    assert point.source is FeelingSource.CSAT
    assert csat.value is not None and csat.low is not None and csat.high is not None
    assert point.estimate.value == pytest.approx(2 * csat.value - 1)
    assert (point.estimate.low, point.estimate.high) == pytest.approx(
        (2 * csat.low - 1, 2 * csat.high - 1)
    )
    assert point.estimate.n == 50 and "2p-1" in point.estimate.method


def test_too_few_of_both_draws_nothing_but_says_how_many_there_were() -> None:
    nps = estimate_nps(detractors=1, passives=1, promoters=2)
    csat = estimate_proportion(successes=3, n=5)
    point = survey_feeling("buy", nps, csat)
    assert (point.source, point.estimate.value, point.estimate.n) == (FeelingSource.NONE, None, 5)
    assert survey_feeling("buy", None, None).estimate.n == 0


def test_two_interviews_or_more_are_averaged_per_interview_not_per_turn() -> None:
    chatty = [-0.9] * 20  # one talkative, unhappy customer
    point = interview_feeling("buy", {A: chatty, B: [0.5, 0.7], C: [0.6]}, min_n=3)
    means = [fmean(chatty), 0.6, 0.6]
    assert point.basis == "interviews" and point.turns == 23
    assert point.estimate.value == pytest.approx(fmean(means))
    expected = estimate_mean(means, min_n=3)
    assert point.estimate.n == 3
    assert point.estimate.low == pytest.approx(max(-1.0, expected.low or 0))


def test_one_interview_is_read_across_its_turns_and_kept_within_minus_one_and_one() -> None:
    point = interview_feeling("buy", {A: [-0.95, -0.9, -0.2]}, min_n=3)
    assert (point.basis, point.estimate.n, point.source) == ("turns", 3, FeelingSource.INTERVIEWS)
    assert point.estimate.low == -1.0  # a t interval over three values reaches past -1
    assert interview_feeling("buy", {A: [-0.5]}).source is FeelingSource.NONE  # no spread


def _finding(kind: FindingKind, stage: str | None, intensity: float) -> Finding:
    return Finding(
        kind=kind,
        summary=f"{kind} {intensity}",
        quotes=(Quote(position=4, text="charged us twice"),),
        stage=stage,
        emotion="frustrated",
        intensity=intensity,
    )


def test_interview_findings_become_stage_evidence_that_points_at_the_turn() -> None:
    findings = [
        (A, _finding(FindingKind.WEAKNESS, "buy", 0.8)),
        (A, _finding(FindingKind.STRENGTH, "buy", 0.4)),
        (B, _finding(FindingKind.PROBE, "buy", 0.9)),  # for the interviewer, not the map
        (B, _finding(FindingKind.CHURN_RISK, None, 0.9)),  # no stage: nowhere to put it
        (B, _finding(FindingKind.OPPORTUNITY, "use", 0.3)),
    ]
    by_stage = interview_evidence(findings)
    assert {s: [e.kind for e in found] for s, found in by_stage.items()} == {
        "buy": [EvidenceKind.PAIN_POINT, EvidenceKind.BRIGHT_SPOT],
        "use": [EvidenceKind.OPPORTUNITY],
    }
    quote = by_stage["buy"][0].quotes[0]
    assert (quote.interview_id, quote.position, quote.source) == (A, 4, "interview")


def _theme(label: str, valences: list[float], size: int) -> VerbatimTheme:
    when = dt.datetime(2027, 1, 5, tzinfo=dt.UTC)
    examples = tuple(
        VerbatimExample(f"{label} {i}", "q1", when, v, "annoyed" if v < 0 else "pleased", False)
        for i, v in enumerate(valences)
    )
    return VerbatimTheme(label, size, examples)


def test_only_clearly_felt_verbatim_themes_are_pain_points_or_bright_spots() -> None:
    group = VerbatimGroup(
        key="buy",
        name="Buy",
        verbatims=90,
        valence=-0.1,
        emotions={"annoyed": 40},
        minimized=3,
        sampled=90,
        themes=(
            _theme("delivery late", [-0.7, -0.5, -0.6], 40),
            _theme("opening hours", [0.1, -0.1, 0.05], 30),  # mixed: says nothing clear
            _theme("friendly staff", [0.8, 0.6], 20),
        ),
    )
    found = verbatim_evidence(group)
    assert [(e.kind, e.summary, e.size) for e in found] == [
        (EvidenceKind.PAIN_POINT, "delivery late", 40),
        (EvidenceKind.BRIGHT_SPOT, "friendly staff", 20),
    ]
    assert found[0].emotion == "annoyed" and found[0].strength == pytest.approx(0.6)
    assert all(q.source == "verbatim" and q.answered_at for q in found[0].quotes)


def test_ranked_keeps_the_strongest_of_each_kind_in_kind_order() -> None:
    def ev(kind: EvidenceKind, strength: float) -> Evidence:
        return Evidence(kind, f"{kind} {strength}", "interview", (), strength=strength)

    pains = [ev(EvidenceKind.PAIN_POINT, s / 10) for s in range(8)]
    kept = ranked([ev(EvidenceKind.BRIGHT_SPOT, 0.9), *pains], per_kind=3)
    assert [(e.kind, e.strength) for e in kept] == [
        (EvidenceKind.PAIN_POINT, 0.7),
        (EvidenceKind.PAIN_POINT, 0.6),
        (EvidenceKind.PAIN_POINT, 0.5),
        (EvidenceKind.BRIGHT_SPOT, 0.9),
    ]
