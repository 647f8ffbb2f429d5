"""Which journey stage (and touchpoint) each passage of an interview is about.

Three signals, combined per utterance:

1. **Similarity** of the passage to each stage's profile (its name, description, customer
   actions and touchpoint names and descriptions), with the all-MiniLM-L6-v2 embeddings that
   ship with ``nlp``;
2. **The interviewer's preceding question**: an answer is about what was asked, so a customer
   turn is read together with the question before it, and the question counts as much as the
   answer;
3. **Continuity**: conversations stay on a stage for a while, so the previous turn's scores carry
   over with a decay, which keeps a short "Yes, exactly." on the stage being discussed.

Scores become a distribution with a softmax (temperature below); the confidence is the winning
stage's share. A touchpoint is named when it is clearly the nearest within the chosen stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from journeyscope.interviews.analysis_models import StageTag
from journeyscope.interviews.transcripts import Role, Transcript

CARRY_OVER = 0.6  # weight of the previous turn's stage scores
QUESTION_WEIGHT = 1.0  # the preceding question counts as much as the answer itself
TEMPERATURE = 0.05  # softmax temperature over cosine similarities (MiniLM cosines are close)
NAME_BONUS = 0.08  # a stage or touchpoint named in the passage itself
MIN_CONFIDENCE = 0.3  # below this the passage is left untagged
TOUCHPOINT_MARGIN = 0.03  # the nearest touchpoint must beat the next by this cosine


class TouchpointLike(Protocol):
    """What stage tagging reads of a touchpoint (a spec or a stored view both fit)."""

    @property
    def key(self) -> str:
        """Its key in the journey."""
        ...

    @property
    def name(self) -> str:
        """Its name, as customers would say it."""
        ...

    @property
    def description(self) -> str:
        """What it is about."""
        ...


class StageLike(Protocol):
    """What stage tagging reads of a stage (a spec or a stored view both fit)."""

    @property
    def key(self) -> str:
        """Its key in the journey."""
        ...

    @property
    def name(self) -> str:
        """Its name, as customers would say it."""
        ...

    @property
    def description(self) -> str:
        """What it is about."""
        ...

    @property
    def customer_actions(self) -> Sequence[str]:
        """What customers do at this stage."""
        ...

    @property
    def touchpoints(self) -> Sequence[TouchpointLike]:
        """Its touchpoints."""
        ...


Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class _Profiles:
    stage_keys: list[str]
    stage_names: list[str]
    stages: np.ndarray  # one embedding row per stage
    touchpoints: list[list[tuple[str, str, np.ndarray]]]  # per stage: key, name, embedding


def tag_stages(
    transcript: Transcript, stages: Sequence[StageLike], *, embed: Embed
) -> list[StageTag | None]:
    """One stage tag (or ``None``) per utterance of the transcript, in order."""
    if not stages or not transcript.utterances:
        return [None] * len(transcript.utterances)
    profiles = _profiles(stages, embed)
    texts = [u.text for u in transcript.utterances]
    vectors = embed(texts)
    similarity = vectors @ profiles.stages.T
    tags: list[StageTag | None] = []
    carried = np.zeros(len(profiles.stage_keys))
    question = np.zeros(len(profiles.stage_keys))
    for i, utterance in enumerate(transcript.utterances):
        own = similarity[i] + _name_bonus(texts[i], profiles.stage_names)
        if utterance.role == Role.INTERVIEWER:
            question = own
        scores = own + (QUESTION_WEIGHT * question if utterance.role != Role.INTERVIEWER else 0)
        scores = scores + CARRY_OVER * carried
        carried = scores / (1 + QUESTION_WEIGHT + CARRY_OVER)
        tags.append(_tag(scores / (2 + CARRY_OVER), vectors[i], profiles, texts[i]))
    return tags


def _profiles(stages: Sequence[StageLike], embed: Embed) -> _Profiles:
    """Embeddings of each stage's profile text and of each touchpoint."""
    stage_texts = [_stage_text(s) for s in stages]
    tp_texts = [[f"{t.name}. {t.description}" for t in s.touchpoints] for s in stages]
    flat = [t for group in tp_texts for t in group]
    vectors = embed(stage_texts + flat)
    rows = iter(vectors[len(stages) :])
    touchpoints = [[(t.key, t.name, next(rows)) for t in s.touchpoints] for s in stages]
    return _Profiles(
        stage_keys=[s.key for s in stages],
        stage_names=[s.name for s in stages],
        stages=vectors[: len(stages)],
        touchpoints=touchpoints,
    )


def _stage_text(stage: StageLike) -> str:
    """What a stage is about, in words: the text its passages are compared with."""
    parts = [stage.name, stage.description, *stage.customer_actions]
    parts += [f"{t.name} {t.description}" for t in stage.touchpoints]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def _name_bonus(text: str, names: list[str]) -> np.ndarray:
    """A small bonus for each stage whose name the passage says outright."""
    lowered = text.lower()
    return np.array([NAME_BONUS if n.lower() in lowered else 0.0 for n in names])


def _tag(scores: np.ndarray, vector: np.ndarray, profiles: _Profiles, text: str) -> StageTag | None:
    """The stage with the highest softmax share, if it is confident enough."""
    shifted = np.exp((scores - scores.max()) / TEMPERATURE)
    shares = shifted / shifted.sum()
    best = int(shares.argmax())
    if shares[best] < MIN_CONFIDENCE:
        return None
    touchpoint, tp_confidence = _touchpoint(vector, profiles.touchpoints[best], text)
    return StageTag(
        stage=profiles.stage_keys[best],
        confidence=round(float(shares[best]), 3),
        touchpoint=touchpoint,
        touchpoint_confidence=tp_confidence,
    )


def _touchpoint(
    vector: np.ndarray, touchpoints: list[tuple[str, str, np.ndarray]], text: str
) -> tuple[str | None, float]:
    """The touchpoint nearest the passage, when it clearly stands out (or is named)."""
    if not touchpoints:
        return None, 0.0
    lowered = text.lower()
    sims = [
        float(vector @ emb) + (NAME_BONUS if name.lower() in lowered else 0.0)
        for _, name, emb in touchpoints
    ]
    order = sorted(range(len(sims)), key=lambda i: -sims[i])
    margin = sims[order[0]] - (sims[order[1]] if len(order) > 1 else 0.0)
    if margin < TOUCHPOINT_MARGIN:
        return None, 0.0
    return touchpoints[order[0]][0], round(min(1.0, max(0.0, sims[order[0]])), 3)
