r"""Microsoft Teams transcripts downloaded as Word documents (``.docx``), read with python-docx.

Two shapes exist. Older downloads (from Stream) are captions, one cue after another::

    0:0:3.45 --> 0:0:7.2
    Maya Chen
    Thanks for making time today.

Newer downloads open with the meeting's title, date and length, then header-then-text blocks::

    Blender interview-20250304_101500-Meeting Transcript
    4 March 2025, 10:15am
    32m 10s
    Maya Chen started transcription
    Maya Chen   0:03
    Thanks for making time today.

The lines before the first header are dropped (they are the meeting's metadata), and so are
``… started/stopped transcription``. A Word document of another shape (a Rev or Otter export
saved as Word, or plain ``Name: text``) is read as that text. The text of the document is
its paragraphs (and table rows, cells separated by tabs) joined by ``\n``; offsets point into
that text. Consecutive turns of one speaker are merged. Pure.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from journeyscope.errors import InvalidInput
from journeyscope.interviews.formats_blocks import (
    OTTER_RULES,
    first_header_kind,
    parse_block_lines,
    parse_otter,
    parse_rev,
)
from journeyscope.interviews.formats_lines import (
    TAG,
    Line,
    TurnDraft,
    build_all,
    clock_seconds,
    merge_same_speaker,
    split_lines,
)
from journeyscope.interviews.formats_plain import parse_plain
from journeyscope.interviews.transcripts import Format, Transcript

_CUE = re.compile(r"\s*(?P<start>\d+:\d+:\d+(?:[.,]\d+)?)\s*-->\s*(?P<end>\d+:\d+:\d+(?:[.,]\d+)?)")
_VOICE = re.compile(r"<v\s+(?P<name>[^>]+)>")


def docx_text(data: bytes) -> str:
    r"""The text of a Word document: paragraphs and table rows joined by ``\n``.

    Raises:
        InvalidInput: The bytes are not a Word document.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, PackageNotFoundError) as exc:
        raise InvalidInput(
            "This file is not a readable Word (.docx) document.",
            hint="download the transcript from Teams again as .docx, or export it as .vtt",
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _cues(lines: list[Line]) -> list[TurnDraft]:
    """Stream-style cues: timing line, speaker line, text lines."""
    drafts: list[TurnDraft] = []
    content: list[Line] = []
    for line in [*lines, Line("0:0:0 --> 0:0:0", -1)]:  # a sentinel closes the last cue
        cue = _CUE.match(line.text)
        if cue is None:
            if drafts and not line.is_blank:
                content.append(line)
            continue
        if drafts:
            _fill(drafts[-1], content)
        content = []
        if line.start >= 0:
            start, end = clock_seconds(cue["start"]), clock_seconds(cue["end"])
            drafts.append(TurnDraft(None, line.start, start=start, end=end, source_end=line.end))
    return drafts


def _fill(draft: TurnDraft, content: list[Line]) -> None:
    voice = _VOICE.search(content[0].text) if content else None
    if voice:
        draft.speaker = voice["name"].strip()
    elif len(content) > 1:
        draft.speaker = content[0].text.strip()
        content = content[1:]
    for line in content:
        draft.add(TAG.sub("", line.text), line.end)


def parse_docx(data: bytes) -> Transcript:
    """Read a Teams transcript saved as Word (either shape; see the module docstring).

    Raises:
        InvalidInput: The bytes are not a Word document.
    """
    text = docx_text(data)
    lines = split_lines(text)
    if any(_CUE.match(line.text) for line in lines):
        drafts = _cues(lines)
    elif any(OTTER_RULES[0].pattern.match(line.text) for line in lines):
        drafts = parse_block_lines(lines, OTTER_RULES, keep_preamble=False)
    else:
        other = _OTHER.get(first_header_kind(lines), parse_plain)(text)
        return Transcript(Format.DOCX, other.utterances, other.warnings)
    return Transcript(Format.DOCX, tuple(merge_same_speaker(build_all(drafts))))


_OTHER: dict[Format | None, Callable[[str], Transcript]] = {
    Format.REV: parse_rev,
    Format.OTTER: parse_otter,
}
