"""``annotate``: emotions, valence and played-down feedback for a batch of texts.

The order of work matters for played-down feedback. A text such as "The onboarding was a bit
confusing, but whatever, it's fine." reads as mildly positive to a sentiment model, because the
dismissal comes last. So the played-down span is found first (``minimization``); when there is
one, the text *without* the dismissal and downtoner is scored, and its emotions and valence are
what the annotation reports. The feedback keeps its full weight; the dismissal is kept as a
flag and a span, for the interviewer to probe.

Long turns are scored sentence by sentence (the model reads at most 128 tokens) and combined:
each emotion at its strongest, and valence as the mean weighted by each sentence's own
|valence|, so one furious sentence is not averaged away by eight neutral ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from journeyscope.nlp.annotations import Annotation, Minimization, Sentiment
from journeyscope.nlp.cues import find_cues
from journeyscope.nlp.emotions import (
    SENTIMENT_MARGIN,
    cx_emotions,
    negative_probability,
    sentiment_of,
    valence,
)
from journeyscope.nlp.encoder import Encoder, shared_encoder
from journeyscope.nlp.minimization import strip_dismissal
from journeyscope.nlp.turn_heads import (
    LONG_TEXT_CHARS,
    TurnContext,
    TurnReading,
    read_turns,
    sentence_spans,
)


def annotate(
    texts: Sequence[str],
    *,
    encoder: Encoder | None = None,
    contexts: Sequence[TurnContext] | None = None,
) -> list[Annotation]:
    """Annotate each text: CX emotions with intensity, valence, sentiment, minimization, cues.

    Whether feedback was played down, and the sentiment, are decided by the trained heads of
    :mod:`journeyscope.nlp.turn_heads` (the rules of ``minimization`` are among their features
    and give the spans shown); the emotions and valence come from the emotion model.

    Args:
        texts: Plain texts, e.g. the customer turns of an interview or open survey answers.
        encoder: The model to use; by default the one shipped in the package, loaded once.
        contexts: Per text, the interviewer's question before it and the previous answer
            (interview turns); without them each text is read alone.

    Returns:
        One :class:`Annotation` per text, in the same order.
    """
    model = encoder or shared_encoder()
    pieces = [_pieces(text) for text in texts]
    first = _score(model, pieces)
    present = [i for i, text in enumerate(texts) if text.strip()]
    readings: dict[int, TurnReading] = dict(
        zip(
            present,
            read_turns(
                [texts[i] for i in present],
                [contexts[i] for i in present] if contexts is not None else None,
                model,
            ),
            strict=True,
        )
    )
    minimizations = [readings[i].minimization if i in readings else None for i in range(len(texts))]
    rescored = _rescore_minimized(model, texts, minimizations)
    return [
        _annotation(model, text, rescored.get(i, first[i]), minimizations[i], readings.get(i))
        for i, text in enumerate(texts)
    ]


def embed(texts: Sequence[str], *, encoder: Encoder | None = None) -> np.ndarray:
    """all-MiniLM-L6-v2 sentence embeddings (L2-normalised rows) for similarity and clustering."""
    return (encoder or shared_encoder()).run(list(texts)).embeddings


def _pieces(text: str) -> list[str]:
    """The text as the model will read it: whole, or sentence by sentence when long."""
    if len(text) <= LONG_TEXT_CHARS:
        return [text]
    return [span.text for span in sentence_spans(text)]


def _score(model: Encoder, pieces: list[list[str]]) -> list[list[np.ndarray]]:
    """Probability rows for every piece, computed in one batched run."""
    flat = [p for group in pieces for p in group]
    rows = iter(model.run(flat).probabilities)
    return [[next(rows) for _ in group] for group in pieces]


def _rescore_minimized(
    model: Encoder, texts: Sequence[str], minimizations: list[Minimization | None]
) -> dict[int, list[np.ndarray]]:
    """Scores of the played-down texts with the dismissal taken out (full-weight feedback)."""
    wanted = {i: _pieces(strip_dismissal(texts[i], m)) for i, m in enumerate(minimizations) if m}
    scored = _score(model, list(wanted.values()))
    return dict(zip(wanted, scored, strict=True))


def _combined_valence(values: list[float]) -> float:
    """Sentence valences weighted by their own strength (neutral sentences count little)."""
    weights = np.abs(values)
    if weights.sum() == 0:
        return 0.0
    return float(np.dot(values, weights) / weights.sum())


def _agreeing(value: float, sentiment: Sentiment) -> float:
    """The valence moved just far enough to agree with the feeling head's label."""
    if sentiment == Sentiment.NEGATIVE:
        return min(value, -SENTIMENT_MARGIN)
    if sentiment == Sentiment.POSITIVE:
        return max(value, SENTIMENT_MARGIN)
    return float(np.clip(value, -SENTIMENT_MARGIN + 0.01, SENTIMENT_MARGIN - 0.01))


def _annotation(
    model: Encoder,
    text: str,
    rows: list[np.ndarray],
    minimization: Minimization | None,
    reading: TurnReading | None,
) -> Annotation:
    """Combine the piece rows into one annotation."""
    emotions: dict[str, float] = {}
    for row in rows:
        for label, score in cx_emotions(row, model.labels).items():
            emotions[label] = max(score, emotions.get(label, 0.0))
    value = _combined_valence([valence(row, model.labels) for row in rows])
    if minimization:  # a played-down concern is negative even if the model misses it
        value = min(value, -max(negative_probability(rows[0], model.labels), SENTIMENT_MARGIN))
    sentiment = reading.feeling if reading else sentiment_of(value)
    value = _agreeing(value, sentiment)
    return Annotation(
        text=text,
        emotions={k: round(v, 4) for k, v in sorted(emotions.items(), key=lambda kv: -kv[1])},
        valence=round(value, 4),
        sentiment=sentiment,
        minimization=minimization,
        cues=tuple(dict.fromkeys(str(cue.kind) for cue in find_cues(text))),
    )
