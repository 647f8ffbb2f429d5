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
import zlib
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


MAX_UNPACKED_BYTES = 50 * 1024 * 1024
"""All parts of the archive together, unpacked: a long Teams transcript is a few megabytes."""
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""The document's own XML (``word/document.xml``), unpacked: about ten hours of transcript."""
MAX_PARAGRAPHS = 50_000
"""Paragraphs and table cells: a ten-hour transcript has a few thousand."""


UNREADABLE = (
    zipfile.BadZipFile,  # not a ZIP, or a part that fails its CRC check
    ValueError,
    EOFError,  # cut short
    zlib.error,  # a corrupt deflate stream
    NotImplementedError,  # a compression method zipfile cannot read
    RuntimeError,  # an encrypted part
)
"""What reading a broken or foreign archive raises."""


def _too_big(what: str, limit: str) -> InvalidInput:
    return InvalidInput(
        f"This Word document {what}; transcripts are read up to {limit}.",
        hint="split the transcript into several documents, or export it as .vtt",
    )


def _check_archive(data: bytes) -> None:
    """Refuse a DOCX that would unpack to more than the limits, before unpacking anything.

    The sizes are the archive's own; :mod:`zipfile` never inflates a part past its declared
    size (it fails the CRC check instead), so they bound what python-docx will read. A 100 KB
    file inflating to 20 MB of XML took minutes and a gigabyte of memory to read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                raise _too_big(f"unpacks to more than {_mb(MAX_UNPACKED_BYTES)}", "that size")
            document = next((p for p in parts if p.filename == "word/document.xml"), None)
            if document is None:
                return  # python-docx says what is missing
            if document.file_size > MAX_DOCUMENT_BYTES:
                limit = f"{_mb(MAX_DOCUMENT_BYTES)} of document XML"
                raise _too_big(
                    f"holds more than {_mb(MAX_DOCUMENT_BYTES)} of text and markup", limit
                )
            _check_paragraphs(_tags_like_paragraphs(archive.read(document)))
    except UNREADABLE as exc:
        raise _unreadable() from exc


def _tags_like_paragraphs(xml: bytes) -> int:
    """A quick count of paragraph and table-cell tags as Word writes them (``w:`` prefix).

    Scanning the bytes takes milliseconds where parsing a document of 300,000 paragraphs took
    a second and 250 MB; a document with other prefixes is counted after parsing instead.
    """
    return sum(xml.count(tag) for tag in (b"<w:p>", b"<w:p ", b"<w:tc>", b"<w:tc "))


def _check_paragraphs(count: int) -> None:
    if count > MAX_PARAGRAPHS:
        limit = f"{MAX_PARAGRAPHS:,} paragraphs and table cells"
        raise _too_big(f"has {count:,} paragraphs and table cells", limit)


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _unreadable() -> InvalidInput:
    return InvalidInput(
        "This file is not a readable Word (.docx) document.",
        hint="download the transcript from Teams again as .docx, or export it as .vtt",
    )


def docx_text(data: bytes) -> str:
    r"""The text of a Word document: paragraphs and table rows joined by ``\n``.

    Raises:
        InvalidInput: The bytes are not a Word document, or one past the limits above.
    """
    _check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (*UNREADABLE, KeyError, SyntaxError, PackageNotFoundError) as exc:
        raise _unreadable() from exc
    _check_paragraphs(int(document.element.body.xpath("count(.//w:p | .//w:tc)")))
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
