"""One model for every transcript format: a list of utterances with speaker, role and times.

Importers (``interviews.formats``) turn plain text, WebVTT, SRT, Teams DOCX, Otter/Rev exports
and Whisper JSON into a :class:`Transcript`; everything after import (roles, redaction,
analysis, storage) only ever sees this shape. Pure: no database, no web.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Role(enum.StrEnum):
    """Who is speaking, as far as the interview is concerned."""

    INTERVIEWER = "interviewer"  # asks the questions (the company's researcher)
    CUSTOMER = "customer"  # the participant whose experience is studied
    UNKNOWN = "unknown"  # not decided yet (before role detection, or no speaker given)


class Format(enum.StrEnum):
    """The transcript formats we read."""

    PLAIN = "plain"  # "Speaker: text" lines, optionally with [00:01:02] / 00:01:02 timestamps
    WEBVTT = "webvtt"  # .vtt from Zoom, Teams, Meet, YouTube (<v Speaker> spans, "Name:" prefixes)
    SRT = "srt"  # SubRip subtitles
    DOCX = "docx"  # Microsoft Teams transcript download (Word)
    OTTER = "otter"  # Otter.ai text export ("Name  0:01" header lines, then the text)
    REV = "rev"  # Rev.com text export ("Name (00:01):" or "Name 00:01" header lines)
    WHISPER = "whisper"  # OpenAI Whisper JSON (segments with start, end, text[, speaker])


@dataclass(frozen=True, slots=True)
class Utterance:
    """One turn of speech.

    ``start`` and ``end`` are seconds from the beginning of the recording (``None`` when the
    format has no times). ``source_start``/``source_end`` are character offsets of the turn in
    the decoded source text (for DOCX: in the text of its paragraphs joined by newlines), so a
    quote can always be traced back to where it came from.
    """

    speaker: str | None
    text: str
    role: Role = Role.UNKNOWN
    start: float | None = None
    end: float | None = None
    source_start: int | None = None
    source_end: int | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    """A parsed transcript: its utterances in order, the format read, and what was odd."""

    format: Format
    utterances: tuple[Utterance, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def speakers(self) -> list[str]:
        """The distinct speakers, in order of first appearance."""
        return list(dict.fromkeys(u.speaker for u in self.utterances if u.speaker))

    def with_roles(self, roles: dict[str, Role]) -> Transcript:
        """A copy with each named speaker's role set (others keep theirs)."""
        changed = tuple(
            replace(u, role=roles[u.speaker]) if u.speaker in roles else u for u in self.utterances
        )
        return replace(self, utterances=changed)
