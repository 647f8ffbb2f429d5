"""Language processing as pure functions over text.

Owns emotions with intensity, valence, played-down feedback (minimization) and the follow-ups it
calls for, churn and wish cues, question types, sentence embeddings and PII redaction (DESIGN.md
§3). The emotion model ships inside the package (``nlp/model``, an int8 ONNX graph; see its
model card): nothing is downloaded. Must not import the store, the web or CLI doors, or any
other domain: everything here works on plain strings, so it can run in a notebook, a worker or
a test without a database. Imports nothing of the project but ``errors`` and ``text``.
"""

from __future__ import annotations

from journeyscope.nlp.annotations import (
    Annotation,
    Minimization,
    QuestionKind,
    Sentiment,
    Span,
)
from journeyscope.nlp.annotator import annotate, embed
from journeyscope.nlp.cues import CueKind, classify_finding_kind
from journeyscope.nlp.emotions import (
    NEGATIVE_EMOTIONS,
    POSITIVE_EMOTIONS,
    strong_feeling,
    strongest,
)
from journeyscope.nlp.encoder import Encoder, shared_encoder
from journeyscope.nlp.minimization import find_minimization, strip_dismissal
from journeyscope.nlp.probes import suggest_follow_ups
from journeyscope.nlp.questions import QuestionCheck, classify_question
from journeyscope.nlp.redaction import DEFAULT_PHONE_REGIONS, Redacted, RedactedSpan, redact
from journeyscope.nlp.turn_heads import TurnContext

__all__ = [
    "DEFAULT_PHONE_REGIONS",
    "NEGATIVE_EMOTIONS",
    "POSITIVE_EMOTIONS",
    "Annotation",
    "CueKind",
    "Encoder",
    "Minimization",
    "QuestionCheck",
    "QuestionKind",
    "Redacted",
    "RedactedSpan",
    "Sentiment",
    "Span",
    "TurnContext",
    "annotate",
    "classify_finding_kind",
    "classify_question",
    "embed",
    "find_minimization",
    "redact",
    "shared_encoder",
    "strip_dismissal",
    "strong_feeling",
    "strongest",
    "suggest_follow_ups",
]
