r"""SubRip (``.srt``) subtitles, read with the maintained ``srt`` library.

Speakers come from the start of a cue's text, in the styles caption writers use::

    Maya: How did you pay?          [Maya] How did you pay?        >> Maya: How did you pay?
    - Maya: How did you pay?
    - Sam: By card.                 (two speakers in one cue: two utterances)

A bracketed word is a speaker only when it is capitalised and not a sound description
(``[Music]``, ``[laughs]`` stay text). Once a file has named a speaker, an unlabelled cue
belongs to the speaker before it (captions label a speaker only when the voice changes);
consecutive cues of one speaker are merged into one turn. A file with no speaker labels
gives one utterance per cue, with no speaker. Markup (``<i>``, ``{\an8}``) is dropped. Offsets
cover the cue blocks (number, timing line and text). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import srt

from journeyscope.errors import InvalidInput, Problem
from journeyscope.interviews.formats_lines import (
    LABEL_CHARS,
    NOT_SPEAKERS,
    TAG,
    clean_text,
    is_label,
    merge_same_speaker,
)
from journeyscope.interviews.transcripts import Format, Transcript, Utterance

_DASH = re.compile(r"\s*[-\u2013\u2014]\s+")
_COLON_LABEL = re.compile(rf"\s*(?:>>\s*)?(?P<name>{LABEL_CHARS})\s*:\s+(?P<text>.*)", re.DOTALL)
_BRACKET_LABEL = re.compile(
    r"\s*(?:>>\s*)?\[(?P<name>[^\]\n]{1,40})\]\s*:?\s*(?P<text>.*)", re.DOTALL
)


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


_SOUNDS = _word_set(
    "music laughter laughs laughing applause inaudible crosstalk silence noise sighs sigh "
    "coughs cough chuckles pause foreign unintelligible indistinct background noise no "
    "audio blank_audio beep"
)

HINT = (
    "an SRT file is a series of blocks separated by blank lines: a number, a "
    "'00:00:01,000 --> 00:00:04,000' line, then the text"
)


@dataclass(frozen=True, slots=True)
class _Part:
    speaker: str | None
    text: str


def _label(text: str) -> _Part:
    colon = _COLON_LABEL.match(text)
    name = colon["name"].strip() if colon else ""
    if colon and is_label(name) and name.casefold() not in NOT_SPEAKERS:
        return _Part(name, colon["text"])
    bracket = _BRACKET_LABEL.match(text)
    if bracket:
        name = bracket["name"].strip()
        is_sound = set(name.casefold().split()) <= _SOUNDS
        if is_label(name) and name[0].isupper() and not is_sound:
            return _Part(name, bracket["text"])
    return _Part(None, text)


def _parts(content: str) -> list[_Part]:
    """A cue's text split into speaker parts (dialogue dashes mark a change of speaker)."""
    content = TAG.sub("", content)
    lines = [line for line in content.splitlines() if line.strip()]
    if len(lines) > 1 and all(_DASH.match(line) for line in lines):
        return [_label(_DASH.sub("", line, count=1)) for line in lines]
    return [_label(content)]


def _read(text: str) -> list[srt.Subtitle]:
    try:
        return list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.actual_start) + 1
        found = str(exc.unmatched_content).strip()[:60]
        message = f"This is not a valid SRT file: unexpected text {found!r} near line {line}."
        raise InvalidInput(
            message, hint=HINT, problems=[Problem(None, message, HINT, line)]
        ) from exc
    except ValueError as exc:  # srt.TimestampParseError: a timing line it cannot read
        raise InvalidInput(f"This is not a valid SRT file: {exc}.", hint=HINT) from exc


def _block_spans(text: str) -> list[tuple[int, int]]:
    """Where each block is: ``srt.parse`` walks ``srt.SRT_REGEX`` the same way but drops it."""
    return [
        (m.start(2) if m.start(1) < 0 else m.start(1), m.end(5))  # index (or timing) to text end
        for m in srt.SRT_REGEX.finditer(text)
    ]


def parse_srt(text: str) -> Transcript:
    """Read SubRip subtitles (see the module docstring for the speaker styles).

    Raises:
        InvalidInput: The text is not SRT (the message names the line).
    """
    subtitles = _read(text)
    spans = _block_spans(text)
    utterances: list[Utterance] = []
    has_labels = False
    for subtitle, (start, end) in zip(subtitles, spans, strict=True):
        for part in _parts(subtitle.content):
            has_labels = has_labels or part.speaker is not None
            speaker = part.speaker
            if speaker is None and has_labels and utterances:
                speaker = utterances[-1].speaker
            if clean_text(part.text):
                utterances.append(
                    Utterance(
                        speaker=speaker,
                        text=clean_text(part.text),
                        start=subtitle.start.total_seconds(),
                        end=subtitle.end.total_seconds(),
                        source_start=start,
                        source_end=end,
                    )
                )
    warnings = [] if has_labels else ["No speaker labels found: each cue became an utterance."]
    return Transcript(Format.SRT, tuple(merge_same_speaker(utterances)), tuple(warnings))
