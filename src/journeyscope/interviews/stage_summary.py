"""Emotions per journey stage: what the map's emotion curve reads from interviews.

For each stage, over the customer turns tagged to it: how many turns; the mean valence (the
curve's height), each turn weighted by its length in words, so a "Yes, we did." read as
approval does not outweigh the story of what went wrong; how often each CX emotion was
expressed and how strongly on average; and how many turns played a concern down. Played-down
turns count at the valence of their feedback (``nlp.annotate`` already scores them so), never
at the dismissal's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from journeyscope.interviews.analysis_models import InterviewAnalysis, UtteranceAnalysis
from journeyscope.nlp import Annotation


@dataclass(frozen=True, slots=True)
class StageEmotions:
    """The emotions customers expressed about one stage in one or more interviews."""

    stage: str
    turns: int
    valence: float  # mean valence of the stage's customer turns, weighted by words, -1…1
    emotions: dict[str, tuple[int, float]]  # emotion → (turns expressing it, mean intensity)
    minimized: int  # turns that played a concern down


def emotions_by_stage(
    analyses: list[InterviewAnalysis], *, order: Sequence[str] = ()
) -> list[StageEmotions]:
    """Per stage, the emotions of the customer turns about it, in the journey's order.

    ``order`` lists stage keys as the journey has them (several journeys: one after the
    other); stages it leaves out follow, in order of first mention.
    """
    by_stage: dict[str, list[UtteranceAnalysis]] = defaultdict(list)
    for analysis in analyses:
        for result in analysis.utterances:
            if result.annotation and result.stage:
                by_stage[result.stage.stage].append(result)
    rank = {stage: index for index, stage in enumerate(dict.fromkeys(order))}
    mentioned = list(by_stage)
    stages = sorted(mentioned, key=lambda s: (rank.get(s, len(rank)), mentioned.index(s)))
    return [_summary(stage, by_stage[stage]) for stage in stages]


def _summary(stage: str, results: list[UtteranceAnalysis]) -> StageEmotions:
    """One stage's summary from its annotated turns."""
    annotations = [r.annotation for r in results if r.annotation]
    scores: dict[str, list[float]] = defaultdict(list)
    for annotation in annotations:
        for label, score in annotation.emotions.items():
            scores[label].append(score)
    emotions = {
        label: (len(values), round(sum(values) / len(values), 4))
        for label, values in sorted(scores.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }
    return StageEmotions(
        stage=stage,
        turns=len(annotations),
        valence=_weighted_valence(annotations),
        emotions=emotions,
        minimized=sum(1 for a in annotations if a.minimized),
    )


def _weighted_valence(annotations: list[Annotation]) -> float:
    """Mean valence, each turn weighted by its number of words (at least one)."""
    weights = [max(1, len(a.text.split())) for a in annotations]
    total = sum(w * a.valence for w, a in zip(weights, annotations, strict=True))
    return round(total / sum(weights), 4)
