"""A CX emotion taxonomy on top of GoEmotions, and valence from the sentiment head.

The model predicts the 28 GoEmotions labels (Demszky et al., ACL 2020); journey maps speak of
how customers felt at a touchpoint, so each CX emotion below is a named group of GoEmotions
labels. A CX emotion is present when one of its labels passes that label's threshold (tuned on
GoEmotions dev); its intensity is the highest such probability. Valence is P(positive) -
P(negative) from the model's sentiment-group head (GoEmotions' own grouping), so it is -1…1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from journeyscope.nlp.annotations import Annotation, Sentiment
from journeyscope.nlp.encoder import Labels

POSITIVE_EMOTIONS: dict[str, tuple[str, ...]] = {
    "delighted": ("joy", "excitement", "amusement", "love", "admiration", "pride"),
    "grateful": ("gratitude",),
    "relieved": ("relief",),
    "trusting": ("approval", "caring"),
    "hopeful": ("optimism", "desire"),
}
NEGATIVE_EMOTIONS: dict[str, tuple[str, ...]] = {
    "frustrated": ("annoyance",),
    "angry": ("anger", "disgust"),
    "disappointed": ("disappointment", "disapproval"),
    "anxious": ("nervousness", "fear"),
    "confused": ("confusion",),
    "sad": ("sadness", "grief", "remorse"),
    "embarrassed": ("embarrassment",),
}
OTHER_EMOTIONS: dict[str, tuple[str, ...]] = {
    "surprised": ("surprise", "realization"),
    "curious": ("curiosity",),
}
CX_EMOTIONS = {**POSITIVE_EMOTIONS, **NEGATIVE_EMOTIONS, **OTHER_EMOTIONS}
PROBE_NEGATIVE = 0.5
"""A negative emotion at least this intense is worth an open follow-up."""
PROBE_VALENCE = -0.5
"""So is a turn at least this negative overall, whichever emotion carries it."""
PROBE_POSITIVE = 0.8
"""A positive feeling worth asking about must be this intense, and one of these labels: a
"Yes." scores as approval and a closing "Thanks" as gratitude, and neither tells a story."""
PROBE_POSITIVE_LABELS = ("delighted", "relieved", "hopeful")
SENTIMENT_MARGIN = 0.2
"""|valence| below this is neutral: the two sentiment probabilities are too close to call."""


def cx_emotions(probabilities: np.ndarray, labels: Labels) -> dict[str, float]:
    """CX emotion → intensity for one output row, strongest first (empty when neutral)."""
    names = labels.names["original"]
    fine = probabilities[labels.columns("original")]
    passed = {
        name: float(p)
        for name, p, t in zip(names, fine, labels.thresholds["original"], strict=True)
        if p >= t
    }
    found = {
        cx: max(passed[m] for m in members if m in passed)
        for cx, members in CX_EMOTIONS.items()
        if any(m in passed for m in members)
    }
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def valence(probabilities: np.ndarray, labels: Labels) -> float:
    """P(positive) - P(negative) from the sentiment-group head, in -1…1."""
    groups = dict(zip(labels.names["group"], probabilities[labels.columns("group")], strict=True))
    return round(float(groups["positive"] - groups["negative"]), 4)


def negative_probability(probabilities: np.ndarray, labels: Labels) -> float:
    """How likely the text expresses a negative feeling (the sentiment head's negative group)."""
    groups = dict(zip(labels.names["group"], probabilities[labels.columns("group")], strict=True))
    return float(groups["negative"])


def sentiment_of(value: float) -> Sentiment:
    """The label for a valence."""
    if value >= SENTIMENT_MARGIN:
        return Sentiment.POSITIVE
    if value <= -SENTIMENT_MARGIN:
        return Sentiment.NEGATIVE
    return Sentiment.NEUTRAL


def strongest(emotions: Mapping[str, float], labels: Iterable[str]) -> tuple[str, float] | None:
    """The most intense of ``labels`` among ``emotions``, with its intensity, if any is there."""
    found = [(label, emotions[label]) for label in labels if label in emotions]
    return max(found, key=lambda item: item[1]) if found else None


def strong_feeling(annotation: Annotation) -> tuple[str | None, float] | None:
    """The feeling that makes a turn worth an open follow-up, with its strength, or ``None``.

    A negative emotion at :data:`PROBE_NEGATIVE` or more, or a turn at :data:`PROBE_VALENCE`
    or below (its strongest negative emotion, if any, names it; the strength is then
    |valence|), or a positive feeling of :data:`PROBE_POSITIVE_LABELS` at
    :data:`PROBE_POSITIVE` or more. Played-down feedback is judged separately.
    """
    negative = strongest(annotation.emotions, NEGATIVE_EMOTIONS)
    if negative and negative[1] >= PROBE_NEGATIVE:
        return negative
    if annotation.valence <= PROBE_VALENCE:
        return (negative[0] if negative else None), round(-annotation.valence, 4)
    positive = strongest(annotation.emotions, PROBE_POSITIVE_LABELS)
    return positive if positive and positive[1] >= PROBE_POSITIVE else None
