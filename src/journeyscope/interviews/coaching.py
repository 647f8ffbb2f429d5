"""Interviewer coaching report: talk time, question mix, missed probes and guide coverage.

Reads a :class:`~journeyscope.interviews.Transcript` and its
:class:`~journeyscope.interviews.analysis_models.InterviewAnalysis` and says, in numbers and in
plain sentences, how the interviewer did: how much of the talking they did, which kinds of
question they asked, where the customer showed a strong or played-down feeling and the
interviewer moved on, and which stages of the guide were never reached. Pure: no store, no web;
imports only this package's types, ``nlp.annotations``, ``nlp.emotions`` and ``errors``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from journeyscope.errors import InvalidInput
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    UtteranceAnalysis,
)
from journeyscope.interviews.transcripts import Role, Transcript, Utterance
from journeyscope.nlp import Annotation, QuestionKind, strong_feeling, strongest

TALK_TIME_AIM = (0.20, 0.30)
"""The interviewer's share of the talking that good practice aims for (at most 20-30%)."""

CLOSED_SHARE_LIMIT = 0.5
"""Above this share of closed questions the report suggests opening them up."""

ASKED_KINDS = tuple(kind for kind in QuestionKind if kind is not QuestionKind.NOT_A_QUESTION)
"""The question kinds counted in the mix, in a fixed order (statements are not questions)."""

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_PROBE_PHRASE = re.compile(
    r"\b(?:tell me more|say more|more about (?:that|this|it)|what do you mean|what did you mean"
    r"|how did (?:that|it|you) (?:feel|make you feel)|how does (?:that|it) feel|why"
    r"|how so|in what way|what was (?:that|it) like|walk me through (?:that|it)"
    r"|(?:give|share) (?:me )?an example|what makes you say|you said|you mentioned|go on)\b",
    re.IGNORECASE,
)
_STOPWORD_TEXT = """
    about above after again also although always and another any anything are around aren't
    because been before being both but can can't cannot could couldn't did didn't does doesn't
    doing don't done down during each either else even ever every everything few for from get
    gets getting got had hadn't has hasn't have haven't having her here hers him his how i'm
    into isn't it's its itself just know like lot made make many may maybe might more most much
    must never not nothing now off okay once one only other our out over own quite rather
    really right said same say see she should since some something still such sure than thank
    thanks that that's the their them then there there's these they they're thing things think
    this those though through too under until very was wasn't way well were weren't what
    what's when where whether which while who whom why will with without won't would wouldn't
    yeah yes yet you you're your yours
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_SUFFIXES = ("ing", "ed", "es", "s", "e")


class TalkTimeBasis(enum.StrEnum):
    """What the talk-time shares were measured in."""

    DURATION = "duration"  # seconds from each utterance's start to its end
    WORDS = "words"  # words spoken, when the transcript has no times


@dataclass(frozen=True, slots=True)
class TalkTime:
    """How the talking was shared between interviewer and customer.

    Utterances whose role is still unknown are left out of both sides.

    Attributes:
        interviewer_share: The interviewer's share of interviewer + customer talk (0…1).
        basis: Whether seconds or words were counted.
        interviewer: The interviewer's seconds or words.
        customer: The customer's seconds or words.
    """

    interviewer_share: float
    basis: TalkTimeBasis
    interviewer: float
    customer: float


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """One question the interviewer asked, as said, with its kind."""

    position: int
    text: str
    kind: QuestionKind


@dataclass(frozen=True, slots=True)
class QuestionShare:
    """How many questions of one kind were asked, and their share of all questions (0…1)."""

    kind: QuestionKind
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class MissedProbe:
    """A moment where the customer showed feeling and the interviewer changed the topic.

    Attributes:
        position: The customer utterance that deserved a follow-up.
        quote: What the customer said there.
        emotion: The strongest emotion label in it, if any.
        intensity: That emotion's intensity (0…1; 0 when none).
        minimized: Whether the customer played a problem down.
        dismissal: The words that played it down (``"but whatever, it's fine"``), if any.
        next_position: Where the interviewer's next turn starts.
        next_question: What the interviewer said instead of following up.
        follow_ups: Suggested open follow-ups (from the probe finding there, if any).
    """

    position: int
    quote: str
    emotion: str | None
    intensity: float
    minimized: bool
    dismissal: str | None
    next_position: int
    next_question: str
    follow_ups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CoachingReport:
    """How one interview went from the interviewer's side, with advice in plain words.

    Attributes:
        talk_time: The share of talking, or ``None`` when nobody with a known role spoke.
        questions: Every question asked, in transcript order.
        question_mix: One entry per kind in :data:`ASKED_KINDS` order, zero counts included.
        missed_probes: The moments the interviewer moved on from a feeling, in order.
        guide_stages: The guide's stages that were checked for coverage, in guide order.
        uncovered_stages: Those of them no utterance was tagged with.
        advice: Plain-language lines, the most important first.
    """

    talk_time: TalkTime | None
    questions: tuple[AskedQuestion, ...]
    question_mix: tuple[QuestionShare, ...]
    missed_probes: tuple[MissedProbe, ...]
    guide_stages: tuple[str, ...]
    uncovered_stages: tuple[str, ...]
    advice: tuple[str, ...]

    @property
    def question_count(self) -> int:
        """How many questions were asked in all."""
        return len(self.questions)


def build_coaching_report(
    transcript: Transcript,
    analysis: InterviewAnalysis,
    *,
    guide_stages: Sequence[str] = (),
) -> CoachingReport:
    """Build the coaching report for one analysed interview.

    Args:
        transcript: The interview, with roles decided (unknown roles count for neither side).
        analysis: Its analysis; every position must point into ``transcript``.
        guide_stages: The stage keys the interview guide meant to cover, in guide order.

    Raises:
        InvalidInput: The analysis refers to utterances the transcript does not have.
    """
    by_position = analysis_by_position(transcript, analysis)
    questions = list_questions(transcript, by_position.values())
    mix = question_mix(questions)
    missed = find_missed_probes(transcript, by_position, analysis.findings)
    stages = tuple(dict.fromkeys(guide_stages))
    uncovered = uncovered_stages(stages, by_position.values())
    talk = measure_talk_time(transcript.utterances)
    advice = _advise(talk, mix, missed, uncovered)
    return CoachingReport(talk, tuple(questions), mix, missed, stages, uncovered, advice)


def analysis_by_position(
    transcript: Transcript, analysis: InterviewAnalysis
) -> dict[int, UtteranceAnalysis]:
    """The analysis of each utterance keyed by position, after checking every position exists.

    Shared by the report and the exports so that an analysis made for another transcript
    fails loudly instead of quoting the wrong words.

    Raises:
        InvalidInput: An utterance analysis or a finding quote points outside the transcript.
    """
    count = len(transcript.utterances)
    positions = [u.position for u in analysis.utterances]
    positions += [q.position for f in analysis.findings for q in f.quotes]
    outside = sorted({p for p in positions if not 0 <= p < count})
    if outside:
        raise InvalidInput(
            f"The analysis refers to utterance {outside[0]}, but the transcript has {count}.",
            hint="Analyse this transcript again; the analysis was made for a different one.",
        )
    return {u.position: u for u in analysis.utterances}


def measure_talk_time(utterances: Sequence[Utterance]) -> TalkTime | None:
    """Share of talking by duration when every turn has times, else by words.

    Duration is the fairer measure (people speak at different speeds), but plain-text
    transcripts have no times, so words are the fallback; ``basis`` says which was used.
    """
    spoken = [u for u in utterances if u.role in (Role.INTERVIEWER, Role.CUSTOMER)]
    if spoken and all(u.start is not None and u.end is not None for u in spoken):
        timed = _talk_time(spoken, TalkTimeBasis.DURATION, _seconds)
        if timed is not None:
            return timed
    return _talk_time(spoken, TalkTimeBasis.WORDS, lambda u: len(u.text.split()))


def list_questions(
    transcript: Transcript, analyses: Iterable[UtteranceAnalysis]
) -> list[AskedQuestion]:
    """Every utterance classified as a question (not a statement), in transcript order."""
    asked = [
        AskedQuestion(a.position, transcript.utterances[a.position].text, a.question)
        for a in analyses
        if a.question is not None and a.question is not QuestionKind.NOT_A_QUESTION
    ]
    return sorted(asked, key=lambda q: q.position)


def question_mix(questions: Sequence[AskedQuestion]) -> tuple[QuestionShare, ...]:
    """Count and share of each kind in :data:`ASKED_KINDS` (shares are 0 with no questions)."""
    total = len(questions)
    counts = {kind: sum(q.kind is kind for q in questions) for kind in ASKED_KINDS}
    return tuple(QuestionShare(k, n, n / total if total else 0.0) for k, n in counts.items())


def uncovered_stages(
    guide_stages: Sequence[str], analyses: Iterable[UtteranceAnalysis]
) -> tuple[str, ...]:
    """The guide's stages that no utterance was tagged with, in guide order."""
    covered = {a.stage.stage for a in analyses if a.stage is not None}
    return tuple(stage for stage in guide_stages if stage not in covered)


def find_missed_probes(
    transcript: Transcript,
    by_position: dict[int, UtteranceAnalysis],
    findings: Sequence[Finding],
) -> tuple[MissedProbe, ...]:
    """Customer turns with strong or played-down feeling that the interviewer did not follow.

    A customer turn (consecutive customer utterances) deserves a follow-up when one of its
    utterances shows a strong feeling (``nlp.emotions.strong_feeling``: a negative emotion at
    0.5 or more, valence at -0.5 or below, or intense delight, relief or hope), or plays a
    problem down.
    The interviewer followed up when their next turn shares a content word with the
    customer's turn (an echo) or uses a probe phrase ("tell me more", "why", …). A feeling
    at the very end of the interview, with no interviewer turn after it, is not counted.
    """
    utterances = transcript.utterances
    missed: list[MissedProbe] = []
    for turn in _turns(utterances, Role.CUSTOMER):
        trigger = _trigger(turn, by_position)
        reply = _next_turn(utterances, turn[-1] + 1, Role.INTERVIEWER)
        if trigger is None or not reply:
            continue
        said = " ".join(utterances[p].text for p in turn)
        asked = " ".join(utterances[p].text for p in reply)
        if not is_follow_up(said, asked):
            position, annotation = trigger
            follow_ups = _follow_ups(findings, turn)
            missed.append(_missed(position, annotation, reply[0], asked, follow_ups))
    return tuple(missed)


def is_follow_up(customer_said: str, interviewer_said: str) -> bool:
    """Whether the interviewer's words pick up what the customer said.

    True for a probe phrase, or for at least one shared content word (words of three or more
    letters outside a stop list, compared after stripping ``-ing``/``-ed``/``-es``/``-s``/``-e``,
    so "confusing" echoes "confused" and "prices" echoes "price").
    """
    if _PROBE_PHRASE.search(interviewer_said):
        return True
    return bool(content_words(customer_said) & content_words(interviewer_said))


def content_words(text: str) -> set[str]:
    """The stemmed content words of ``text`` (see :func:`is_follow_up`)."""
    words = (w.lower().replace("\u2019", "'") for w in _WORD.findall(text))
    return {_stem(w) for w in words if len(w) >= 3 and w not in _STOPWORDS}


def top_emotion(annotation: Annotation | None) -> tuple[str | None, float]:
    """The strongest emotion label and its intensity, or ``(None, 0.0)`` when there is none."""
    if annotation is None:
        return None, 0.0
    return strongest(annotation.emotions, annotation.emotions) or (None, 0.0)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _seconds(utterance: Utterance) -> float:
    start, end = utterance.start or 0.0, utterance.end or 0.0
    return max(0.0, end - start)


def _talk_time(
    spoken: Sequence[Utterance], basis: TalkTimeBasis, amount: _Amount
) -> TalkTime | None:
    interviewer = sum(amount(u) for u in spoken if u.role is Role.INTERVIEWER)
    customer = sum(amount(u) for u in spoken if u.role is Role.CUSTOMER)
    total = interviewer + customer
    if total <= 0:
        return None
    return TalkTime(interviewer / total, basis, float(interviewer), float(customer))


def _turns(utterances: Sequence[Utterance], role: Role) -> Iterator[list[int]]:
    """Runs of consecutive utterances by ``role``, as lists of positions."""
    run: list[int] = []
    for position, utterance in enumerate(utterances):
        if utterance.role is role:
            run.append(position)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _next_turn(utterances: Sequence[Utterance], start: int, role: Role) -> list[int]:
    """The first run of ``role`` utterances at or after ``start`` (empty when none)."""
    first = next(_turns(utterances[start:], role), [])
    return [start + offset for offset in first]


def _trigger(
    turn: Sequence[int], by_position: dict[int, UtteranceAnalysis]
) -> tuple[int, Annotation] | None:
    """The turn's most probe-worthy utterance: played down first, then the strongest feeling."""
    worthy = [
        (p, a.annotation)
        for p in turn
        if (a := by_position.get(p)) is not None
        and a.annotation is not None
        and (a.annotation.minimized or strong_feeling(a.annotation) is not None)
    ]
    if not worthy:
        return None
    return max(worthy, key=lambda pa: (pa[1].minimized, _strength(pa[1])))


def _strength(annotation: Annotation) -> float:
    """How strong the turn's probe-worthy feeling is (0 when none)."""
    feeling = strong_feeling(annotation)
    return feeling[1] if feeling else 0.0


def _follow_ups(findings: Sequence[Finding], turn: Sequence[int]) -> tuple[str, ...]:
    """The follow-ups of the first probe finding quoting this turn (empty when none)."""
    in_turn = set(turn)
    for finding in findings:
        quoted = any(q.position in in_turn for q in finding.quotes)
        if finding.kind is FindingKind.PROBE and quoted and finding.follow_ups:
            return finding.follow_ups
    return ()


def _missed(
    position: int,
    trigger: Annotation,
    next_position: int,
    asked: str,
    follow_ups: tuple[str, ...],
) -> MissedProbe:
    feeling = strong_feeling(trigger)
    emotion, intensity = feeling if feeling and feeling[0] else top_emotion(trigger)
    return MissedProbe(
        position=position,
        quote=trigger.text,
        emotion=emotion,
        intensity=intensity,
        minimized=trigger.minimized,
        dismissal=trigger.dismissal.text if trigger.dismissal else None,
        next_position=next_position,
        next_question=asked,
        follow_ups=follow_ups,
    )


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _advise(
    talk: TalkTime | None,
    mix: Sequence[QuestionShare],
    missed: Sequence[MissedProbe],
    uncovered: Sequence[str],
) -> tuple[str, ...]:
    """Plain-language advice, the most useful first; one reassuring line when all is well."""
    n = {share.kind: share.count for share in mix}
    closed = next(share.share for share in mix if share.kind is QuestionKind.CLOSED)
    checks = [
        (not any(n.values()), "No questions were found; check that the interviewer's role is set."),
        (
            n[QuestionKind.LEADING] > 0,
            f"{_count(n[QuestionKind.LEADING], 'leading question')} suggested the answer; ask "
            "neutrally: “How was the delivery?”, not “It was quick, wasn't it?”",
        ),
        (
            closed > CLOSED_SHARE_LIMIT,
            f"{_percent(closed)} of your questions were closed (yes/no); open them with how, "
            "what or “tell me about…”.",
        ),
        (
            n[QuestionKind.DOUBLE_BARRELLED] > 0,
            f"Ask one thing at a time: {_count(n[QuestionKind.DOUBLE_BARRELLED], 'question')} "
            "asked two at once.",
        ),
        (
            n[QuestionKind.HYPOTHETICAL] > 0,
            "Ask about what happened, not what they would do: "
            f"{_count(n[QuestionKind.HYPOTHETICAL], 'hypothetical question')}.",
        ),
        (
            bool(missed),
            f"You moved on {_count(len(missed), 'time')} after the customer showed a strong or "
            "played-down feeling; stay with it first: “Tell me more about that.”",
        ),
        (bool(uncovered), f"Not covered from the guide: {', '.join(uncovered)}."),
    ]
    lines = [*_talk_advice(talk), *(line for needed, line in checks if needed)]
    return tuple(lines) or ("Nothing to flag: the customer did most of the talking. Keep it up.",)


def _talk_advice(talk: TalkTime | None) -> list[str]:
    if talk is None:
        return ["Talk time could not be measured: no speaker has a known role yet."]
    low, high = TALK_TIME_AIM
    if talk.interviewer_share <= high:
        return []
    unit = "" if talk.basis is TalkTimeBasis.DURATION else " (counted in words)"
    aim = f"{round(low * 100)}\u2013{_percent(high)}"
    return [f"You spoke {_percent(talk.interviewer_share)} of the time{unit}; aim for {aim}."]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_Amount = Callable[[Utterance], float]
