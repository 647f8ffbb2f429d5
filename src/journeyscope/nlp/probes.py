"""Open-ended follow-up questions that quote the customer's own words.

When feedback is played down (:mod:`journeyscope.nlp.minimization`) or an answer carries a
strong emotion, the right move in an interview is an open question about that moment — not a
yes/no question and not one that suggests the answer. Quoting the customer verbatim shows we
listened and keeps our words out of theirs. Each suggestion is an open question ending in
``?``; the phrasing varies from text to text (chosen by a stable checksum, so the same text
always gets the same questions). Pure: imports nothing from the project but ``nlp``.
"""

from __future__ import annotations

import re
import zlib

from journeyscope.nlp.annotations import Minimization, Span

MAX_QUOTE_WORDS = 8
"""Longer concerns are cut to their last words: the part nearest the dismissal is the point."""

_EDGE = " ,;:.!?…-\"'"
_CLAUSE_BREAK = re.compile(r"[,;:.!?…]|\bbut\b", re.IGNORECASE)
_CONNECTIVE = re.compile(r"^(?:(?:but|and|so|though)\s+)+", re.IGNORECASE)
_FEELING_WORDS = re.compile(
    r"\b(?:(?:really|so|very|super|pretty|quite|extremely|totally|a\s+bit|a\s+little|kind\s+of)"
    r"\s+)?(?:frustrated|annoyed|irritated|confused|disappointed|upset|angry|mad|furious|"
    r"stressed|anxious|worried|nervous|scared|afraid|sad|unhappy|overwhelmed|embarrassed|lost|"
    r"happy|glad|relieved|delighted|excited|thrilled|pleased|grateful|impressed|surprised|"
    r"shocked|proud|confident|hopeful|calm|comfortable|uncomfortable|helpless|fed\s+up)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"(?:^|[,;:.!?…]\s*|\b(?:but|and|so)\s+)(?P<subject>(?:[\w\u2019'-]+\s+){0,3}?[\w\u2019'-]+)"
    r"\s+(?P<verb>was|were|is|are|felt|feels|seemed|seems|got|gets|looked|looks)\s+$",
    re.IGNORECASE,
)
_SWAPS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "we": "you",
    "our": "your",
    "us": "you",
    "i'm": "you're",
    "i\u2019m": "you\u2019re",
}
_LOWER_FIRST = frozenset(
    ["the", "this", "that", "these", "those", "it", "its", "a", "an", "my", "our", "their"]
)


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


_ADJECTIVES = _word_set(
    "slow hard difficult tricky complicated unclear clunky clumsy cluttered tedious "
    "cumbersome painful expensive pricey overpriced buggy weird odd strange awkward messy "
    "rude unhelpful useless unreliable bad poor terrible awful horrible ugly stressful"
)
_FEELINGS = _word_set(
    "frustrated annoyed irritated confused disappointed upset stressed worried overwhelmed "
    "embarrassed scared nervous anxious angry mad furious sad unhappy lost helpless"
)

_WALK_THROUGH = (
    'You said {lead}"{quote}" — can you walk me through what happened?',
    'You mentioned {lead}"{quote}" — what happened, step by step?',
    'When you say {lead}"{quote}", what did that look like for you?',
)
_ABOUT_ADJECTIVE = ("What was {core} about it?", "What made it feel {core}?")
_ABOUT_FEELING = ("What left you feeling {core}?", "What was going on when you felt {core}?")
_ABOUT_EVENT = (
    "What were you trying to do when that happened?",
    "What happened right before that?",
)
_IMPACT = (
    "How did that affect what you did next?",
    "What did that mean for you at the time?",
    "What did you do after that?",
)
_EMOTION_OPENERS = (
    'You mentioned feeling "{quote}" — can you tell me more about that moment?',
    'You said you felt "{quote}" — what was happening at that moment?',
)
_SAID_OPENERS = (
    'You said "{quote}" — can you tell me more about that moment?',
    'You said "{quote}" — what was happening at that moment?',
)
_EMOTION_CAUSE = ("What led up to that?", "What was happening just before you felt that way?")
_EMOTION_IMPACT = (
    "How did that shape the rest of your experience?",
    "What did you do next?",
)


def suggest_follow_ups(
    text: str,
    minimization: Minimization | None = None,
    *,
    emotion: str | None = None,
    limit: int = 3,
) -> tuple[str, ...]:
    """Suggest open follow-up questions about played-down feedback or a strong emotion.

    Args:
        text: The customer's words.
        minimization: The played-down feedback in ``text``, from ``find_minimization``.
            When given, the questions ask about its concern (``"a bit confusing"``).
        emotion: The strongest emotion label for ``text``; used when nothing was played
            down. ``None``, ``""`` or ``"neutral"`` means there is nothing to probe.
        limit: At most this many questions (two or three are suggested).

    Returns:
        Up to ``limit`` open questions, each ending in ``?``, the first quoting the customer
        verbatim; empty when there is nothing to probe.
    """
    seed = zlib.crc32(text.encode("utf-8"))
    if minimization is not None:
        questions = _about_concern(text, minimization, seed)
    elif emotion and emotion.lower() != "neutral":
        questions = _about_emotion(text, seed)
    else:
        return ()
    return questions[: max(0, limit)]


def _about_concern(text: str, minimization: Minimization, seed: int) -> tuple[str, ...]:
    """Walk-through, the customer's own word, and the impact on what they did next."""
    start = _quote_start(minimization)
    lead = _lead(text, start)
    quote = _concern_quote(text, minimization, start, has_lead=bool(lead))
    core = _core_word(minimization.concern.text)
    if core in _FEELINGS:
        about = _pick(_ABOUT_FEELING, seed).format(core=core)
    elif core and (core.endswith("ing") or core in _ADJECTIVES):
        about = _pick(_ABOUT_ADJECTIVE, seed).format(core=core)
    else:
        about = _pick(_ABOUT_EVENT, seed)
    opener = _pick(_WALK_THROUGH, seed).format(lead=lead, quote=quote)
    return (opener, about, _pick(_IMPACT, seed))


def _about_emotion(text: str, seed: int) -> tuple[str, ...]:
    """Ask about the moment the feeling named in ``text`` (or its first clause) arose."""
    feeling = _FEELING_WORDS.search(text)
    if feeling:
        opener = _pick(_EMOTION_OPENERS, seed).format(quote=feeling.group())
    else:
        opener = _pick(_SAID_OPENERS, seed).format(quote=_first_clause(text))
    return (opener, _pick(_EMOTION_CAUSE, seed), _pick(_EMOTION_IMPACT, seed))


def _quote_start(minimization: Minimization) -> int:
    """The concern's start, or the downtoner's right before it (``"a bit"`` + ``"slow"``)."""
    concern, dismissal = minimization.concern, minimization.dismissal
    if 0 <= concern.start - dismissal.end <= 1:
        return dismissal.start
    return concern.start


def _concern_quote(text: str, minimization: Minimization, start: int, *, has_lead: bool) -> str:
    """The concern as the customer said it, to the end of its clause.

    With a lead (``the onboarding was``) the quote starts at the concern, keeping a downtoner
    right before it (``"a bit slow"``); without one it starts at the clause, so a bare verb
    such as ``"crashed"`` reads as ``"The app crashed twice"``.
    """
    concern, dismissal = minimization.concern, minimization.dismissal
    if not has_lead:
        start = _clause_start(text, start, floor=dismissal.end if dismissal.end <= start else 0)
    end = _clause_end(text, concern.end, ceiling=_after(dismissal, concern, len(text)))
    return _words_around(text, start, concern.end, end)


def _clause_start(text: str, start: int, *, floor: int) -> int:
    """Where the clause holding ``start`` begins (after punctuation or ``but``)."""
    breaks = list(_CLAUSE_BREAK.finditer(text, floor, start))
    return breaks[-1].end() if breaks else floor


def _clause_end(text: str, end: int, *, ceiling: int) -> int:
    """Where the clause holding ``end`` stops, never past ``ceiling``."""
    found = _CLAUSE_BREAK.search(text, end, ceiling)
    return found.start() if found else ceiling


def _after(dismissal: Span, concern: Span, length: int) -> int:
    """The dismissal's start when it follows the concern, else the end of the text."""
    return dismissal.start if dismissal.start >= concern.end else length


def _words_around(text: str, start: int, middle: int, end: int) -> str:
    """``text[start:end]``, at most :data:`MAX_QUOTE_WORDS` words, centred on ``middle``."""
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    before = sum(1 for w in words if w[0] + start < middle)
    first = max(0, min(before - (MAX_QUOTE_WORDS - 2), len(words) - MAX_QUOTE_WORDS))
    kept = words[first : first + MAX_QUOTE_WORDS] or [(0, end - start)]
    return text[start + kept[0][0] : start + kept[-1][1]].strip(_EDGE)


def _lead(text: str, start: int) -> str:
    """``"the onboarding was "`` from ``"The onboarding was a bit confusing"``, else ``""``."""
    match = _LEAD.search(text, max(0, start - 60), start)
    if not match:
        return ""
    subject = _CONNECTIVE.sub("", match.group("subject"))
    words = [_SWAPS.get(word.lower(), word) for word in subject.split()]
    if words[0].lower() in _LOWER_FIRST:
        words[0] = words[0].lower()
    verb = match.group("verb").lower()
    if words[-1] == "you":
        verb = {"was": "were", "is": "are"}.get(verb, verb)
    return " ".join([*words, verb]) + " "


def _core_word(quote: str) -> str | None:
    """The last word of a short concern (``"a bit confusing"`` → ``"confusing"``)."""
    words = re.findall(r"[\w'\u2019-]+", quote)
    return words[-1].lower() if 0 < len(words) <= 3 else None


def _first_clause(text: str) -> str:
    """The first clause of ``text``, cut to a quotable length."""
    clause = re.split(r"[,;:.!?…]", text.strip(), maxsplit=1)[0]
    return _last_words(clause) if clause.strip() else _last_words(text)


def _last_words(phrase: str) -> str:
    """At most :data:`MAX_QUOTE_WORDS` words, verbatim, without edge punctuation."""
    words = phrase.split()[-MAX_QUOTE_WORDS:]
    return " ".join(words).strip(_EDGE)


def _pick(templates: tuple[str, ...], seed: int) -> str:
    return templates[seed % len(templates)]
