"""Analysis results survive a trip through JSON exactly, emotion order included."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from journeyscope.interviews.analysis_json import (
    annotation_from_json,
    annotation_to_json,
    finding_from_json,
    finding_to_json,
    stage_from_json,
    stage_to_json,
)
from journeyscope.interviews.analysis_models import Finding, FindingKind, Quote, StageTag
from journeyscope.nlp.annotations import Annotation, Minimization, Sentiment, Span

unit = st.floats(min_value=0, max_value=1, allow_nan=False)
words = st.text(max_size=30)
spans = st.builds(Span, start=st.integers(0, 500), end=st.integers(0, 500), text=words)
annotations = st.builds(
    Annotation,
    text=words,
    emotions=st.dictionaries(st.text(min_size=1, max_size=12), unit, max_size=5),
    valence=st.floats(min_value=-1, max_value=1, allow_nan=False),
    sentiment=st.sampled_from(Sentiment),
    minimization=st.none() | st.builds(Minimization, concern=spans, dismissal=spans),
    cues=st.lists(words, max_size=3).map(tuple),
)
stages = st.builds(
    StageTag,
    stage=words,
    confidence=unit,
    touchpoint=st.none() | words,
    touchpoint_confidence=unit,
)
findings = st.builds(
    Finding,
    kind=st.sampled_from(FindingKind),
    summary=words,
    quotes=st.lists(st.builds(Quote, position=st.integers(0, 999), text=words), max_size=3).map(
        tuple
    ),
    stage=st.none() | words,
    touchpoint=st.none() | words,
    emotion=st.none() | words,
    intensity=unit,
    follow_ups=st.lists(words, max_size=3).map(tuple),
)


def _through_json(value: object) -> object:
    return json.loads(json.dumps(value))


@given(annotations)
def test_annotations_round_trip(annotation: Annotation) -> None:
    back = annotation_from_json(_through_json(annotation_to_json(annotation)))  # type: ignore[arg-type]
    assert back == annotation
    assert list(back.emotions) == list(annotation.emotions)


@given(stages)
def test_stage_tags_round_trip(tag: StageTag) -> None:
    assert stage_from_json(_through_json(stage_to_json(tag))) == tag  # type: ignore[arg-type]


@given(findings)
def test_findings_round_trip(finding: Finding) -> None:
    assert finding_from_json(_through_json(finding_to_json(finding))) == finding  # type: ignore[arg-type]


def test_emotions_are_stored_as_ordered_pairs() -> None:
    annotation = Annotation("x", {"joy": 0.9, "trust": 0.2}, 0.6, Sentiment.POSITIVE)
    assert annotation_to_json(annotation)["emotions"] == [["joy", 0.9], ["trust", 0.2]]
