"""Played-down feedback: a negative feeling or problem dismissed in the same breath.

Customers often report a problem and take it back at once: *"The onboarding was a bit
confusing, but whatever, it's fine."* Generic sentiment scorers weight what follows "but" and
call this positive; an interviewer hears a real problem worth asking about. This module finds
the two parts, by rules a reviewer can read:

- a **dismissal**: a judgment that plays the feedback down (``"not really important"``,
  ``"no big deal"``, ``"it's fine"``, ``"whatever"``, ``"I got used to it"``, ``"I guess"``…),
  or a **downtoner** directly modifying a negative word (``"a bit"``, ``"kind of"``,
  ``"slightly"``, ``"not too"``, ``"a minor"``… + ``"slow"``);
- a **concern**: a negative feeling or problem from a curated lexicon (``"frustrated"``,
  ``"took forever"``, ``"couldn't find"``, ``"charged twice"``…), unless negated
  (``"not confusing"``, ``"never had a problem"``).

Both must occur within the same or a neighbouring sentence, in either order. When the lexicon
finds no concern, the emotion model's negative score (``negative_hint``) may stand in for it:
then the clause next to the dismissal is the concern. Pure: imports nothing from the project
but :mod:`journeyscope.nlp.annotations`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from journeyscope.nlp.annotations import Minimization, Span

HINT_THRESHOLD = 0.5
"""Lowest ``negative_hint`` at which a dismissal alone marks its clause as the concern.

Tuned on MELD dev with a stand-in scorer (``eval/minimization.py``): the F1 of the
``minimized`` flag is flat between 0.4 and 0.6 there; re-tune when the emotion model changes.
"""

_A = "['\u2019]"  # straight or typographic (U+2019) apostrophe: pasted text uses both
_NT = rf"n{_A}t"
_END = r"(?=\s*(?:[.,;:!?…)\-]|$))"  # followed by punctuation or the end: a verdict, not a verb


def _alternatives(*patterns: str) -> str:
    return "(?:" + "|".join(patterns) + ")"


_FEELING_WORDS = _alternatives(
    r"frustrat(?:ed|ing|ion)",
    r"annoy(?:ed|ing|ance)",
    r"irritat(?:ed|ing)",
    r"confus(?:ed|ing)",
    r"disappoint(?:ed|ing|ment)",
    r"upset(?:ting)?",
    r"angry|mad|furious|livid|pissed(?:\s+off)?",
    r"stress(?:ed|ful)|anxious|worried|nervous|scared|afraid|uneasy|uncomfortable",
    r"sad|unhappy|miserable|helpless|lost|insecure|hurt|lonely",
    r"overwhelm(?:ed|ing)|embarrass(?:ed|ing)|awkward",
    r"hate[ds]?|dislike[ds]?|ugh",
    r"fed\s+up|sick\s+of|tired\s+of|had\s+enough",
    r"not\s+(?:(?:too|very|that|so|really|super|exactly|all\s+that)\s+)?"
    r"(?:happy|pleased|satisfied|thrilled|impressed|great|good|ideal)",
)
_PROBLEM_WORDS = _alternatives(
    r"slow(?:er|ly|ness)?|sluggish|lag(?:gy|ging|s|ged)?",
    r"broken|buggy|bugs?|crash(?:ed|es|ing)?|glitch(?:y|es|ed)?|errors?",
    r"fail(?:ed|s|ing|ure)?|froze|freez(?:es|ing)|timed\s+out|logged\s+(?:me\s+)?out",
    r"clunky|clumsy|cluttered|tedious|cumbersome|painful|pain|hassle|mess(?:y)?|nightmare",
    r"(?:hard|difficult|tricky|impossible)\s+to\s+\w+|difficult|tricky|complicated",
    r"unclear|misleading|hidden|expensive|overpriced|pricey|rude|unhelpful|useless|unreliable",
    r"wrong|missing|late|delay(?:ed|s)?|problems?|issues?|trouble|weird|odd|strange|ugly",
    r"noisy|dirty|bad|terrible|awful|horrible|worse|worst|poor|inconvenient|disorganized",
    r"ridiculous|unacceptable|crowded|cramped|deleted|erased|wiped|mistakes?|unable\s+to",
    r"took\s+(?:forever|ages|too\s+long|so\s+long|a\s+while|hours|days|weeks)|takes\s+forever",
    r"waited|on\s+hold|long\s+wait|wait(?:ing)?\s+(?:forever|ages|for\s+ages|too\s+long)",
    rf"(?:couldn{_A}t|can{_A}t|could\s+not|cannot|wasn{_A}t\s+able\s+to)\s+"
    r"(?:find|figure|get|log|sign|access|reach|understand|work\s+out)",
    r"had\s+to\s+(?:call|ask|wait|try|email|contact|go\s+back|start\s+over|restart|re-?enter)"
    r"(?:\s+(?:twice|again|back|three\s+times|several\s+times))?",
    r"charged\s+twice|double[- ]charged|overcharged|never\s+(?:arrived|came|showed\s+up)",
    rf"(?:didn{_A}t|doesn{_A}t|does\s+not|did\s+not|won{_A}t|wouldn{_A}t)\s+"
    r"(?:work|load|open|save|sync|arrive|respond|help)",
    r"not\s+working|stopped\s+working|kept\s+(?:crashing|failing|freezing|logging\s+me\s+out"
    r"|asking|dropping|timing\s+out)",
    r"no\s+one\s+(?:answered|called\s+back|replied|helped)|nobody\s+(?:answered|replied|helped)",
)
_FEELING = re.compile(rf"\b{_FEELING_WORDS}\b", re.IGNORECASE)
_PROBLEM = re.compile(rf"\b{_PROBLEM_WORDS}\b", re.IGNORECASE)

_DOWNTONERS = _alternatives(
    r"a\s+(?:tiny\s+|little\s+)?bit",
    r"a\s+little",
    r"(?<!what\s)(?<!which\s)(?<!this\s)(?<!that\s)(?<!the\s)(?<!some\s)(?<!any\s)"
    r"(?:kind|sort)\s+of",
    r"kinda|sorta|slightly|somewhat|a\s+tad|a\s+touch|mildly|not\s+too",
    r"minor|small|tiny|slight",
)
_INTENSIFIERS = r"(?:really|so|very|super|pretty|quite|extremely|totally|too|way\s+too)"
# Anchored at the concern: optional downtoner (+ "of a"), optional intensifier, then the concern.
_PREFIX = re.compile(
    rf"(?:\b(?P<down>{_DOWNTONERS})\s+(?:of\s+)?(?:an?\s+)?)?(?:\b{_INTENSIFIERS}\s+)?$",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    rf"(?:\b(?:not|never|no|nothing|without|hardly|barely|nobody|none)\b|{_NT}\b)"
    r"(?:\W+\w+){0,3}\W*$",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r".*(?:[,;:.!?…]|\bbut\b)", re.IGNORECASE | re.DOTALL)

_DISMISSAL = re.compile(
    r"\b"
    + _alternatives(
        rf"(?:it|that|this|which)(?:{_A}s|\s+is)\s+(?:(?:totally|really|all|perfectly|still"
        r"|pretty\s+much|mostly)\s+)?(?:fine|ok|okay|alright|all\s+right|all\s+good)\b"
        r"(?!\s+(?:to|if)\b)",
        rf"(?:(?:it|that|this)(?:{_A}s|\s+is|\s+was)\s+)?"
        rf"(?:not|(?:is|was|are|were|ai){_NT})\s+(?:(?:really|that|very|too|so|all\s+that|super"
        r"|such)\s+)?(?:important|serious|bad|that\s+big\s+(?:of\s+)?a\s+deal|the\s+end\s+of\s+"
        r"the\s+world|worth\s+(?:mentioning|complaining\s+about|the\s+fuss)|an?\s+(?:(?:big"
        r"|huge|major|real)\s+)?(?:issue|problem|deal|dealbreaker|biggie|thing))\b",
        r"no\s+(?:big\s+deal|biggie|harm\s+done)\b",
        rf"no\s+(?:problem|worries){_END}",
        rf"whatever{_END}|meh\b|oh,?\s+well\b|never\s*mind\b|all\s+good{_END}",
        rf"(?:anyway|anyways){_END}",
        rf"(?:i|you|we)(?:{_A}ve|\s+have)?\s+(?:got|get|gotten|getting|{_A}ll\s+get|will\s+get"
        rf"|{_A}m|am|{_A}re|are)\s+used\s+to\s+it",
        rf"(?:i|we)\s+(?:can|could|{_A}ll|will)\s+live\s+with\s+it|learn(?:ed|t)\s+to\s+live\s+"
        r"with\s+it",
        rf"(?:(?:it|that)\s+)?(?:doesn{_A}t|didn{_A}t|does\s+not|did\s+not|won{_A}t)\s+"
        rf"(?:really\s+)?matter(?:\s+(?:much|that\s+much|to\s+me))?{_END}",
        rf"(?:can{_A}t|cannot|shouldn{_A}t)\s+(?:really\s+)?complain|not\s+complaining",
        rf"could(?:\s+have\s+been|{_A}ve\s+been|\s+be)\s+(?:a\s+lot\s+|much\s+|way\s+)?worse",
        rf"it(?:\s+is|{_A}s)\s+what\s+it\s+is|that{_A}s\s+(?:just\s+)?the\s+way\s+it\s+(?:is|goes)",
        r"i\s+(?:guess|suppose)\b",
        rf"(?:these\s+things|things|stuff|it|that)\s+happens?{_END}",
        rf"(?:i{_A}m|i\s+am|i{_A}ll\s+be|we{_A}re)\s+(?:fine|okay|ok|over\s+it){_END}",
        r"(?:just\s+)?(?:a\s+)?(?:small|minor|little|tiny)\s+thing\b",
        r"nothing\s+(?:major|serious|big|terrible)\b",
    ),
    re.IGNORECASE,
)
_CONNECTIVES = re.compile(
    r"(?:\b(?:but|though|although|and|so|oh|well|anyway|honestly|really|i\s+mean|hey|still)"
    r"[\s,]+)+$",
    re.IGNORECASE,
)
_TRAILERS = re.compile(
    rf",?\s+(?:though|anyway|anyways|really|honestly|i\s+guess|i\s+suppose){_END}", re.IGNORECASE
)
_GAP = re.compile(
    r"[\s,;:.!…-]*(?:(?:but|and|so|oh|well|really|honestly|i\s+mean|anyway)\b[\s,;:.!…-]*)*",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_EDGE_JUNK = re.compile(r"^[\s,;:.!?…-]*(?:(?:but|and|so|though)\b[\s,]*)?|[\s,;:…-]+$", re.I)


@dataclass(frozen=True, slots=True)
class _Concern:
    """One negative feeling or problem: the core words, and any downtoner right before."""

    core: Span
    full: Span  # downtoner and intensifier included: the customer's words to quote
    downtoner: Span | None


def find_minimization(text: str, *, negative_hint: float = 0.0) -> Minimization | None:
    """Find a negative feeling or problem that the speaker played down, if any.

    Args:
        text: One utterance or answer.
        negative_hint: The emotion model's negative score for ``text`` (0…1). Used only when
            the lexicon finds no concern but a dismissal is present: at or above
            :data:`HINT_THRESHOLD` the clause next to the dismissal becomes the concern.

    Returns:
        The concern and the dismissal, with offsets into ``text``; ``None`` when either is
        missing — plain praise (``"it's fine, works great"``), a dismissal without a concern
        (``"no big deal, I just wanted to say thanks"``) and negated concerns do not count.
    """
    dismissals = find_dismissals(text)
    concerns = _find_concerns(text, exclude=dismissals)
    pair = _nearest_pair(text, dismissals, concerns)
    if pair is not None:
        return pair
    for concern in concerns:
        if concern.downtoner is not None:  # "a bit slow": the downtoner is the dismissal
            return _downtoned(text, concern, concern.downtoner)
    if dismissals and negative_hint >= HINT_THRESHOLD:
        return _clause_as_concern(text, dismissals[0])
    return None


def find_dismissals(text: str) -> tuple[Span, ...]:
    """The phrases that play feedback down (``"but whatever, it's fine"``), in order.

    Neighbouring phrases merge into one span (``"It's fine, I guess"``) and a connective
    right before is included (``"but …"``), so removing the span leaves a clean sentence.
    Downtoners are not included here: they only count next to a negative word.
    """
    spans: list[Span] = []
    for match in _DISMISSAL.finditer(text):
        start, end = _extend_left(text, match.start()), _extend_right(text, match.end())
        if spans and (start <= spans[-1].end or _GAP.fullmatch(text, spans[-1].end, start)):
            last = spans.pop()
            start, end = last.start, max(end, last.end)
        spans.append(_span(text, start, end))
    return tuple(spans)


def find_concerns(text: str, *, problems_only: bool = False) -> tuple[Span, ...]:
    """Negative feelings and problems in ``text`` that are not negated, in order.

    ``problems_only`` keeps concrete problems (``"crashed"``, ``"charged twice"``) and drops
    feelings (``"frustrated"``): a finding's *problem* cue needs something that happened.
    """
    concerns = _find_concerns(text, exclude=find_dismissals(text), problems_only=problems_only)
    return tuple(concern.full for concern in concerns)


def strip_dismissal(text: str, minimization: Minimization) -> str:
    """``text`` without the dismissal, so the feedback can be scored at its full weight.

    ``"The onboarding was a bit confusing, but whatever, it's fine."`` →
    ``"The onboarding was a bit confusing."``; ``"The checkout was a bit slow."`` →
    ``"The checkout was slow."``. Punctuation and a dangling ``but`` are tidied up.
    """
    dismissal = minimization.dismissal
    rest = text[: dismissal.start] + " " + text[dismissal.end :]
    rest = re.sub(r"([.!?…])\s+[.,;:]", r"\1", rest)
    rest = re.sub(r"\s+", " ", rest)
    rest = re.sub(r"\s+([,;:.!?…])", r"\1", rest)
    rest = re.sub(r"[,;:]+(?=[.!?…]|$)", "", rest)
    rest = re.sub(r",\s*,", ",", rest)
    rest = _EDGE_JUNK.sub("", rest).strip()
    if text[:1].isupper() and rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    return rest


def _find_concerns(
    text: str, *, exclude: tuple[Span, ...], problems_only: bool = False
) -> list[_Concern]:
    """Lexicon matches outside ``exclude`` that are not negated, with their prefixes."""
    matches = list(_PROBLEM.finditer(text))
    if not problems_only:
        matches += _FEELING.finditer(text)
    found: list[_Concern] = []
    for match in sorted(matches, key=lambda m: m.start()):
        if any(span.start <= match.start() < span.end for span in exclude):
            continue
        if found and match.start() < found[-1].core.end:
            continue
        concern = _with_prefix(text, match.start(), match.end())
        if not _is_negated(text, concern.full.start):
            found.append(concern)
    return found


def _with_prefix(text: str, start: int, end: int) -> _Concern:
    """The concern with the downtoner and intensifier just before it."""
    prefix = _PREFIX.search(text, max(0, start - 40), start)
    full_start = prefix.start() if prefix and prefix.group() else start
    downtoner = None
    if prefix and prefix.group("down"):
        downtoner = _span(text, prefix.start("down"), prefix.end("down"))
    return _Concern(_span(text, start, end), _span(text, full_start, end), downtoner)


def _is_negated(text: str, start: int) -> bool:
    """Whether a negator stands within three words before ``start`` in the same clause."""
    window_start = max(0, start - 40)
    clause = _CLAUSE_BREAK.match(text, window_start, start)
    return _NEGATION.search(text, clause.end() if clause else window_start, start) is not None


def _nearest_pair(
    text: str, dismissals: tuple[Span, ...], concerns: list[_Concern]
) -> Minimization | None:
    """The closest dismissal and concern within the same or a neighbouring sentence."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    best: tuple[int, Minimization] | None = None
    for dismissal in dismissals:
        for concern in concerns:
            if (
                abs(bisect.bisect(ends, dismissal.start) - bisect.bisect(ends, concern.full.start))
                > 1
            ):
                continue
            gap = max(dismissal.start - concern.full.end, concern.full.start - dismissal.end)
            if best is None or gap < best[0]:
                best = (gap, Minimization(concern=concern.full, dismissal=dismissal))
    return best[1] if best else None


def _downtoned(text: str, concern: _Concern, downtoner: Span) -> Minimization:
    """``"a bit of a hassle"`` → concern ``"a hassle"``, dismissal ``"a bit of"``."""
    joint = re.match(r"(\s+of)?\s+", text[downtoner.end : concern.core.start])
    end = downtoner.end + (joint.end(1) if joint and joint.group(1) else 0)
    start = downtoner.end + (joint.end() if joint else 0)
    return Minimization(
        concern=_span(text, start, concern.full.end), dismissal=_span(text, downtoner.start, end)
    )


def _clause_as_concern(text: str, dismissal: Span) -> Minimization | None:
    """The clause before the dismissal (or after it, if it opens the sentence) as concern."""
    ends = [0, *(match.end() for match in _SENTENCE_END.finditer(text)), len(text)]
    before = _trim(text, ends[bisect.bisect_right(ends, dismissal.start) - 1], dismissal.start)
    after = next(
        (span for end in ends if end > dismissal.end and (span := _trim(text, dismissal.end, end))),
        None,
    )
    concern = before or after
    return Minimization(concern=concern, dismissal=dismissal) if concern else None


def _trim(text: str, start: int, end: int) -> Span | None:
    """The words between ``start`` and ``end`` without edge punctuation or connectives."""
    piece = text[start:end]
    lead = re.match(r"[\s,;:.!?…-]*(?:(?:but|and|so|though)\b[\s,]*)?", piece, re.IGNORECASE)
    tail = re.search(r"[\s,;:.!?…-]*$", piece)
    left = start + (lead.end() if lead else 0)
    right = start + (tail.start() if tail else len(piece))
    return _span(text, left, right) if right - left >= 3 else None


def _extend_left(text: str, start: int) -> int:
    """Include a connective just before a dismissal (``"but"``, ``"and honestly"``)."""
    connective = _CONNECTIVES.search(text, max(0, start - 30), start)
    return connective.start() if connective else start


def _extend_right(text: str, end: int) -> int:
    """Include a trailing ``"though"`` or ``"anyway"`` that belongs to the dismissal."""
    tail = _TRAILERS.match(text, end)
    return tail.end() if tail else end


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])
