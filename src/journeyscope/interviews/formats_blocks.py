"""Exports made of blocks: a header line naming the speaker and the time, then the text.

Otter.ai's text export (also the shape of Microsoft Teams' newer Word download)::

    Maya Chen  0:03
    Thanks for making time. How did you first come across the blender?

    Sam Ortiz  0:11
    A friend had one…

    Transcribed by https://otter.ai

The name and the time are separated by two or more spaces (or a tab); a header with no name
(``0:15``) is a turn with no speaker. Rev.com's text export::

    Customer interview (Completed 03/04/24)
    Transcript by Rev.com

    Maya Chen (00:03):
    Thanks for making time.

    Speaker 2 (00:11):
    A friend had one…

also ``Speaker 1 00:03`` on its own line and ``Maya Chen: 00:03 text`` inline. Tool lines
(``Transcribed by https://otter.ai``, ``Transcript by Rev.com``, ``Page 1 of 12``, Teams'
``… started transcription``) are skipped wherever they are. Turns are kept as written. Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from journeyscope.interviews.formats_lines import (
    CLOCK,
    LABEL_CHARS,
    Line,
    TurnDraft,
    build_all,
    clock_seconds,
    is_label,
    preamble_warning,
    split_lines,
)
from journeyscope.interviews.transcripts import Format, Transcript

OTTER_HEADER = re.compile(rf"\s*(?:(?P<name>\S(?:.*?\S)?)(?:\s{{2,}}|\t))?(?P<clock>{CLOCK})\s*$")
REV_HEADER_PAREN = re.compile(
    rf"\s*(?P<name>{LABEL_CHARS})\s*\((?P<clock>{CLOCK})\)\s*:\s*(?P<text>.*?)\s*$"
)
REV_HEADER_BARE = re.compile(
    rf"\s*(?P<name>{LABEL_CHARS})(?<=\S) (?P<clock>\d{{2}}:\d{{2}}(?::\d{{2}})?)\s*$"
)
REV_HEADER_INLINE = re.compile(
    rf"\s*(?P<name>{LABEL_CHARS}):\s+\(?(?P<clock>{CLOCK})\)?(?:\s+(?P<text>.*?))?\s*$"
)

TOOL_LINES = re.compile(
    r"\s*(?:Transcribed by https?://otter\.ai"
    r"|Transcript by Rev\.com|Rev\.com|Visit Rev\.com.*|This transcript was exported on .*"
    r"|Page \d+ of \d+|.*\(Completed\s+\d{1,2}/\d{1,2}/\d{2,4}\)"
    r"|.{1,100}\s(?:started|stopped) transcription)\s*$",
    re.IGNORECASE,
)
"""Lines the tools add that are not speech."""

_REV_SIGNATURE = re.compile(r"Transcript by Rev\.com|\(Completed\s+\d")
_OTTER_SIGNATURE = re.compile(r"Transcribed by https?://otter\.ai")


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """One header shape; a name seen only once under a ``needs_repeat`` rule is not a header."""

    pattern: re.Pattern[str]
    needs_repeat: bool = False


OTTER_RULES = (HeaderRule(OTTER_HEADER),)
REV_RULES = (
    HeaderRule(REV_HEADER_PAREN),
    HeaderRule(REV_HEADER_INLINE),
    HeaderRule(REV_HEADER_BARE, needs_repeat=True),
)


@dataclass(frozen=True, slots=True)
class _Header:
    name: str | None
    clock: str
    text_at: int
    needs_repeat: bool


def _read_header(text: str, rules: Sequence[HeaderRule]) -> _Header | None:
    for rule in rules:
        match = rule.pattern.match(text)
        if match is None:
            continue
        name = (match["name"] or "").strip() or None
        if name is not None and rule.pattern is not OTTER_HEADER and not is_label(name):
            continue
        groups = match.groupdict()
        text_at = match.start("text") if groups.get("text") else len(text)
        return _Header(name, match["clock"], text_at, rule.needs_repeat)
    return None


def _headers(lines: list[Line], rules: Sequence[HeaderRule]) -> list[_Header | None]:
    headers = [_read_header(line.text, rules) for line in lines]
    counts = Counter(h.name for h in headers if h)
    return [None if h and h.needs_repeat and counts[h.name] < 2 else h for h in headers]


def parse_block_lines(
    lines: list[Line], rules: Sequence[HeaderRule], *, keep_preamble: bool = True
) -> list[TurnDraft]:
    """Turns from header-then-text lines; text before the first header is kept or dropped."""
    drafts: list[TurnDraft] = []
    current: TurnDraft | None = None
    for line, header in zip(lines, _headers(lines, rules), strict=True):
        if line.is_blank or TOOL_LINES.fullmatch(line.text):
            continue
        if header is not None:
            current = TurnDraft(header.name, line.start, start=clock_seconds(header.clock))
            drafts.append(current)
            current.add(line.text[header.text_at :], line.end)
        elif current is not None:
            current.add(line.text, line.end)
        elif keep_preamble:
            current = TurnDraft(None, line.start)
            drafts.append(current)
            current.add(line.text, line.end)
    return drafts


def _parse(text: str, rules: Sequence[HeaderRule], fmt: Format) -> Transcript:
    utterances = build_all(parse_block_lines(split_lines(text), rules))
    return Transcript(fmt, tuple(utterances), tuple(preamble_warning(utterances)))


def parse_otter(text: str) -> Transcript:
    """Read an Otter.ai text export (``Name  0:03`` header lines, then the text).

    Returns:
        One utterance per block, ``start`` from its header, ``end`` ``None``.
    """
    return _parse(text, OTTER_RULES, Format.OTTER)


def parse_rev(text: str) -> Transcript:
    """Read a Rev.com text export (``Name (00:03):`` or ``Name 00:03`` headers, then the text).

    Returns:
        One utterance per block, ``start`` from its header, ``end`` ``None``.
    """
    return _parse(text, REV_RULES, Format.REV)


def first_header_kind(lines: list[Line]) -> Format | None:
    """Whether the first line that is not a tool line is a Rev or an Otter header (for sniffing)."""
    for line in lines:
        if _REV_SIGNATURE.search(line.text):
            return Format.REV
        if _OTTER_SIGNATURE.search(line.text):
            return Format.OTTER
        if line.is_blank or TOOL_LINES.fullmatch(line.text):
            continue
        paren = REV_HEADER_PAREN.match(line.text)
        if (paren and not paren["text"]) or _read_header(line.text, (REV_RULES[2],)):
            return Format.REV
        if OTTER_HEADER.match(line.text):
            return Format.OTTER
        return None
    return None
