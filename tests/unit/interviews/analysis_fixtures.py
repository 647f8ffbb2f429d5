"""Hand-built transcripts and analyses for the coaching report and export tests.

The interview: Maya (interviewer) talks to Sam (customer) about the Breeze blender. Sam plays
down a confusing sign-up (Maya moves on), is furious about a late delivery (Maya follows up),
is frustrated by the courier (Maya asks a leading question instead), then says something
neutral. Times are in seconds; Maya speaks 25 of 125 seconds (20%).
"""

from __future__ import annotations

from journeyscope.interviews import Role, Transcript, Utterance
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    Quote,
    StageTag,
    UtteranceAnalysis,
)
from journeyscope.interviews.transcripts import Format
from journeyscope.nlp.annotations import Annotation, Minimization, QuestionKind, Sentiment, Span

INTERVIEWER = Role.INTERVIEWER
CUSTOMER = Role.CUSTOMER

SIGNUP = "A friend told me about it. The signup was a bit confusing but whatever, it's fine."
DELIVERY = "Delivery was late and I was furious about it."
COURIER = "The courier left it at the wrong door & nobody answered the <phone>."
APP = "The app itself works okay."

LINES: tuple[tuple[str, Role, float, float, str], ...] = (
    ("Maya", INTERVIEWER, 0, 10, "Thanks for joining. How did you first hear about Breeze?"),
    ("Sam", CUSTOMER, 10, 40, SIGNUP),
    ("Maya", INTERVIEWER, 40, 45, "Did you buy it online?"),
    ("Sam", CUSTOMER, 45, 80, DELIVERY),
    ("Maya", INTERVIEWER, 80, 85, "Furious? What happened with the delivery?"),
    ("Sam", CUSTOMER, 85, 110, COURIER),
    ("Maya", INTERVIEWER, 110, 115, "Wouldn't you say the app is great, though?"),
    ("Sam", CUSTOMER, 115, 125, APP),
)

GUIDE = ("awareness", "purchase", "delivery", "support")


def make_transcript(*, timed: bool = True) -> Transcript:
    """The Breeze interview, with or without times."""
    return Transcript(
        format=Format.PLAIN,
        utterances=tuple(
            Utterance(
                speaker=speaker,
                text=text,
                role=role,
                start=start if timed else None,
                end=end if timed else None,
            )
            for speaker, role, start, end, text in LINES
        ),
    )


def annotation(
    text: str,
    emotions: dict[str, float],
    valence: float,
    *,
    concern: str | None = None,
    dismissal: str | None = None,
) -> Annotation:
    """An annotation of ``text``; ``concern``/``dismissal`` make it played down."""
    sentiment = (
        Sentiment.NEGATIVE
        if valence < -0.2
        else Sentiment.POSITIVE
        if valence > 0.2
        else Sentiment.NEUTRAL
    )
    minimization = None
    if concern and dismissal:
        minimization = Minimization(concern=_span(text, concern), dismissal=_span(text, dismissal))
    return Annotation(text, emotions, valence, sentiment, minimization)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def stage(key: str, confidence: float = 0.8, touchpoint: str | None = None) -> StageTag:
    """A stage tag."""
    return StageTag(key, confidence, touchpoint, 0.7 if touchpoint else 0.0)


PROBE_SIGNUP = Finding(
    kind=FindingKind.PROBE,
    summary="Played down a confusing sign-up",
    quotes=(Quote(1, "The signup was a bit confusing"),),
    stage="awareness",
    emotion="confusion",
    intensity=0.45,
    follow_ups=(
        "You said the signup was 'a bit confusing'; what happened?",
        "What did you do when it got confusing?",
    ),
)
LATE_DELIVERY = Finding(
    kind=FindingKind.WEAKNESS,
    summary="Late delivery made the customer furious",
    quotes=(Quote(3, "Delivery was late"),),
    stage="delivery",
    touchpoint="courier",
    emotion="angry",
    intensity=0.85,
)
PROBE_COURIER = Finding(
    kind=FindingKind.PROBE,
    summary="Frustrated by the courier",
    quotes=(Quote(5, "nobody answered the <phone>"),),
    stage="delivery",
    emotion="frustrated",
    intensity=0.7,
    follow_ups=("What happened when nobody answered?",),
)
APP_WORKS = Finding(
    kind=FindingKind.STRENGTH,
    summary="The app works",
    quotes=(Quote(7, APP),),
)


def make_analysis() -> InterviewAnalysis:
    """The analysis of :func:`make_transcript`."""
    return InterviewAnalysis(
        utterances=(
            UtteranceAnalysis(0, stage=stage("awareness"), question=QuestionKind.OPEN),
            UtteranceAnalysis(
                1,
                annotation(
                    SIGNUP,
                    {"confusion": 0.45},
                    -0.3,
                    concern="a bit confusing",
                    dismissal="but whatever, it's fine",
                ),
                stage("awareness"),
            ),
            UtteranceAnalysis(2, stage=stage("purchase"), question=QuestionKind.CLOSED),
            UtteranceAnalysis(
                3,
                annotation(DELIVERY, {"angry": 0.85, "frustrated": 0.4}, -0.8),
                stage("delivery", touchpoint="courier"),
            ),
            UtteranceAnalysis(4, stage=stage("delivery"), question=QuestionKind.OPEN),
            UtteranceAnalysis(
                5, annotation(COURIER, {"frustrated": 0.7}, -0.6), stage("delivery", 0.6)
            ),
            UtteranceAnalysis(6, question=QuestionKind.LEADING),
            UtteranceAnalysis(7, annotation(APP, {}, 0.1)),
        ),
        findings=(PROBE_SIGNUP, LATE_DELIVERY, PROBE_COURIER, APP_WORKS),
        model="hand-built",
    )


def talky_transcript() -> tuple[Transcript, InterviewAnalysis]:
    """No times; the interviewer says 10 of 22 words (45%) and asks two closed questions."""
    transcript = Transcript(
        format=Format.PLAIN,
        utterances=(
            Utterance("Maya", "Did you like the blender at all?", INTERVIEWER),
            Utterance("Sam", "Yes it was good mostly", CUSTOMER),
            Utterance("Maya", "Is it loud?", INTERVIEWER),
            Utterance("Sam", "No not really, it is quite calm", CUSTOMER),
        ),
    )
    analysis = InterviewAnalysis(
        utterances=(
            UtteranceAnalysis(0, question=QuestionKind.CLOSED),
            UtteranceAnalysis(1, annotation("Yes it was good mostly", {"delighted": 0.3}, 0.4)),
            UtteranceAnalysis(2, question=QuestionKind.CLOSED),
            UtteranceAnalysis(3, annotation("No not really, it is quite calm", {}, 0.1)),
        ),
        findings=(),
        model="hand-built",
    )
    return transcript, analysis
