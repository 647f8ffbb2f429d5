"""Analyse one interview: annotate customer turns, classify questions, tag stages, find.

``analyze_transcript`` is pure (no database): the service stores what it returns. Roles must be
set first (``detect_roles``); a turn whose role is unknown is treated as the customer's, since
leaving feedback out is worse than reading a stray interviewer line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from journeyscope.interviews.analysis_models import InterviewAnalysis, StageTag, UtteranceAnalysis
from journeyscope.interviews.findings import build_findings
from journeyscope.interviews.stage_tagging import StageLike, tag_stages
from journeyscope.interviews.transcripts import Role, Transcript, Utterance
from journeyscope.nlp import (
    Encoder,
    QuestionKind,
    TurnContext,
    annotate,
    classify_question,
    embed,
    shared_encoder,
)

MODEL_NAME = "journeyscope-emotions-1 (all-MiniLM-L6-v2 fine-tuned on GoEmotions, int8 ONNX)"


class JourneyLike(Protocol):
    """What the analysis needs of a journey: its stages with their touchpoints."""

    @property
    def stages(self) -> Sequence[StageLike]:
        """The journey's stages, in order."""
        ...


def analyze_transcript(
    transcript: Transcript, *, journey: JourneyLike | None = None, encoder: Encoder | None = None
) -> InterviewAnalysis:
    """Annotations, question kinds, stage tags and findings for one transcript.

    Args:
        transcript: The interview, with roles set.
        journey: The journey the interview explores (its spec or stored view); without one, no
            stage tags.
        encoder: The emotion model; by default the one shipped in the package.
    """
    model = encoder or shared_encoder()
    utterances = transcript.utterances
    customers = [i for i, u in enumerate(utterances) if u.role != Role.INTERVIEWER]
    texts = [utterances[i].text for i in customers]
    contexts = _contexts(utterances, customers)
    annotations = dict(
        zip(customers, annotate(texts, encoder=model, contexts=contexts), strict=True)
    )
    stages: list[StageTag | None] = (
        tag_stages(transcript, journey.stages, embed=lambda t: embed(t, encoder=model))
        if journey
        else [None] * len(utterances)
    )
    per_utterance = tuple(
        UtteranceAnalysis(
            position=i,
            annotation=annotations.get(i),
            stage=stages[i],
            question=_question(u.text) if u.role == Role.INTERVIEWER else None,
        )
        for i, u in enumerate(utterances)
    )
    names = {s.key: s.name for s in journey.stages} if journey else {}
    findings = build_findings(annotations, dict(enumerate(stages)), stage_names=names)
    return InterviewAnalysis(utterances=per_utterance, findings=findings, model=MODEL_NAME)


def _contexts(utterances: Sequence[Utterance], customers: list[int]) -> list[TurnContext]:
    """For each customer turn, the interviewer's last turn before it and the previous answer."""
    out, question, previous = [], "", ""
    wanted = set(customers)
    for i, utterance in enumerate(utterances):
        if i in wanted:
            out.append(TurnContext(question=question, previous=previous))
            previous = utterance.text
        else:
            question = utterance.text
    return out


def _question(text: str) -> QuestionKind | None:
    """The kind of question an interviewer turn asks, or ``None`` when it asks nothing."""
    kind = classify_question(text).kind
    return None if kind == QuestionKind.NOT_A_QUESTION else kind
