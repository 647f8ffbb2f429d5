"""Transcript import: one entry point that reads a file or text in any supported format.

:func:`parse_transcript` takes a path, text or bytes, works out the format when it is not
given (:func:`detect_format`), decodes it, and hands it to that format's importer
(``formats_plain``, ``formats_blocks`` for Otter and Rev, ``formats_srt``,
``formats_whisper``, ``formats_docx``; WebVTT is ``webvtt``). Every importer returns the one
:class:`~journeyscope.interviews.transcripts.Transcript` shape. Pure: no database, no web.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeyscope.errors import InvalidInput
from journeyscope.interviews.formats_blocks import first_header_kind, parse_otter, parse_rev
from journeyscope.interviews.formats_docx import parse_docx
from journeyscope.interviews.formats_lines import split_lines
from journeyscope.interviews.formats_plain import parse_plain
from journeyscope.interviews.formats_srt import parse_srt
from journeyscope.interviews.formats_whisper import parse_whisper
from journeyscope.interviews.transcripts import Format, Transcript

ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = {
    ".vtt": Format.WEBVTT,
    ".srt": Format.SRT,
    ".docx": Format.DOCX,
    ".json": Format.WHISPER,
}
"""Extensions that name their format; others (``.txt``, ``.md``, none) are sniffed by content."""

ALIASES = {"vtt": Format.WEBVTT, "txt": Format.PLAIN, "text": Format.PLAIN, "json": Format.WHISPER}
FORMAT_HINT = (
    f"use one of {', '.join(f.value for f in Format)}, or leave the format out to detect it"
)
_SRT_START = re.compile(r"(?:\d+[ \t]*\r?\n)?[ \t]*\d+:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_MAX_PATH = 4096


@dataclass(frozen=True, slots=True)
class Source:
    """What was handed in: the raw bytes (``None`` for text), the text, the file suffix."""

    data: bytes | None
    text: str | None
    suffix: str


def parse_transcript(
    path_or_text: str | Path | bytes, *, format: Format | str | None = None
) -> Transcript:
    r"""Read a transcript in any supported format into utterances.

    Args:
        path_or_text: A :class:`~pathlib.Path`; a string that names an existing file (or
            ends in ``.vtt``/``.srt``/``.docx``/``.json``/``.txt`` and has no line break),
            otherwise the transcript's text; or the file's bytes.
        format: The format, as a :class:`Format` or its name (``"webvtt"``, also ``"vtt"``,
            ``"txt"``, ``"json"``); detected when left out (see :func:`detect_format`).

    Returns:
        The transcript. Times are seconds; ``source_start``/``source_end`` are character
        offsets into the decoded text (for DOCX: its paragraphs joined by ``\n``). Roles are
        all unknown until :func:`~journeyscope.interviews.roles.detect_roles`.

    Raises:
        InvalidInput: The file cannot be read, is empty, is not UTF-8 text, the format name is
            unknown, or the content is not the format it claims (the message says what was
            expected and how to fix it).
    """
    fmt = _format_named(format) if format is not None else None
    source = _source(path_or_text)
    fmt = fmt or detect_format(source)
    if fmt is Format.DOCX:
        transcript = parse_docx(_docx_bytes(source))
    else:
        transcript = _TEXT_PARSERS[fmt](_text(source))
    if not transcript.utterances:
        raise InvalidInput(
            f"No speech was found in this {fmt.value} transcript.",
            hint="check that it is the right file, or pass the format if it was misdetected",
        )
    return transcript


def detect_format(source: Source) -> Format:
    """The format of a source, from its bytes, extension and content.

    Order: a ZIP (DOCX) signature; a telling extension (``.vtt``, ``.srt``, ``.docx``,
    ``.json``); then the text: ``WEBVTT`` first line, a JSON document, an SRT cue (number
    then ``00:00:01,000 -->``), a Rev or Otter header as the first line of speech, else plain.
    """
    if source.data is not None and source.data.startswith(ZIP_MAGIC):
        return Format.DOCX
    if source.suffix in SUFFIXES:
        return SUFFIXES[source.suffix]
    return sniff_text(_text(source))


def sniff_text(text: str) -> Format:
    """The format of a transcript's text (see :func:`detect_format`)."""
    head = text.lstrip()
    if head.startswith("WEBVTT"):
        return Format.WEBVTT
    if head[:1] in ("{", "[") and _is_json(head):
        return Format.WHISPER
    if _SRT_START.match(head):
        return Format.SRT
    return first_header_kind(split_lines(text[:20_000])) or Format.PLAIN


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _format_named(value: Format | str) -> Format:
    if isinstance(value, Format):
        return value
    name = str(value).strip().lower()
    if name in ALIASES:
        return ALIASES[name]
    try:
        return Format(name)
    except ValueError:
        raise InvalidInput(
            f"Unknown transcript format {value!r}.", field="format", hint=FORMAT_HINT
        ) from None


def _source(value: str | Path | bytes) -> Source:
    if isinstance(value, bytes):
        return Source(value, None, "")
    if isinstance(value, Path):
        return _read_file(value)
    if _looks_like_path(value):
        return _read_file(Path(value))
    return Source(None, value.removeprefix("\ufeff"), "")


def _looks_like_path(value: str) -> bool:
    if not value or "\n" in value or "\r" in value or len(value) > _MAX_PATH:
        return False
    path = Path(value)
    try:
        if path.is_file():
            return True
    except (OSError, ValueError):  # a name the file system cannot hold is not a path
        return False
    return path.suffix.lower() in (*SUFFIXES, ".txt") and ": " not in value


def _read_file(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(
            f"There is no file at {str(path)!r}.", hint="check the path and the file name"
        ) from None
    except OSError as exc:
        raise InvalidInput(
            f"The file {str(path)!r} cannot be read: {exc.strerror or exc}.",
            hint="check that it is a file and that you may read it",
        ) from None
    return Source(data, None, path.suffix.lower())


def _text(source: Source) -> str:
    text = source.text if source.text is not None else _decode(source.data or b"")
    if not text.strip():
        raise InvalidInput(
            "The transcript is empty.", hint="choose the file that holds the transcript"
        )
    if "\x00" in text:
        raise InvalidInput(
            "The transcript contains NUL characters, so it is probably not UTF-8 text.",
            hint="save it as UTF-8 text (in most editors: Save As → Encoding: UTF-8)",
        )
    return text


def _decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped); UTF-16 only when it starts with its BOM."""
    if data.startswith(ZIP_MAGIC):
        raise InvalidInput(
            "This is a ZIP or Word file, not a text transcript.",
            hint="pass format='docx' for a Teams Word transcript, or export the text",
        )
    is_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        return data.decode("utf-16" if is_utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The transcript is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
            f"{exc.start} cannot be read).",
            hint="save it as UTF-8 text (in most editors: Save As → Encoding: UTF-8)",
        ) from None


def _docx_bytes(source: Source) -> bytes:
    if source.data is None:
        raise InvalidInput(
            "A DOCX transcript must be given as a file path or its bytes, not as text.",
            field="format",
            hint="pass the path of the .docx file",
        )
    if not source.data.startswith(ZIP_MAGIC):
        raise InvalidInput(
            "This file is not a Word (.docx) document.",
            hint="leave the format out to detect it, or download the transcript again",
        )
    return source.data


def _parse_webvtt(text: str) -> Transcript:
    from journeyscope.interviews.webvtt import parse_webvtt, to_transcript

    return to_transcript(parse_webvtt(text), text)


_TEXT_PARSERS: dict[Format, Callable[[str], Transcript]] = {
    Format.PLAIN: parse_plain,
    Format.WEBVTT: _parse_webvtt,
    Format.SRT: parse_srt,
    Format.OTTER: parse_otter,
    Format.REV: parse_rev,
    Format.WHISPER: parse_whisper,
}
