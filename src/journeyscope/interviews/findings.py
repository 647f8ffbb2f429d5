"""Findings from annotated customer turns: probes, strengths, weaknesses, opportunities, churn.

Every finding carries the quotes it rests on. Two passes:

- **Probe opportunities**, one per customer turn that played down a negative feeling or
  problem, or showed a strong feeling (``nlp.emotions.strong_feeling``): the moment a skilled
  interviewer would follow up, with 2-3 open-ended follow-ups in the customer's own words
  (``nlp.suggest_follow_ups``).
- **Strengths, weaknesses, opportunities and churn risks**: churn and wish cues each add their
  kind, and valence with the other cues adds a weakness or a strength
  (``nlp.classify_finding_kind``); a played-down concern is a weakness at full weight, and a
  turn that is a weakness or a churn risk is never also a strength. Turns of the same kind
  about the same stage become one finding with several quotes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from journeyscope.interviews.analysis_models import Finding, FindingKind, Quote, StageTag
from journeyscope.nlp import (
    NEGATIVE_EMOTIONS,
    POSITIVE_EMOTIONS,
    Annotation,
    CueKind,
    classify_finding_kind,
    strong_feeling,
    strongest,
    suggest_follow_ups,
)

MIN_STRENGTH_WORDS = 4
"""Shorter turns are not strengths: a "Sure." or "Yes, we did." answers the interviewer's
question and scores as approval, but says nothing of its own about what customers value."""
_CUE_KINDS = {CueKind.CHURN: FindingKind.CHURN_RISK, CueKind.WISH: FindingKind.OPPORTUNITY}
_LABELS = {
    FindingKind.STRENGTH: "Strength",
    FindingKind.WEAKNESS: "Pain point",
    FindingKind.OPPORTUNITY: "Opportunity",
    FindingKind.CHURN_RISK: "Churn risk",
}


def build_findings(
    annotations: Mapping[int, Annotation],
    stages: Mapping[int, StageTag | None],
    *,
    stage_names: Mapping[str, str],
) -> tuple[Finding, ...]:
    """All findings of one interview: probes in transcript order, then grouped findings."""
    probes = [
        probe
        for pos, a in sorted(annotations.items())
        if (probe := _probe(pos, a, stages.get(pos)))
    ]
    return (*probes, *_grouped(annotations, stages, stage_names))


def _probe(position: int, annotation: Annotation, stage: StageTag | None) -> Finding | None:
    """A probe opportunity for a played-down concern or a strong feeling, else ``None``."""
    feeling = strong_feeling(annotation)
    if annotation.minimization:
        summary = f'Played down: "{annotation.minimization.concern.text}"'
        feeling = feeling or strongest(annotation.emotions, NEGATIVE_EMOTIONS)
    elif feeling:
        summary = f"Strong feeling: {feeling[0] or 'negative'}"
    else:
        return None
    emotion = feeling[0] if feeling else None
    return Finding(
        kind=FindingKind.PROBE,
        summary=summary,
        quotes=(Quote(position=position, text=annotation.text),),
        stage=stage.stage if stage else None,
        touchpoint=stage.touchpoint if stage else None,
        emotion=emotion,
        intensity=feeling[1] if feeling else 0.0,
        follow_ups=suggest_follow_ups(annotation.text, annotation.minimization, emotion=emotion),
    )


def _kinds(annotation: Annotation) -> set[FindingKind]:
    """The finding kinds of one customer turn: a turn can both wish and threaten to leave.

    Churn and wish cues each add their kind; valence and the other cues add at most one of
    weakness or strength (``nlp.classify_finding_kind``). A played-down concern is a weakness.
    """
    cues = {CueKind(cue) for cue in annotation.cues}  # found once, by nlp.annotate
    kinds = {kind for cue, kind in _CUE_KINDS.items() if cue in cues}
    if rest := classify_finding_kind(annotation.valence, cues - set(_CUE_KINDS)):
        kinds.add(FindingKind(rest))
    if annotation.minimization:
        kinds.add(FindingKind.WEAKNESS)
    if kinds & {FindingKind.WEAKNESS, FindingKind.CHURN_RISK}:
        kinds.discard(FindingKind.STRENGTH)  # "we will probably switch" is no strength
    if len(annotation.text.split()) < MIN_STRENGTH_WORDS:
        kinds.discard(FindingKind.STRENGTH)  # "Yes, we did." reads as approval, says nothing
    return kinds


def _grouped(
    annotations: Mapping[int, Annotation],
    stages: Mapping[int, StageTag | None],
    stage_names: Mapping[str, str],
) -> list[Finding]:
    """Strengths, weaknesses, opportunities and churn risks, one per kind and stage."""
    groups: dict[tuple[FindingKind, str | None], list[int]] = defaultdict(list)
    for pos, annotation in sorted(annotations.items()):
        tag = stages.get(pos)
        for kind in sorted(_kinds(annotation)):
            groups[(kind, tag.stage if tag else None)].append(pos)
    return [
        _group_finding(kind, stage, positions, annotations, stage_names)
        for (kind, stage), positions in groups.items()
    ]


def _group_finding(
    kind: FindingKind,
    stage: str | None,
    positions: list[int],
    annotations: Mapping[int, Annotation],
    stage_names: Mapping[str, str],
) -> Finding:
    """One finding of a kind at a stage, with every quote behind it."""
    labels = POSITIVE_EMOTIONS if kind == FindingKind.STRENGTH else NEGATIVE_EMOTIONS
    feelings = [f for p in positions if (f := strongest(annotations[p].emotions, labels))]
    top = max(feelings, key=lambda kv: kv[1]) if feelings else None
    where = f" at {stage_names.get(stage, stage)}" if stage else ""
    return Finding(
        kind=kind,
        summary=f"{_LABELS[kind]}{where}" + (f": {top[0]}" if top else ""),
        quotes=tuple(Quote(position=p, text=annotations[p].text) for p in positions),
        stage=stage,
        emotion=top[0] if top else None,
        intensity=top[1] if top else 0.0,
    )
