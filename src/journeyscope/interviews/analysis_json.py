"""Analysis results as JSON values and back, exactly: what the store keeps of an analysis.

``X_from_json(X_to_json(x)) == x`` for every :class:`~journeyscope.nlp.annotations.Annotation`,
:class:`~journeyscope.interviews.analysis_models.StageTag` and
:class:`~journeyscope.interviews.analysis_models.Finding`. Emotions are written as a list of
``[label, intensity]`` pairs, not an object, because PostgreSQL's JSONB does not keep the order
of an object's keys and the emotions are ordered strongest first. Pure: no database, no web.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from journeyscope.interviews.analysis_models import Finding, FindingKind, Quote, StageTag
from journeyscope.nlp import Annotation, Minimization, Sentiment, Span

JsonObject = dict[str, Any]


def _span_to_json(span: Span) -> JsonObject:
    return {"start": span.start, "end": span.end, "text": span.text}


def _span_from_json(data: Mapping[str, Any]) -> Span:
    return Span(start=int(data["start"]), end=int(data["end"]), text=str(data["text"]))


def annotation_to_json(annotation: Annotation) -> JsonObject:
    """An annotation as a JSON object (emotions as ordered ``[label, intensity]`` pairs)."""
    minimization = annotation.minimization
    return {
        "text": annotation.text,
        "emotions": [[label, value] for label, value in annotation.emotions.items()],
        "valence": annotation.valence,
        "sentiment": annotation.sentiment.value,
        "minimization": None
        if minimization is None
        else {
            "concern": _span_to_json(minimization.concern),
            "dismissal": _span_to_json(minimization.dismissal),
        },
        "cues": list(annotation.cues),
    }


def annotation_from_json(data: Mapping[str, Any]) -> Annotation:
    """The annotation :func:`annotation_to_json` wrote."""
    found = data.get("minimization")
    minimization = (
        None
        if found is None
        else Minimization(
            concern=_span_from_json(found["concern"]),
            dismissal=_span_from_json(found["dismissal"]),
        )
    )
    return Annotation(
        text=str(data["text"]),
        emotions={str(label): float(value) for label, value in data["emotions"]},
        valence=float(data["valence"]),
        sentiment=Sentiment(data["sentiment"]),
        minimization=minimization,
        cues=tuple(str(cue) for cue in data.get("cues", ())),
    )


def stage_to_json(tag: StageTag) -> JsonObject:
    """A stage tag as a JSON object."""
    return {
        "stage": tag.stage,
        "confidence": tag.confidence,
        "touchpoint": tag.touchpoint,
        "touchpoint_confidence": tag.touchpoint_confidence,
    }


def stage_from_json(data: Mapping[str, Any]) -> StageTag:
    """The stage tag :func:`stage_to_json` wrote."""
    return StageTag(
        stage=str(data["stage"]),
        confidence=float(data["confidence"]),
        touchpoint=data.get("touchpoint"),
        touchpoint_confidence=float(data.get("touchpoint_confidence", 0.0)),
    )


def quotes_to_json(quotes: Sequence[Quote]) -> list[JsonObject]:
    """A finding's quotes as a JSON array of ``{position, text}`` objects."""
    return [{"position": quote.position, "text": quote.text} for quote in quotes]


def quotes_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[Quote, ...]:
    """The quotes :func:`quotes_to_json` wrote."""
    return tuple(Quote(position=int(q["position"]), text=str(q["text"])) for q in data)


def finding_to_json(finding: Finding) -> JsonObject:
    """A finding as a JSON object."""
    return {
        "kind": finding.kind.value,
        "summary": finding.summary,
        "quotes": quotes_to_json(finding.quotes),
        "stage": finding.stage,
        "touchpoint": finding.touchpoint,
        "emotion": finding.emotion,
        "intensity": finding.intensity,
        "follow_ups": list(finding.follow_ups),
    }


def finding_from_json(data: Mapping[str, Any]) -> Finding:
    """The finding :func:`finding_to_json` wrote."""
    return Finding(
        kind=FindingKind(data["kind"]),
        summary=str(data["summary"]),
        quotes=quotes_from_json(data.get("quotes", ())),
        stage=data.get("stage"),
        touchpoint=data.get("touchpoint"),
        emotion=data.get("emotion"),
        intensity=float(data.get("intensity", 0.0)),
        follow_ups=tuple(str(f) for f in data.get("follow_ups", ())),
    )
