"""Turn parsed WebVTT cues into utterances: speakers, plain text, merged turns, source offsets.

Speakers come from voice spans (``<v Name>``, ``<v.loud Name>``, as Teams and the spec write
them) or, in a file where at least half the cues without a voice span start with one, from a
Zoom-style ``Name:`` prefix that looks like a name (at most four words, the first capitalised, no
sentence punctuation). Consecutive cues of one speaker become one utterance, because Teams and
Zoom cut a long turn into many short cues. Cues without a speaker stay one utterance each; when
they repeat the previous cue's last line (YouTube's rolling automatic captions), the repeat is
dropped. Pure: imports only the transcript and WebVTT models.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from journeyscope.interviews.transcripts import Format, Transcript, Utterance
from journeyscope.interviews.webvtt_models import WebVTTCue, WebVTTFile

# Cue tags: <c.class>, <i>, <b>, <u>, <ruby>, <rt>, <lang en>, <v.loud Name>, their end tags, and
# timestamps <00:01.000>. A "<" that starts none of these is kept as text.
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\.[^\t\n\f\r .<>]+)*(?:[\t\n\f\r ]+([^>]*))?>"
    r"|<[0-9][0-9:.]*>"
)
_WHITESPACE = re.compile(r"[\t\n\f\r ]+")
_LINE_DASH = re.compile(r"^[-\u2013\u2014]+(?:[\t\f ]+|$)")  # "- " that marks a new speaker
_PREFIX = re.compile(r"([^:\n]{1,80}?):[\t\n\f\r ]+(?=\S)")
_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")  # "Jane Doe (Acme)"
_NAME_WORD = re.compile(r"[^\W_][\w'\u2019\-]*\.?")
_SENTENCE_PUNCTUATION = frozenset('!?;,"')
_MAX_NAME_WORDS = 4
_ROLLING_SHARE = 0.3  # share of speakerless cues that must repeat a line to count as rolling


@dataclass(slots=True)
class _Piece:
    """The speech of one speaker within one cue, as decoded non-empty lines."""

    cue: WebVTTCue
    speaker: str | None
    lines: list[str]
    has_voice: bool  # came from a voice span (else: the cue had none)


def to_transcript(file: WebVTTFile, source: str) -> Transcript:
    """Turn the cues of a parsed WebVTT file into a transcript of utterances.

    Args:
        file: The result of :func:`~journeyscope.interviews.webvtt.parse_webvtt`.
        source: The string that ``file`` was parsed from; utterance offsets point into it
            (from the start of the first cue's text to the end of the last cue's text).

    Returns:
        The transcript: text with cue tags removed and character references decoded, one
        utterance per run of consecutive cues by the same speaker, and the file's warnings.

    Raises:
        ValueError: ``source`` is not the string ``file`` was parsed from.
    """
    _check_source(file, source)
    pieces = [piece for cue in file.cues for piece in _pieces(cue)]
    _apply_name_prefixes(pieces)
    dropped = _drop_rolling_repeats(pieces)
    utterances = _merge(pieces)
    warnings = list(file.warnings)
    if dropped:
        warnings.append(
            f"{dropped} caption lines that repeated the previous cue (rolling captions) were "
            "dropped."
        )
    if not file.cues:
        warnings.append("The file has no cues, so the transcript is empty.")
    elif not any(u.speaker for u in utterances):
        warnings.append(
            "No speaker names were found (no <v Name> spans and no 'Name:' prefixes), so every "
            "utterance has an unknown speaker."
        )
    return Transcript(format=Format.WEBVTT, utterances=tuple(utterances), warnings=tuple(warnings))


def _normalize_newlines(text: str) -> str:
    return text.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")


def _check_source(file: WebVTTFile, source: str) -> None:
    for cue in file.cues:
        if _normalize_newlines(source[cue.source_start : cue.source_end]) != cue.text:
            raise ValueError("source must be the string that the WebVTT file was parsed from")


def _tokens(raw: str) -> Iterator[tuple[str | None, str]]:
    """Yield ``(None, text)`` for text and ``("v", name)`` for each voice span start."""
    pos = 0
    for match in _TAG.finditer(raw):
        yield None, html.unescape(raw[pos : match.start()])
        is_end, name, annotation = match.group(1, 2, 3)
        if name == "v" and not is_end:
            yield "v", _WHITESPACE.sub(" ", html.unescape(annotation or "")).strip()
        pos = match.end()
    yield None, html.unescape(raw[pos:])


def _clean_lines(text: str) -> list[str]:
    lines = (_LINE_DASH.sub("", line.strip()) for line in text.split("\n"))
    return [_WHITESPACE.sub(" ", line).strip() for line in lines if line.strip()]


def _pieces(cue: WebVTTCue) -> list[_Piece]:
    """Split a cue at its voice spans; text before the first span has no speaker."""
    runs: list[tuple[str | None, list[str]]] = [(None, [])]
    has_voice = False
    for kind, value in _tokens(cue.text):
        if kind == "v":
            has_voice = True
            runs.append((value or None, []))
        else:
            runs[-1][1].append(value)
    pieces = [
        _Piece(cue, speaker, _clean_lines("".join(parts)), has_voice) for speaker, parts in runs
    ]
    return [piece for piece in pieces if piece.lines]


def _looks_like_name(prefix: str) -> bool:
    """Whether a ``Name:`` prefix reads as a person's name rather than part of a sentence."""
    words = _PARENTHESES.sub("", prefix).split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or _SENTENCE_PUNCTUATION.intersection(prefix):
        return False
    if words[0][0].islower() or words[0][0].isdigit():
        return False
    return all(
        _NAME_WORD.fullmatch(word) and (not word.endswith(".") or len(word) <= 4) for word in words
    )


def _name_prefix(piece: _Piece) -> tuple[str, str] | None:
    match = _PREFIX.match(piece.lines[0])
    if match is None or not _looks_like_name(match.group(1)):
        return None
    return _WHITESPACE.sub(" ", match.group(1)).strip(), piece.lines[0][match.end() :]


def _apply_name_prefixes(pieces: list[_Piece]) -> None:
    """Take speakers from ``Name:`` prefixes when at least half the candidates have one."""
    candidates = [piece for piece in pieces if not piece.has_voice]
    found = [(piece, _name_prefix(piece)) for piece in candidates]
    named = [(piece, prefix) for piece, prefix in found if prefix is not None]
    if not named or len(named) * 2 < len(candidates):
        return
    for piece, (speaker, rest) in named:
        piece.speaker = speaker
        piece.lines = [rest, *piece.lines[1:]]


def _drop_rolling_repeats(pieces: list[_Piece]) -> int:
    """Drop a speakerless cue's first line when it repeats the previous one's last line.

    Only done when at least ``_ROLLING_SHARE`` of the speakerless cues (and two or more) repeat,
    so a line said twice in an ordinary subtitle file is kept. Returns the number dropped.
    """
    plain = [piece for piece in pieces if piece.speaker is None]
    repeats = [
        current for before, current in pairwise(plain) if current.lines[0] == before.lines[-1]
    ]
    if len(repeats) < max(2, _ROLLING_SHARE * len(plain)):
        return 0
    for piece in repeats:
        piece.lines = piece.lines[1:]
    return len(repeats)


def _merge(pieces: list[_Piece]) -> list[Utterance]:
    utterances: list[Utterance] = []
    for piece in pieces:
        text = " ".join(piece.lines)
        if not text:
            continue
        last = utterances[-1] if utterances else None
        if last is not None and piece.speaker is not None and last.speaker == piece.speaker:
            utterances[-1] = replace(
                last,
                text=f"{last.text} {text}",
                end=piece.cue.end_time,
                source_end=max(last.source_end or 0, piece.cue.source_end),
            )
            continue
        utterances.append(
            Utterance(
                speaker=piece.speaker,
                text=text,
                start=piece.cue.start_time,
                end=piece.cue.end_time,
                source_start=piece.cue.source_start,
                source_end=piece.cue.source_end,
            )
        )
    return utterances
