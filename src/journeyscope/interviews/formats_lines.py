"""What every transcript importer shares: lines with offsets, clock times, turns being built.

The importers (``formats_*.py``) read their source line by line without normalising line
endings, so every offset they record is a character offset into the decoded text exactly as
it was given. Pure: imports nothing but the transcript model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from journeyscope.interviews.transcripts import Utterance

CLOCK = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
"""A clock time as transcripts write it: ``1:02``, ``00:01:02``, ``0:0:3.45``, ``00:00:01,500``."""

LABEL_CHARS = r"[^\W\d_][^:\[\]()\n,;?!\"]{0,39}?"
"""A speaker label as it may appear before a colon or a time (checked by :func:`is_label`)."""

_OPENERS = (
    "example, for example, note, update, edit, ps, nb, summary, conclusion, answer, question, "
    "reason, result, problem, issue, point, thing, truth, fact, tip, warning, important, "
    "remember, step, first, second, third, also, so, well, okay, anyway, basically, honestly, "
    "seriously, actually, like, then, and, but, because, plus"
)
NOT_SPEAKERS = frozenset(_OPENERS.split(", "))
"""Words that open a sentence with a colon (``Example:``), so are not taken for a speaker alone."""
MAX_LABEL_WORDS = 4
MAX_LABEL_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the source without its line ending; ``start`` is its offset in the source."""

    text: str
    start: int

    @property
    def end(self) -> int:
        """The offset just after the line's last character (before the line ending)."""
        return self.start + len(self.text)

    @property
    def is_blank(self) -> bool:
        """Whether the line holds only whitespace."""
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    r"""The lines of ``text`` with their offsets (``\n``, ``\r\n`` and ``\r`` end a line)."""
    lines = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lines.append(Line(content, offset))
        offset += len(raw)
    return lines


def clock_seconds(clock: str | None) -> float | None:
    """Seconds from a clock time (``1:02`` → 62.0, ``0:0:3.45`` → 3.45); ``None`` stays ``None``."""
    if clock is None:
        return None
    seconds = 0.0
    for part in clock.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return round(seconds, 3)


def is_label(name: str) -> bool:
    """Whether ``name`` can be a speaker label: 1 to 4 words, at most 40 characters."""
    words = name.split()
    return (
        0 < len(words) <= MAX_LABEL_WORDS and len(name) <= MAX_LABEL_LENGTH and name[:1].isalpha()
    )


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return " ".join(text.split())


@dataclass(slots=True)
class TurnDraft:
    """A turn while its lines are being read; :meth:`build` makes the utterance."""

    speaker: str | None
    source_start: int
    start: float | None = None
    end: float | None = None
    source_end: int = 0
    parts: list[str] = field(default_factory=list)

    def add(self, text: str, source_end: int) -> None:
        """Append a piece of text; the turn now reaches ``source_end`` in the source."""
        if text.strip():
            self.parts.append(text.strip())
        self.source_end = max(self.source_end, source_end)

    def build(self) -> Utterance | None:
        """The utterance, or ``None`` when the turn holds no text."""
        text = clean_text(" ".join(self.parts))
        if not text:
            return None
        return Utterance(
            speaker=self.speaker,
            text=text,
            start=self.start,
            end=self.end,
            source_start=self.source_start,
            source_end=max(self.source_end, self.source_start),
        )


def build_all(drafts: Iterable[TurnDraft]) -> list[Utterance]:
    """The utterances of the drafts that hold text, in order."""
    return [u for u in (d.build() for d in drafts) if u is not None]


def merge_same_speaker(utterances: Iterable[Utterance]) -> list[Utterance]:
    """Consecutive utterances of the same named speaker joined into one turn.

    Captions (SRT, Teams, Whisper segments) cut one turn into many short pieces; a turn is
    what analysis needs. Utterances without a speaker are never merged.
    """
    merged: list[Utterance] = []
    for utterance in utterances:
        last = merged[-1] if merged else None
        if last is None or utterance.speaker is None or utterance.speaker != last.speaker:
            merged.append(utterance)
            continue
        merged[-1] = replace(
            last,
            text=f"{last.text} {utterance.text}",
            end=utterance.end if utterance.end is not None else last.end,
            source_end=utterance.source_end,
        )
    return merged


def preamble_warning(utterances: list[Utterance]) -> list[str]:
    """A warning when text before the first speaker was kept without a speaker."""
    if len(utterances) > 1 and utterances[0].speaker is None and utterances[1].speaker:
        return [
            "The text before the first speaker label was kept as an utterance with no speaker "
            f"({utterances[0].text[:60]!r}); delete it if it is a title or a note."
        ]
    return []


TAG = re.compile(r"</?[A-Za-z][^>]*>|\{\\[^}]*\}")
"""HTML-like caption markup (``<i>``, ``<font …>``) and ASS overrides (``{\\an8}``)."""
