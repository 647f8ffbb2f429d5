"""The shapes of an analysed interview: per-utterance annotations, findings, probe suggestions.

Produced by ``interviews.analysis`` from a :class:`~journeyscope.interviews.Transcript`;
stored by ``interviews.repo``; read by the coaching report, the exports and the journey map.
Frozen and pure (no database, no web), so every consumer can be tested without a server.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from journeyscope.nlp import Annotation, QuestionKind


class FindingKind(enum.StrEnum):
    """What a finding says about the journey."""

    STRENGTH = "strength"  # something customers value: a reason to choose or stay
    WEAKNESS = "weakness"  # a pain point: something that went wrong or felt bad
    OPPORTUNITY = "opportunity"  # something customers wish for or suggest
    CHURN_RISK = "churn_risk"  # switching, cancelling, competitor comparisons
    PROBE = "probe"  # played-down or strong feeling worth an open follow-up


@dataclass(frozen=True, slots=True)
class StageTag:
    """The journey stage (and touchpoint) a passage is about, with how sure we are (0…1)."""

    stage: str  # stage key from the journey
    confidence: float
    touchpoint: str | None = None  # touchpoint key, when one stands out
    touchpoint_confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class UtteranceAnalysis:
    """Everything found in one utterance, by its position in the transcript.

    Customer utterances carry an ``annotation``; interviewer utterances that ask something carry
    a ``question`` kind. Both may carry a ``stage``.
    """

    position: int
    annotation: Annotation | None = None
    stage: StageTag | None = None
    question: QuestionKind | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A customer's words behind a finding, traceable to the utterance they came from."""

    position: int  # utterance position in the transcript
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """An evidence-backed insight, always linked to the quotes behind it.

    ``follow_ups`` holds the suggested open-ended questions for probe findings (2-3, quoting the
    customer's own words); other kinds may leave it empty.
    """

    kind: FindingKind
    summary: str
    quotes: tuple[Quote, ...]
    stage: str | None = None
    touchpoint: str | None = None
    emotion: str | None = None
    intensity: float = 0.0
    follow_ups: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class InterviewAnalysis:
    """The analysis of one interview: per-utterance results in transcript order and findings."""

    utterances: tuple[UtteranceAnalysis, ...]
    findings: tuple[Finding, ...]
    model: str  # which emotion model produced the annotations, for provenance
