"""Who is the interviewer and who is the customer: rules a researcher can check by hand.

1. **Labels that say it.** A speaker labelled ``Interviewer``, ``Moderator``, ``Researcher``,
   ``Facilitator``, ``Host`` or ``Q`` is an interviewer; ``Participant``, ``Customer``,
   ``Respondent``, ``Interviewee``, ``User``, ``Client``, ``Guest``, ``P1`` or ``A`` is a
   customer (a number may follow: ``Participant 2``).
2. **Who asks and who talks.** For every speaker with at least two turns we count the share
   of their turns that are questions (a turn that ends with ``?``, or opens — after fillers
   like "so", "and", "okay" — with a wh-word, an auxiliary verb, or a prompt such as "tell me"
   or "walk me through") and their share of all words spoken. The score is
   ``question share - word share / 2``: interviewers ask much and talk little, and asking
   weighs more (an interviewer who talks too much is still the one asking). Speakers are
   sorted by score and split at the largest gap; those above it are interviewers (provided they ask
   questions in at least 20% of their turns), those below are customers. With two speakers
   the gap is simply the difference of their scores; with three or more each speaker lands on
   one side (two researchers and a customer; a researcher and a couple).
3. **No coin tosses.** When the largest gap is under 0.2, nobody asks noticeably more, only one
   speaker has enough turns, or a speaker spoke only once, that speaker's role is
   ``Role.UNKNOWN`` and the transcript carries a warning that says why and how to set it.
4. **The researcher wins.** ``interviewer="Name"`` makes that speaker the interviewer and
   everyone else a customer; ``overrides={"Name": Role.CUSTOMER}`` sets single speakers (with
   two speakers, overriding one gives the other the opposite role when it was undecided).

Pure: no database, no web.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from journeyscope.errors import InvalidInput
from journeyscope.interviews.transcripts import Role, Transcript


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


WH_WORDS = _word_set("what when where which who whom whose why how")
AUX_WORDS = _word_set(
    "do does did is are was were am can could will would should shall may might have has "
    "had isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't"
)
PROMPTS = ("tell me", "walk me through", "talk me through", "describe", "explain", "say more")
FILLERS = _word_set("so and okay ok right great um uh well now alright but then yeah")
INTERVIEWER_LABEL = re.compile(
    r"(?:interviewer|moderator|researcher|facilitator|host|q|int)\s*\d*", re.IGNORECASE
)
CUSTOMER_LABEL = re.compile(
    r"(?:participant|customer|respondent|interviewee|user|client|guest|a|p)\s*\d*", re.IGNORECASE
)
MIN_TURNS = 2
MIN_GAP = 0.2
MIN_QUESTION_SHARE = 0.2
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True, slots=True)
class SpeakerStats:
    """What role detection measured for one speaker.

    Attributes:
        speaker: The label.
        turns: Utterances spoken.
        questions: Of those, how many are questions (see :func:`is_question`).
        words: Words spoken.
        question_share: ``questions / turns``.
        word_share: This speaker's share of all words in the transcript (0 to 1).
    """

    speaker: str
    turns: int
    questions: int
    words: int
    question_share: float
    word_share: float

    @property
    def score(self) -> float:
        """``question_share - word_share / 2``: high for interviewers, low for customers."""
        return self.question_share - self.word_share / 2


def is_question(text: str) -> bool:
    """Whether a turn is a question or a prompt to talk (``?``, wh-word, auxiliary, "tell me")."""
    if text.strip().rstrip("\"'\u201d\u2019)]\u2026. ").endswith("?"):
        return True
    words = _WORD.findall(text.lower())
    while words and words[0] in FILLERS:
        words.pop(0)
    if not words:
        return False
    opening = " ".join(words[:4])
    return words[0] in WH_WORDS or words[0] in AUX_WORDS or opening.startswith(PROMPTS)


def speaker_stats(transcript: Transcript) -> list[SpeakerStats]:
    """Turns, questions and words per speaker, in order of first appearance."""
    turns: dict[str, list[str]] = {s: [] for s in transcript.speakers}
    for utterance in transcript.utterances:
        if utterance.speaker:
            turns[utterance.speaker].append(utterance.text)
    words = {s: sum(len(_WORD.findall(t)) for t in texts) for s, texts in turns.items()}
    total = sum(words.values()) or 1
    return [
        SpeakerStats(
            speaker=s,
            turns=len(texts),
            questions=(asked := sum(is_question(t) for t in texts)),
            words=words[s],
            question_share=asked / len(texts),
            word_share=words[s] / total,
        )
        for s, texts in turns.items()
    ]


def _describe(stats: SpeakerStats) -> str:
    return (
        f"{stats.speaker} asked in {stats.question_share:.0%} of {stats.turns} turns and "
        f"spoke {stats.word_share:.0%} of the words"
    )


def _by_label(speaker: str) -> Role | None:
    if INTERVIEWER_LABEL.fullmatch(speaker.strip()):
        return Role.INTERVIEWER
    if CUSTOMER_LABEL.fullmatch(speaker.strip()):
        return Role.CUSTOMER
    return None


def _split(candidates: list[SpeakerStats]) -> tuple[dict[str, Role], str | None]:
    """Roles of the speakers with enough turns, or why none could be decided."""
    if len(candidates) < 2:
        return {}, "only one speaker has enough turns to compare"
    ranked = sorted(candidates, key=lambda s: s.score, reverse=True)
    gaps = [a.score - b.score for a, b in itertools.pairwise(ranked)]
    cut = gaps.index(max(gaps)) + 1
    evidence = "; ".join(_describe(s) for s in ranked)
    if gaps[cut - 1] < MIN_GAP:
        return {}, f"their question and talk shares are too close to call ({evidence})"
    if any(s.question_share < MIN_QUESTION_SHARE for s in ranked[:cut]):
        return {}, f"nobody asks noticeably more questions than the others ({evidence})"
    roles = {s.speaker: Role.INTERVIEWER for s in ranked[:cut]}
    roles |= {s.speaker: Role.CUSTOMER for s in ranked[cut:]}
    return roles, None


def _guess(transcript: Transcript) -> tuple[dict[str, Role], dict[str, str]]:
    """Roles by label and by heuristics, and for each undecided speaker the reason."""
    stats = speaker_stats(transcript)
    candidates = [s for s in stats if s.turns >= MIN_TURNS]
    roles, reason = _split(candidates)
    reasons = {s.speaker: reason for s in candidates if reason}
    reasons |= {s.speaker: f"{s.speaker} spoke only once" for s in stats if s.turns < MIN_TURNS}
    for s in stats:
        labelled = _by_label(s.speaker)
        if labelled is not None:
            roles[s.speaker] = labelled
            reasons.pop(s.speaker, None)
    for speaker in reasons:
        roles[speaker] = Role.UNKNOWN
    return roles, reasons


def _resolve(name: str, speakers: list[str], field: str) -> str:
    if name in speakers:
        return name
    folded = {s.casefold(): s for s in speakers}
    if name.strip().casefold() in folded:
        return folded[name.strip().casefold()]
    raise InvalidInput(
        f"There is no speaker {name!r} in this transcript.",
        field=field,
        hint=f"use one of the speakers: {', '.join(speakers) or '(none)'}",
    )


def _checked_overrides(overrides: Mapping[str, Role | str], speakers: list[str]) -> dict[str, Role]:
    checked = {}
    for name, role in overrides.items():
        speaker = _resolve(name, speakers, f"overrides.{name}")
        try:
            checked[speaker] = Role(role)
        except ValueError:
            raise InvalidInput(
                f"{role!r} is not a role.",
                field=f"overrides.{name}",
                hint=f"use one of {', '.join(r.value for r in Role)}",
            ) from None
    return checked


_OPPOSITE = {Role.INTERVIEWER: Role.CUSTOMER, Role.CUSTOMER: Role.INTERVIEWER}


def detect_roles(
    transcript: Transcript,
    *,
    interviewer: str | None = None,
    overrides: Mapping[str, Role | str] | None = None,
) -> Transcript:
    """A copy of the transcript with each speaker's role set (see the module docstring).

    Args:
        transcript: An imported transcript.
        interviewer: The interviewer's speaker label (case-insensitive); everyone else is then
            a customer.
        overrides: Roles that win over everything else, by speaker label.

    Returns:
        The transcript with roles set; each speaker the rules could not decide is
        ``Role.UNKNOWN`` and has a warning saying why and how to set it.

    Raises:
        InvalidInput: ``interviewer`` or an ``overrides`` key names no speaker, or a role is
            not a :class:`Role`.
    """
    speakers = transcript.speakers
    fixed = _checked_overrides(overrides or {}, speakers)
    reasons: dict[str, str] = {}
    if interviewer is not None:
        chosen = _resolve(interviewer, speakers, "interviewer")
        roles = {s: Role.INTERVIEWER if s == chosen else Role.CUSTOMER for s in speakers}
    else:
        roles, reasons = _guess(transcript)
    roles |= fixed
    if len(speakers) == 2 and len(fixed) == 1:
        role = next(iter(fixed.values()))
        other = next(s for s in speakers if s not in fixed)
        if roles[other] is Role.UNKNOWN and role in _OPPOSITE:
            roles[other] = _OPPOSITE[role]
    warnings = [
        f"Role of {speaker!r} left unknown: {reason}. Pass interviewer='…' or "
        f"overrides={{{speaker!r}: Role.CUSTOMER}} to set it."
        for speaker, reason in reasons.items()
        if roles[speaker] is Role.UNKNOWN
    ]
    if not speakers:
        warnings.append("No speaker labels in this transcript, so no roles could be set.")
    detected = transcript.with_roles(roles)
    return replace(detected, warnings=(*transcript.warnings, *warnings))
