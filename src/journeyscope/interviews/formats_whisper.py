"""Whisper JSON, as openai-whisper and whisperX write it.

openai-whisper (``--output_format json``) writes ``{"text": …, "segments": [{"start",
"end", "text", …}], "language": …}``; whisperX adds ``"speaker": "SPEAKER_00"`` to each
segment after diarization (``--diarize``). A bare list of segments is read too. Consecutive
segments of one speaker are merged into one turn; without speakers each segment is an
utterance with no speaker. Offsets point at each segment's text inside the JSON string (as
written there, escapes included); where that text cannot be found verbatim they are
``None``. Pure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from journeyscope.errors import InvalidInput
from journeyscope.interviews.formats_lines import clean_text, merge_same_speaker
from journeyscope.interviews.transcripts import Format, Transcript, Utterance

EXPECTED = (
    'a Whisper transcript is a JSON object with a "segments" list (or a bare list of '
    'segments), each segment an object with "start" and "end" in seconds, "text" and, '
    'after diarization, "speaker"'
)
HINT = (
    "export it with `whisper AUDIO --output_format json` or `whisperx AUDIO --output_format "
    "json --diarize`, or pass format='plain' if it is not Whisper output"
)


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The Whisper transcript is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}.",
            hint=HINT,
        ) from exc


def _segments(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping) and isinstance(document.get("segments"), list):
        return list(document["segments"])
    raise InvalidInput(f"This JSON is not a Whisper transcript: {EXPECTED}.", hint=HINT)


def _seconds(segment: Mapping[str, Any], key: str, index: int, *, required: bool) -> float | None:
    value = segment.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not _is_finite(value):
        raise InvalidInput(
            f"Segment {index} has no finite number of seconds in {key!r}.",
            field=f"segments[{index}].{key}",
            hint=f"{EXPECTED}.",
        )
    return float(value)


def _is_finite(value: float) -> bool:
    """Python's JSON reads ``NaN``, ``Infinity`` and integers too large for a float."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _checked(segment: Any, index: int) -> Mapping[str, Any]:
    if not isinstance(segment, Mapping) or not isinstance(segment.get("text"), str):
        raise InvalidInput(
            f"Segment {index} is not a Whisper segment with a 'text' string.",
            field=f"segments[{index}].text",
            hint=f"{EXPECTED}.",
        )
    speaker = segment.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        raise InvalidInput(
            f"Segment {index} has a speaker that is not a string.",
            field=f"segments[{index}].speaker",
            hint="whisperX writes speakers as strings such as 'SPEAKER_00'.",
        )
    return segment


class _Locator:
    """Finds each segment's text in the JSON source, front to back."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0

    def find(self, raw: str) -> tuple[int | None, int | None]:
        stripped = raw.strip()
        for encoded in (json.dumps(stripped, ensure_ascii=False), json.dumps(stripped)):
            at = self.source.find(encoded[1:-1], self.cursor)
            if stripped and at >= 0:
                self.cursor = at + len(encoded) - 2
                return at, self.cursor
        return None, None


def parse_whisper(text: str) -> Transcript:
    """Read Whisper or whisperX JSON.

    Raises:
        InvalidInput: The text is not JSON, or not Whisper's shape (the message says what was
            expected and how to export it).
    """
    document = _load(text)
    segments = [_checked(segment, i) for i, segment in enumerate(_segments(document))]
    locator = _Locator(text)
    utterances = []
    for i, segment in enumerate(segments):
        source_start, source_end = locator.find(segment["text"])
        if clean_text(segment["text"]):
            utterances.append(
                Utterance(
                    speaker=segment.get("speaker") or None,
                    text=clean_text(segment["text"]),
                    start=_seconds(segment, "start", i, required=True),
                    end=_seconds(segment, "end", i, required=False),
                    source_start=source_start,
                    source_end=source_end,
                )
            )
    whole = document.get("text") if isinstance(document, Mapping) else None
    if not utterances and isinstance(whole, str) and clean_text(whole):
        only = Utterance(speaker=None, text=clean_text(whole))
        return Transcript(
            Format.WHISPER, (only,), ("No segments: the whole text is one utterance.",)
        )
    return Transcript(Format.WHISPER, tuple(merge_same_speaker(utterances)), _warnings(utterances))


def _warnings(utterances: list[Utterance]) -> tuple[str, ...]:
    unnamed = sum(1 for u in utterances if u.speaker is None)
    if unnamed == len(utterances):
        return ("No speakers in this Whisper output; run whisperX with --diarize to get them.",)
    if unnamed:
        return (f"{unnamed} segment(s) have no speaker (whisperX could not assign one).",)
    return ()
