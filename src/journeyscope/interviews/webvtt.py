"""Read WebVTT files (``.vtt`` from Zoom, Teams, Meet, YouTube) the way browsers do.

:func:`parse_webvtt` implements the W3C WebVTT parser algorithm
(https://w3c.github.io/webvtt/#file-parsing) step by step — signature, line terminators, NULs,
header, ``STYLE`` and ``REGION`` blocks, cue identifiers, timings and settings — and is checked
against the web-platform-tests file-parsing suite. :func:`to_transcript` then turns the cues into
the utterance model of :mod:`journeyscope.interviews.transcripts`.

Why our own parser: of the PyPI libraries tried on the suite, ``webvtt-py`` 0.6.0 passes 18 of
its 24 files (it accepts timestamps with wrong digit counts or NULs, takes a vertical tab for a
space, keeps ``STYLE`` blocks after cues, rejects ``line:1.5``, and leaves settings as raw
strings) and ``webvtt-python`` 0.2.0 passes 4. Pure: no database, no web; imports only
``errors`` and this package's other ``webvtt_*`` modules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from journeyscope.errors import InvalidInput, Problem
from journeyscope.interviews.webvtt_models import WebVTTCue, WebVTTFile, WebVTTRegion
from journeyscope.interviews.webvtt_settings import (
    ASCII_WHITESPACE,
    CueTimings,
    collect_cue_timings,
    parse_region_settings,
)
from journeyscope.interviews.webvtt_transcript import to_transcript

__all__ = ["WebVTTCue", "WebVTTFile", "WebVTTRegion", "parse_webvtt", "to_transcript"]

_SIGNATURE = "WEBVTT"
_MAX_WARNINGS = 20
_SRT_START = re.compile(r"\s*\d+\s*\n\s*\d+:\d\d:\d\d[,.]\d+\s*-->")


def parse_webvtt(text: str) -> WebVTTFile:
    """Parse the text of a WebVTT file into cues, regions and style sheets.

    Args:
        text: The decoded file. A leading byte order mark is ignored; CR, LF and CRLF all end a
            line; NUL characters read as U+FFFD. Cue offsets refer to this string.

    Returns:
        The file, with every cue the spec's algorithm accepts. Blocks it rejects (for instance
        a cue with invalid timings) are left out, and each is named in ``warnings``.

    Raises:
        InvalidInput: The text does not start with the ``WEBVTT`` signature line.
    """
    source = _Normalized.of(text)
    _check_signature(source.text)
    return _Parser(source).run()


@dataclass(frozen=True, slots=True)
class _Normalized:
    """The spec's input string (NULs replaced, CRLF and CR made LF) and how to map back."""

    text: str
    shift: int  # 1 when a byte order mark was dropped
    joins: tuple[int, ...]  # indexes in ``text`` of each LF that replaced a CRLF pair

    @classmethod
    def of(cls, raw: str) -> _Normalized:
        shift = 1 if raw.startswith("\ufeff") else 0
        raw = raw[shift:]
        joins = tuple(m.start() - i for i, m in enumerate(re.finditer("\r\n", raw)))
        text = raw.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
        return cls(text, shift, joins)

    def original(self, index: int) -> int:
        """The offset in the raw string of the character at ``index`` in ``text``."""
        return index + self.shift + bisect_left(self.joins, index)


def _signature_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with the first line, and the fix; ``None`` when the signature is valid."""
    if text.startswith(_SIGNATURE) and (len(text) == 6 or text[6] in " \t\n"):
        return None
    first_line = text.split("\n", 1)[0][:40]
    if not text.strip():
        return "The file is empty.", "Export the transcript again and upload the .vtt file."
    if text.startswith(_SIGNATURE):
        return (
            f"The first line is {first_line!r}: after WEBVTT only a space or tab may follow.",
            "Make the first line 'WEBVTT' alone, or 'WEBVTT' followed by a space and a title.",
        )
    if text.lstrip().upper().startswith(_SIGNATURE):
        return (
            f"The file must start with 'WEBVTT' in capitals on its very first line, but it "
            f"starts with {first_line!r}.",
            "Remove anything before WEBVTT and write it in capital letters.",
        )
    if _SRT_START.match(text):
        return (
            "This looks like a SubRip (.srt) file, not WebVTT: it has no 'WEBVTT' line.",
            "Import it as SRT, or add the line 'WEBVTT' and a blank line at the top.",
        )
    return (
        f"This is not a WebVTT file: it must start with the line 'WEBVTT', but it starts with "
        f"{first_line!r}.",
        "Upload the .vtt file as exported by Zoom, Teams, Meet or YouTube, or choose the "
        "file's real format.",
    )


def _check_signature(text: str) -> None:
    problem = _signature_problem(text)
    if problem is not None:
        message, fix = problem
        raise InvalidInput(
            message, hint=fix, problems=[Problem(field=None, problem=message, fix=fix, line=1)]
        )


def _is_keyword_line(line: str, keyword: str) -> bool:
    rest = line[len(keyword) :] if line.startswith(keyword) else None
    return rest is not None and all(char in ASCII_WHITESPACE for char in rest)


@dataclass(slots=True)
class _Block:
    """The state of "collect a WebVTT block" for one block."""

    buffer: list[str]
    timings: CueTimings | None = None
    cue_id: str = ""
    kind: str = ""  # "style" or "region" once line 2 shows that this is such a block
    text_start: int = 0
    text_end: int = 0


class _Parser:
    """The WebVTT parser algorithm over one normalized input."""

    def __init__(self, source: _Normalized) -> None:
        self.source = source
        self.input = source.text
        self.pos = 0
        self.seen_cue = False
        self.cues: list[WebVTTCue] = []
        self.regions: list[WebVTTRegion] = []
        self.stylesheets: list[str] = []
        self.warnings: list[str] = []
        self.skipped = 0

    def run(self) -> WebVTTFile:
        """Skip the signature line, read the header, then every block."""
        newline = self.input.find("\n")
        if newline != -1 and newline + 1 < len(self.input):
            self.pos = newline + 1
            if self.input[self.pos] != "\n":
                self._collect_block(in_header=True)
            else:
                self.pos += 1
            self._skip_newlines()
            while self.pos < len(self.input):
                self._collect_block(in_header=False)
                self._skip_newlines()
        if self.skipped > _MAX_WARNINGS:
            self.warnings.append(f"{self.skipped - _MAX_WARNINGS} more cues were skipped.")
        return WebVTTFile(
            cues=tuple(self.cues),
            regions=tuple(self.regions),
            stylesheets=tuple(self.stylesheets),
            warnings=tuple(self.warnings),
        )

    def _skip_newlines(self) -> None:
        while self.pos < len(self.input) and self.input[self.pos] == "\n":
            self.pos += 1

    def _next_line(self) -> tuple[str, int, bool]:
        """Read up to the next LF: the line, where it starts, and whether the input ended."""
        start = self.pos
        end = self.input.find("\n", start)
        if end == -1:
            self.pos = len(self.input)
            return self.input[start:], start, True
        self.pos = end + 1
        return self.input[start:end], start, False

    def _collect_block(self, *, in_header: bool) -> None:
        block = _Block(buffer=[])
        previous, line_count, seen_arrow = self.pos, 0, False
        while True:
            line, line_start, seen_eof = self._next_line()
            line_count += 1
            if "-->" in line:
                if in_header or not (line_count == 1 or (line_count == 2 and not seen_arrow)):
                    self.pos = previous
                    break
                seen_arrow, previous = True, self.pos
                self._start_cue(block, line, line_start)
            elif not line:
                break
            else:
                if not in_header and line_count == 2 and not self.seen_cue:
                    self._detect_kind(block)
                block.buffer.append(line)
                previous, block.text_end = self.pos, line_start + len(line)
            if seen_eof:
                break
        self._finish_block(block)

    def _start_cue(self, block: _Block, line: str, line_start: int) -> None:
        timings = collect_cue_timings(line, self.regions)
        if timings is None:
            self._warn_skipped(line, line_start)
            return
        block.timings, block.cue_id, block.buffer = timings, "\n".join(block.buffer), []
        block.text_start = block.text_end = self.pos  # the cue text starts on the next line
        self.seen_cue = True

    def _detect_kind(self, block: _Block) -> None:
        first = block.buffer[0] if block.buffer else ""
        if _is_keyword_line(first, "STYLE"):
            block.kind, block.buffer = "style", []
        elif _is_keyword_line(first, "REGION"):
            block.kind, block.buffer = "region", []

    def _finish_block(self, block: _Block) -> None:
        text = "\n".join(block.buffer)
        if block.timings is not None:
            self.cues.append(self._make_cue(block, block.timings, text))
        elif block.kind == "style":
            self.stylesheets.append(text)
        elif block.kind == "region":
            self.regions.append(parse_region_settings(text))

    def _make_cue(self, block: _Block, timings: CueTimings, text: str) -> WebVTTCue:
        settings = timings.settings
        return WebVTTCue(
            id=block.cue_id,
            start_time=timings.start,
            end_time=timings.end,
            text=text,
            region=settings.region,
            vertical=settings.vertical,
            snap_to_lines=settings.snap_to_lines,
            line=settings.line,
            line_align=settings.line_align,
            position=settings.position,
            position_align=settings.position_align,
            size=settings.size,
            align=settings.align,
            source_start=self.source.original(block.text_start),
            source_end=self.source.original(block.text_end),
        )

    def _warn_skipped(self, line: str, line_start: int) -> None:
        self.skipped += 1
        if self.skipped <= _MAX_WARNINGS:
            number = self.input.count("\n", 0, line_start) + 1
            shown = line if len(line) <= 60 else line[:57] + "..."
            self.warnings.append(
                f"Line {number}: {shown!r} is not a valid cue timing line "
                "('00:01:02.345 --> 00:01:04.000', hours optional); that cue was skipped."
            )
