"""Trained heads for customer turns: played-down feedback and feeling, read with context.

Two small logistic-regression heads (``nlp/model/turn_heads.npz``, trained by
``training/turn_heads/train.py`` on the train split of our interview corpus, threshold chosen on
dev) sit on top of the shipped encoder. Their features, for one customer turn:

- the all-MiniLM-L6-v2 embedding of the turn, of the interviewer's question before it and of
  the customer's previous answer (zeros when there is none), and the turn's 39 emotion-model
  probabilities;
- **cue features**, rules a reviewer can read: hedges, dismissals, self-blame, normalising,
  "only" / "just" for a loss, a flat cost (numbers, durations, money), trailing off, a concern
  word, and hedged *good news* ("I guess I was lucky") as a cue *against* played down.

The rules are features and explanations, not the decision: the played-down head decides, and
the cue span (the dismissal) and the concern are what the product shows. A played-down turn's
feeling is the experience's: negative. Pure numpy at run time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from journeyscope.nlp.annotations import Minimization, Sentiment, Span
from journeyscope.nlp.encoder import MODEL_DIR, Encoder
from journeyscope.nlp.minimization import find_concerns, find_dismissals, find_minimization

HEADS_FILE = MODEL_DIR / "turn_heads.npz"
FEELINGS = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)
EMBEDDING = 384

_A = "['\u2019]"
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|hundred|a\s+couple\s+of|a\s+few|several|half\s+an?|an?)"
)
_UNITS = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|fortnight|months?|years?|mornings?|afternoons?"
    r"|evenings?|nights?|times|calls?|emails?|pounds|quid|euros?|dollars?|bucks|grand|percent)"
)

_CUE_PATTERNS = {
    "hedge": r"\b(?:a\s+(?:tiny\s+|little\s+)?bit|bit\s+of\s+an?|a\s+little|kind\s+of|sort\s+of"
    r"|kinda|sorta|slightly|somewhat|a\s+tad|i\s+guess|i\s+suppose|i\s+expect|probably|maybe"
    r"|perhaps|not\s+too|not\s+so|rather)\b",
    "self_blame": rf"\b(?:my\s+(?:own\s+)?(?:fault|mistake|bad)|(?:i{_A}m|i\s+am)\s+"
    r"(?:probably\s+|just\s+|a\s+bit\s+)*(?:bad|rubbish|useless|hopeless|terrible|a\s+dinosaur"
    r"|not\s+(?:very\s+)?good|not\s+great|old|thick|daft|silly|stupid)"
    rf"|i\s+should(?:\s+have|{_A}ve)|i\s+(?:must\s+have|probably)\s+\w+|i\s+misheard"
    rf"|me\s+being|on\s+me|silly\s+(?:me|really)|blame\s+myself|didn{_A}t\s+read"
    r"|did\s+not\s+know)\b",
    "normalising": rf"\b(?:that{_A}?s\s+(?:just\s+)?(?:\w+\s+){{1,2}}for\s+you"
    rf"|that{_A}?s\s+(?:just\s+)?(?:how|the\s+way)\s+it\s+(?:works|is|goes)"
    rf"|(?:they{_A}re|they\s+are)\s+all\s+(?:the\s+same|like\s+that)|(?:are|is)\s+like\s+that"
    r"|par\s+for\s+the\s+course|to\s+be\s+expected|on\s+brand|these\s+things\s+happen"
    r"|things\s+happen|everyone|everybody|same\s+everywhere|always\s+the\s+same"
    rf"|what\s+(?:do|can)\s+you\s+(?:do|expect)|it{_A}s\s+normal|normal\s+(?:here|for)"
    r"|(?:i|we)\s+understand|fair\s+enough|has\s+to\s+check)\b",
    "only": r"\b(?:only|just|merely|barely|at\s+least)\b",
    "flat_cost": rf"\b{_NUMBER}\s+(?:more\s+|extra\s+|whole\s+)?{_UNITS}\b|\btwice\b"
    r"|\bdouble\b|\bcharged\b|\blost\b|\bmissed\b|\bwaited\b|\btook\b|\bpaid\b",
    "trailing": r"\.\.\.|…|\b(?:anyway|anyways|but\s+yeah|so\s+yeah|whatever|oh\s+well|eh|meh"
    rf"|ah\s+well|never\s*mind|sure\s+look|it{_A}s\s+done\s+now|we\s+got\s+there"
    r"|moving\s+on)\b",
    "dismissal_word": r"\b(?:fine|okay|ok|no\s+(?:problem|worries|bother|drama|harm)|nae\s+bother"
    rf"|not\s+(?:a\s+)?(?:big|huge)|could(?:\s+have|{_A}ve)\s+been\s+worse|had\s+worse"
    rf"|can{_A}t\s+complain|doesn{_A}t\s+matter|not\s+their\s+fault|doing\s+their\s+best"
    r"|it\s+is\s+what\s+it\s+is|live\s+with\s+it|used\s+to\s+it|survived|worth\s+it)\b",
    "good_news": r"\b(?:lucky|luckily|fortunately|thankfully|pleasant(?:ly)?|surprise[d]?"
    r"|better\s+than\s+(?:I\s+)?expected|(?:came|arrived|turned\s+up|sorted|fixed|done)\s+"
    r"(?:early|quickly|the\s+next\s+day|the\s+same\s+day|straight\s+away"
    rf"|in\s+(?:a\s+day|minutes))|(?:can{_A}t|couldn{_A}t|could\s+not)\s+fault"
    r"|no\s+complaints|relieved|relief)\b",
    "praise": r"\b(?:great|brilliant|lovely|excellent|amazing|fantastic|perfect|smooth|easy"
    r"|helpful|friendly|happy|pleased|impressed|stoked|love[d]?|best|quick|fast|kind|sound"
    r"|class|grand|legend|ace|well\s+done|spot\s+on|top\s+notch)\b",
    "negation": rf"\b(?:not|never|no|nothing|didn{_A}t|wasn{_A}t|couldn{_A}t|don{_A}t"
    r"|didnae)\b",
}
# Each cue: a name and its pattern. Positive cues point to played-down feedback; ``good_news``
# and ``praise`` point away from it.
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in _CUE_PATTERNS.items()
}
CUE_NAMES = (*CUES, "dismissal", "concern", "rule_minimization", "sentences", "question")
# Cues that may explain a played-down turn, most telling first.
_EXPLAINING = ("normalising", "self_blame", "dismissal_word", "trailing", "hedge", "only")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
LONG_TEXT_CHARS = 400  # ~ 90 tokens: beyond this a turn is scored per sentence
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])")


@dataclass(frozen=True, slots=True)
class TurnContext:
    """What came before a customer turn: the interviewer's question and the previous answer."""

    question: str = ""
    previous: str = ""


@dataclass(frozen=True, slots=True)
class TurnReading:
    """What the heads decided for one turn."""

    played_down: float  # probability
    minimization: Minimization | None  # set when played down: the concern and the dismissal
    feeling: Sentiment
    feeling_probabilities: tuple[float, float, float]  # negative, neutral, positive


@dataclass(frozen=True, slots=True)
class _Linear:
    """A standardised logistic-regression layer: ``(x - mean) / scale @ w.T + b``."""

    mean: np.ndarray
    scale: np.ndarray
    w: np.ndarray  # (k, d)
    b: np.ndarray  # (k,)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(((x - self.mean) / self.scale) @ self.w.T + self.b)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


@dataclass(frozen=True, slots=True)
class Heads:
    """The trained weights (see ``training/turn_heads/train.py``).

    ``clause`` scores every clause of a turn as a dismissal and as a concern (two outputs);
    ``played_down`` reads the turn's emotion probabilities, its cues and the clause scores;
    ``feeling`` the same plus the turn's embedding.
    """

    clause: _Linear
    played_down: _Linear
    threshold: float
    feeling: _Linear

    @classmethod
    def load(cls, path: Path = HEADS_FILE) -> Heads:
        """Read the weights from the ``.npz`` file written by the training script."""
        with np.load(path) as data:
            layers = {
                name: _Linear(
                    data[f"{name}_mean"],
                    data[f"{name}_scale"],
                    data[f"{name}_w"],
                    data[f"{name}_b"],
                )
                for name in ("clause", "played_down", "feeling")
            }
            return cls(threshold=float(data["threshold"]), **layers)


@cache
def shared_heads() -> Heads:
    """The shipped heads, loaded once."""
    return Heads.load()


def cue_features(text: str, context: TurnContext | None = None) -> np.ndarray:
    """The rule cues of one turn, and two of its context, as numbers (see :data:`CUE_NAMES`)."""
    counts = [min(len(pattern.findall(text)), 3) for pattern in CUES.values()]
    rule = find_minimization(text)
    question = context.question if context else ""
    counts += [
        min(len(find_dismissals(text)), 3),
        min(len(find_concerns(text)), 3),
        int(rule is not None),
        min(len(_SENTENCE_END.findall(text)), 4),
        int(bool(find_concerns(question))),  # the question asks about a problem
    ]
    return np.asarray(counts, dtype=np.float32)


def sentence_spans(text: str) -> list[Span]:
    """The sentences ``annotate`` scores a long turn by, with their offsets."""
    out, at = [], 0
    for piece in SENTENCE_SPLIT.split(text):
        start = text.find(piece, at)
        at = start + len(piece)
        if piece.strip():
            out.append(Span(start, at, piece))
    return out or [Span(0, len(text), text)]


def clauses(text: str) -> list[Span]:
    """The turn cut into sentences, and before "but" / "though": where a dismissal may start.

    A long turn (over :data:`LONG_TEXT_CHARS`) is cut into the sentences ``annotate`` already
    scored, so its clauses cost nothing more to encode.
    """
    if len(text) > LONG_TEXT_CHARS:
        return sentence_spans(text)
    out: list[Span] = []
    start = 0
    for cut in [*(m.start() for m in _CLAUSE_CUT.finditer(text)), len(text)]:
        span = _trimmed(text, start, cut)
        if span:
            out.append(span)
        start = cut
    return out or [Span(0, len(text), text)]


_CLAUSE_CUT = re.compile(r"(?<=[.!?…])\s+|,?\s+(?=\b(?:but|though)\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TurnFeatures:
    """The inputs of the heads for a batch of turns."""

    base: np.ndarray  # (n, 39 + cues + 4): probabilities, cues, clause aggregates
    embeddings: np.ndarray  # (n, 384)
    clause_scores: list[tuple[list[Span], np.ndarray]]  # per turn: clauses, (m, 2) scores


def clause_inputs(texts: Sequence[str], encoder: Encoder) -> tuple[list[list[Span]], np.ndarray]:
    """Every clause of every turn, and the clause head's input rows (embedding, probabilities)."""
    cut = [clauses(text) for text in texts]
    flat = [span.text for spans in cut for span in spans]
    out = encoder.run(flat)
    return cut, np.hstack([out.embeddings, out.probabilities]).astype(np.float32)


def aggregate(scores: np.ndarray) -> np.ndarray:
    """A turn's clause scores (dismissal, concern) as four numbers.

    The strongest dismissal, the strongest concern, the strongest concern-and-dismissal pair in
    different clauses, and the number of clauses (at most 6).
    """
    dismissal, concern = scores[:, 0], scores[:, 1]
    n = len(scores)
    pair = max(
        (min(concern[i], dismissal[j]) for i in range(n) for j in range(n) if i != j), default=0.0
    )
    return np.asarray([dismissal.max(), concern.max(), pair, min(n, 6)], dtype=np.float32)


def turn_features(
    texts: Sequence[str],
    contexts: Sequence[TurnContext],
    encoder: Encoder,
    clause_scores: Sequence[np.ndarray],
) -> np.ndarray:
    """The played-down head's input: probabilities, cues and clause aggregates of each turn."""
    out = encoder.run(list(texts))
    rows = [
        np.concatenate([out.probabilities[i], cue_features(text, context), aggregate(scores)])
        for i, (text, context, scores) in enumerate(
            zip(texts, contexts, clause_scores, strict=True)
        )
    ]
    return np.stack(rows).astype(np.float32)


def read_turns(
    texts: Sequence[str],
    contexts: Sequence[TurnContext] | None,
    encoder: Encoder,
    heads: Heads | None = None,
) -> list[TurnReading]:
    """Played-down probability and decision, explanation and feeling for every turn."""
    if not texts:
        return []
    model = heads or shared_heads()
    ctx = list(contexts) if contexts is not None else [TurnContext()] * len(texts)
    cut, rows = clause_inputs(texts, encoder)
    scores_flat = _sigmoid(model.clause.logits(rows))
    scores, at = [], 0
    for spans in cut:
        scores.append(scores_flat[at : at + len(spans)])
        at += len(spans)
    base = turn_features(texts, ctx, encoder, scores)
    played = _sigmoid(model.played_down.logits(base)[:, 0])
    embeddings = encoder.run(list(texts)).embeddings
    logits = model.feeling.logits(np.hstack([embeddings, base]))
    logits -= logits.max(axis=1, keepdims=True)
    feel = np.exp(logits)
    feel /= feel.sum(axis=1, keepdims=True)
    readings = []
    for i, text in enumerate(texts):
        minimization = explain(text, cut[i], scores[i]) if played[i] >= model.threshold else None
        feeling = Sentiment.NEGATIVE if minimization else FEELINGS[int(np.argmax(feel[i]))]
        readings.append(
            TurnReading(
                played_down=round(float(played[i]), 4),
                minimization=minimization,
                feeling=feeling,
                feeling_probabilities=(
                    round(float(feel[i, 0]), 4),
                    round(float(feel[i, 1]), 4),
                    round(float(feel[i, 2]), 4),
                ),
            )
        )
    return readings


def explain(
    text: str, spans: Sequence[Span] = (), scores: np.ndarray | None = None
) -> Minimization | None:
    """The concern and the dismissal of a turn the head calls played down.

    The rules' own pair when they find one; else the telling cue as the dismissal and the
    clause next to it as the concern; else, for a turn of several sentences, the last sentence
    as the dismissal and what comes before as the concern. ``None`` when there is nothing to
    quote (a turn of a few words with no cue).
    """
    found = find_minimization(text)
    if found:
        return found
    if scores is not None and len(spans) >= 2:
        # the dismissal: the clause most like a dismissal *and least like a concern*, so the
        # complaint itself is never what gets stripped ("It was fine. But I was furious.")
        d = int(np.argmax(scores[:, 0] - scores[:, 1]))
        c = max((i for i in range(len(spans)) if i != d), key=lambda i: scores[i, 1])
        return Minimization(concern=spans[c], dismissal=_through_end(text, spans[d]))
    found = find_minimization(text, negative_hint=1.0)
    if found:
        return found
    for name in _EXPLAINING:
        match = CUES[name].search(text)
        if match:
            span = _sentence_from(text, match.start())
            concern = _concern_beside(text, span)
            if concern:
                return Minimization(concern=concern, dismissal=span)
    ends = [m.end() for m in _SENTENCE_END.finditer(text.rstrip())]
    if len(ends) >= 2:
        cut = ends[-2]
        concern = _trimmed(text, 0, cut)
        dismissal = _trimmed(text, cut, len(text))
        if concern and dismissal:
            return Minimization(concern=concern, dismissal=dismissal)
    return None


def _through_end(text: str, span: Span) -> Span:
    """A dismissal clause with its sentence's closing punctuation."""
    end = span.end
    while end < len(text) and text[end] in ".!?…":
        end += 1
    return Span(span.start, end, text[span.start : end])


def _sentence_from(text: str, start: int) -> Span:
    """From ``start`` (pulled back to its clause's start) to the end of its sentence."""
    clause_start = max(text.rfind(",", 0, start), text.rfind(".", 0, start), -1) + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    end = (
        ends[bisect.bisect_right(ends, start)]
        if bisect.bisect_right(ends, start) < len(ends)
        else len(text)
    )
    return _trimmed(text, clause_start, end) or Span(start, end, text[start:end])


def _concern_beside(text: str, dismissal: Span) -> Span | None:
    """The words before the dismissal, or after it when it opens the turn."""
    before = _trimmed(text, 0, dismissal.start)
    if before:
        return before
    return _trimmed(text, dismissal.end, len(text))


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    lead = re.match(r"[\s,;:.!?…-]*(?:(?:but|and|so|though)\b[\s,]*)?", piece, re.IGNORECASE)
    tail = re.search(r"[\s,;:!?…-]*$", piece)
    left = start + (lead.end() if lead else 0)
    right = start + (tail.start() if tail else len(piece))
    if right - left < 3:
        return None
    return Span(left, right, text[left:right])
