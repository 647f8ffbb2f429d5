"""Cues that turn a customer's words into a finding: churn risk, wishes, reasons, problems.

An interview or survey answer becomes a *finding* — a strength, weakness, opportunity or
churn risk linked to its quotes. The cues here are phrase rules a reviewer can read:

- ``churn``: switching, cancelling, leaving, not renewing (``"thinking about switching"``,
  ``"cancel my subscription"``, ``"went with Acme instead"``); negated ones do not count
  (``"I'd never switch"``);
- ``competitor``: a comparison with a named or generic competitor (``"cheaper than Acme"``,
  ``"another app"``, ``"compared to Acme"``);
- ``wish``: a suggestion (``"I wish"``, ``"it would be great if"``, ``"they should"``);
- ``praise_reason``: why they chose or stay (``"the reason I chose"``, ``"what I love"``);
- ``problem``: a concrete problem, from the minimisation lexicon (``"charged twice"``).

Pure: imports nothing from the project but ``nlp``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from journeyscope.nlp.annotations import Span
from journeyscope.nlp.minimization import find_concerns

CLEARLY_NEGATIVE = -0.25
"""Valence at or below which an utterance is a weakness without any cue."""
POSITIVE_WITH_REASON = 0.2
"""Valence at or above which a stated reason for choosing or staying makes a strength."""
CLEARLY_POSITIVE = 0.5
"""Valence at or above which an utterance is a strength without any cue."""


class CueKind(enum.StrEnum):
    """What a cue says about the customer's relationship with the product."""

    CHURN = "churn"  # they are leaving, cancelling or switching
    COMPETITOR = "competitor"  # they compare with a competitor, named or not
    WISH = "wish"  # they suggest something: an opportunity
    PRAISE_REASON = "praise_reason"  # why they chose us or stay
    PROBLEM = "problem"  # a concrete problem happened


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue and the words that carry it (offsets into the text)."""

    kind: CueKind
    span: Span


_A = "['\u2019]"
# A capitalised name (one or two words, "Monday.com"), case-sensitive even under IGNORECASE.
_NAME = r"(?-i:[A-Z][\w&-]*(?:\.[a-z]{2,})?(?:\s+[A-Z][\w&-]*)?)"
_NOT_NAMES = r"(?!(?:I|The|This|That|It|We|You|They|He|She|My|Our|A|An)\b)"

_CHURN = re.compile(
    r"\b(?:"
    r"(?:switch(?:ing|ed)?|mov(?:e|ing|ed)|go(?:ing)?|leav(?:e|ing))\s+(?:over\s+)?to\s+"
    rf"(?:{_NOT_NAMES}{_NAME}|another|a\s+different|a\s+competitor|someone\s+else)"
    r"|(?:thinking|thought)\s+(?:about|of)\s+(?:switching|cancel+ing|leaving|quitting|moving)"
    r"|(?:consider|considering|planning\s+to|going\s+to|gonna|about\s+to|ready\s+to|will|might)"
    r"\s+(?:switch(?:ing)?|cancel+(?:ing)?|leav(?:e|ing)|quit(?:ting)?|mov(?:e|ing)\s+on)"
    r"|cancel+(?:ing|ed)?\s+(?:my|our|the)\s+(?:subscription|account|plan|membership|contract)"
    r"|(?:close|closing|delete|deleting)\s+(?:my|our)\s+account"
    rf"|not\s+renew(?:ing)?|(?:won{_A}t|will\s+not|didn{_A}t|did\s+not)\s+renew"
    r"|(?:went|going|gone|switched|moved)\s+with\s+\S+(?:\s+\S+)?\s+instead"
    r"|(?:looking\s+(?:at|for)|shopping\s+around\s+for)\s+(?:alternatives|other\s+options)"
    r"|take\s+(?:my|our)\s+business\s+elsewhere|(?:last|final)\s+straw|unsubscrib(?:e|ed|ing)"
    rf"|(?:won{_A}t|will\s+never)\s+(?:be\s+back|come\s+back|order\s+again|buy\s+again)"
    r")",
    re.IGNORECASE,
)
_CHURN_NEGATED = re.compile(
    rf"(?:\b(?:not|never|no)\b|n{_A}t\b)(?:\W+\w+){{0,2}}\W*$|\bwhy\s+(?:would|should)\s+i\s+$",
    re.IGNORECASE,
)
_COMPETITOR = re.compile(
    r"\b(?:"
    r"competitors?|the\s+competition"
    r"|(?:an?other|other|a\s+different|a\s+rival)\s+"
    r"(?:apps?|providers?|compan(?:y|ies)|banks?|tools?|services?|brands?|vendors?|platforms?)"
    rf"|(?:than|compared\s+(?:to|with)|unlike|versus|vs\.?|instead\s+of)\s+{_NOT_NAMES}{_NAME}"
    rf"|(?:went|switch(?:ed|ing)?|mov(?:ed|ing)|going)\s+(?:with|to)\s+{_NOT_NAMES}{_NAME}"
    rf"|{_NOT_NAMES}{_NAME}\s+(?:is|are|was|were)\s+(?:\w+\s+)?"
    r"(?:cheaper|better|faster|easier|nicer|simpler)\s+than\s+(?:you|yours|this|it|us)\b"
    r")",
    re.IGNORECASE,
)
_WISH = re.compile(
    r"\b(?:"
    r"i\s+wish|if\s+only|i\s+hope\s+(?:you|they)\s+(?:add|fix|make|improve|bring)"
    rf"|(?:it\s+)?(?:would|{_A}d)\s+be\s+(?:really\s+|so\s+)?"
    r"(?:great|nice|good|helpful|awesome|better|useful|amazing|cool)\s+(?:if|to)"
    rf"|it{_A}d\s+be\s+(?:great|nice|good|helpful|better)"
    r"|(?:you|they|it|someone)\s+(?:really\s+)?(?:should|could|ought\s+to)\s+"
    r"(?:add|let|make|allow|offer|have|be|include|support|show|fix)"
    rf"|(?:i|we){_A}?d\s+love|(?:i|we)\s+would\s+love|would\s+love\s+(?:to|if|a|an|it)"
    r"|please\s+(?:add|make|bring|fix|let)|what\s+i(?:\s+would|['\u2019]d)\s+like"
    r"|(?:could|would)\s+(?:use|do\s+with)\s+(?:a|an|more|some|better)"
    r")",
    re.IGNORECASE,
)
_PRAISE_REASON = re.compile(
    r"\b(?:"
    r"the\s+(?:main\s+|only\s+|real\s+)?reason\s+(?:why\s+)?(?:i|we)\s+"
    r"(?:chose|choose|picked|stay(?:ed)?|switched|came\s+back|use|keep)"
    rf"|that{_A}?s\s+(?:why|the\s+reason)\s+(?:i|we)\s+"
    r"(?:stay|chose|choose|love|use|keep|come\s+back|came|switched|picked)"
    r"|why\s+(?:i|we)\s+(?:keep\s+coming\s+back|stay|stick\s+with)"
    r"|what\s+(?:i|we)\s+(?:really\s+)?(?:love|like|liked|loved|appreciate|value)(?:\s+most)?"
    r"|(?:i|we)\s+(?:chose|picked|switched\s+to|went\s+with|stay(?:ed)?\s+with|stick\s+with)"
    r"\s+(?:you|them|it|this|\w+)\s+(?:because|for|since)"
    r"|keeps\s+(?:me|us)\s+(?:coming\s+back|here|loyal)|(?:i|we)\s+love\s+(?:how|that|the\s+way)"
    r")",
    re.IGNORECASE,
)
_PATTERNS = (
    (CueKind.CHURN, _CHURN),
    (CueKind.COMPETITOR, _COMPETITOR),
    (CueKind.WISH, _WISH),
    (CueKind.PRAISE_REASON, _PRAISE_REASON),
)


def find_cues(text: str) -> tuple[Cue, ...]:
    """Find churn, competitor, wish, praise-reason and problem cues in ``text``.

    Returns:
        The cues in text order, each with the words that carry it. A churn phrase behind a
        negation (``"I would never switch"``) is left out: it is loyalty, not risk.
    """
    cues = [
        Cue(kind, _span(text, match.start(), match.end()))
        for kind, pattern in _PATTERNS
        for match in pattern.finditer(text)
        if not (kind is CueKind.CHURN and _is_negated_churn(text, match.start()))
    ]
    cues += [Cue(CueKind.PROBLEM, span) for span in find_concerns(text, problems_only=True)]
    return tuple(sorted(cues, key=lambda cue: (cue.span.start, cue.kind)))


def classify_finding_kind(
    annotation_valence: float, cues: Iterable[Cue | CueKind | str]
) -> str | None:
    """Map an annotated utterance to a finding kind, or ``None`` when it is not one.

    The rule, first match wins (thresholds are the module constants):

    1. any ``churn`` cue → ``"churn_risk"`` — losing the customer outranks everything;
    2. any ``wish`` cue → ``"opportunity"`` — a suggestion is worth tracking even when
       phrased as a complaint;
    3. valence ≤ :data:`CLEARLY_NEGATIVE`, a ``problem`` cue, or a ``competitor`` cue with
       valence ≤ 0 (the competitor looks better) → ``"weakness"``;
    4. valence ≥ :data:`CLEARLY_POSITIVE`, or a ``praise_reason`` cue with valence ≥
       :data:`POSITIVE_WITH_REASON` → ``"strength"``;
    5. otherwise ``None``.

    Args:
        annotation_valence: The annotation's valence, -1 to +1 (for played-down feedback, the
            valence of the feedback, not of the dismissal).
        cues: :class:`Cue` objects or their kinds (``Annotation.cues`` holds the kinds).
    """
    kinds = {cue.kind if isinstance(cue, Cue) else CueKind(cue) for cue in cues}
    if CueKind.CHURN in kinds:
        return "churn_risk"
    if CueKind.WISH in kinds:
        return "opportunity"
    if _is_weakness(annotation_valence, kinds):
        return "weakness"
    if annotation_valence >= CLEARLY_POSITIVE or (
        CueKind.PRAISE_REASON in kinds and annotation_valence >= POSITIVE_WITH_REASON
    ):
        return "strength"
    return None


def _is_weakness(valence: float, kinds: set[CueKind]) -> bool:
    if valence <= CLEARLY_NEGATIVE or CueKind.PROBLEM in kinds:
        return True
    return CueKind.COMPETITOR in kinds and valence <= 0


def _is_negated_churn(text: str, start: int) -> bool:
    """Whether a negator stands within two words before a churn phrase."""
    if re.match(r"not\s+renew|(?:won|didn)\W+t|will\s+not|did\s+not", text[start:], re.I):
        return False  # the negation is the churn cue itself
    return _CHURN_NEGATED.search(text, max(0, start - 30), start) is not None


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])
