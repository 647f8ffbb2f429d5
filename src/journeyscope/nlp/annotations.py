"""What NLP finds in one text: emotions with intensity, valence, and played-down feedback.

These are the result types of :func:`journeyscope.nlp.annotate` and the helpers behind it.
Frozen, so a result can be cached and shared between threads. Pure: no project imports.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Sentiment(enum.StrEnum):
    """The overall polarity of a text."""

    POSITIVE = "positive"  # valence clearly above zero
    NEGATIVE = "negative"  # valence clearly below zero
    NEUTRAL = "neutral"  # neither, or mixed


class QuestionKind(enum.StrEnum):
    """What kind of question an interviewer asked (see ``nlp.classify_question``)."""

    OPEN = "open"  # invites a story: how, what, why, tell me, walk me through
    CLOSED = "closed"  # answerable with yes/no or one word
    LEADING = "leading"  # suggests the answer it wants
    DOUBLE_BARRELLED = "double_barrelled"  # asks two things at once
    HYPOTHETICAL = "hypothetical"  # asks about an imagined future, not what happened
    NOT_A_QUESTION = "not_a_question"  # a statement, acknowledgement or instruction


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a text, by character offsets into that text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Minimization:
    """A negative feeling or problem that the speaker played down in the same breath.

    ``concern`` is the feedback (``"a bit confusing"``), ``dismissal`` the judgment that
    plays it down (``"but whatever, it's fine"``). The feedback keeps its full weight: the
    dismissal is not evidence that it did not matter, it is a cue to ask more.
    """

    concern: Span
    dismissal: Span


@dataclass(frozen=True, slots=True)
class Annotation:
    """What :func:`journeyscope.nlp.annotate` found in one text.

    Attributes:
        text: The text annotated.
        emotions: CX emotion label → intensity (0…1), only the labels that are present,
            strongest first. Empty when the text shows no emotion.
        valence: -1 (very negative) … +1 (very positive); for played-down feedback this is the
            valence of the feedback, not of the dismissal.
        sentiment: ``valence`` as a label.
        minimization: The played-down feedback, or ``None``.
    """

    text: str
    emotions: dict[str, float]
    valence: float
    sentiment: Sentiment
    minimization: Minimization | None = None
    cues: tuple[str, ...] = field(default=())

    @property
    def minimized(self) -> bool:
        """Whether a negative feeling or problem was played down."""
        return self.minimization is not None

    @property
    def dismissal(self) -> Span | None:
        """The words that played the feedback down, if any."""
        return self.minimization.dismissal if self.minimization else None
