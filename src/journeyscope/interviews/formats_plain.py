"""Plain-text transcripts: ``Speaker: text`` lines, with or without timestamps.

Accepted line shapes (a timestamp is ``1:02``, ``00:01:02`` or ``00:01:02.5``)::

    Ana: Where did you first hear about us?
    [00:01:02] Ana: …        (00:01:02) Ana: …        00:01:02 Ana: …      00:01:02 - Ana: …
    Ana (00:01:02): …        Ana [1:02]: …

A line without a label continues the previous speaker's turn, across blank lines too. A
label counts as a speaker when it carries a timestamp, is used at least twice, or starts with
a capital letter and is not a word that opens a sentence with a colon (``Example:``,
``Note:``, ``Honestly:``), so such a colon inside an answer is not taken for a new speaker.
A bracketed timestamp alone (``[00:05:10] and then...``) starts a new turn of the same
speaker. Text with no labels at all becomes one utterance per paragraph with no speaker. Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from journeyscope.interviews.formats_lines import (
    CLOCK,
    LABEL_CHARS,
    NOT_SPEAKERS,
    Line,
    TurnDraft,
    build_all,
    clock_seconds,
    is_label,
    preamble_warning,
    split_lines,
)
from journeyscope.interviews.transcripts import Format, Transcript

_LEAD_BRACKETED = re.compile(rf"\s*[\[(](?P<clock>{CLOCK})[\])]\s*(?:[-\u2013\u2014|]\s*)?")
_LEAD_BARE = re.compile(rf"\s*(?P<clock>{CLOCK})\s+(?:[-\u2013\u2014|]\s*)?")
_ROLE_NOTE = r"(?:\s\([^\W\d_][^()\n:]{0,30}\))?"  # "Maya (Researcher):" keeps the note
_LABEL = re.compile(
    rf"(?P<name>{LABEL_CHARS}{_ROLE_NOTE})\s*(?:[\[(](?P<clock>{CLOCK})[\])])?\s*:(?:\s+|$)"
)


@dataclass(frozen=True, slots=True)
class _Head:
    """What starts a line: a speaker label and/or a timestamp, and where the text begins."""

    name: str | None
    clock: str | None
    text_at: int
    lead_clock: str | None = None  # a bracketed timestamp before the label, if any
    lead_at: int | None = None  # where the text begins if the label turns out not to be one


def _read_head(text: str) -> _Head | None:
    lead = _LEAD_BRACKETED.match(text)
    bracketed = lead is not None
    lead = lead or _LEAD_BARE.match(text)
    pos = lead.end() if lead else 0
    lead_clock = lead["clock"] if lead else None
    label = _LABEL.match(text, pos)
    if label and is_label(label["name"].strip()):
        return _Head(
            name=label["name"].strip(),
            clock=lead_clock or label["clock"],
            text_at=label.end(),
            lead_clock=lead_clock if bracketed else None,
            lead_at=pos if bracketed else None,
        )
    if bracketed:
        return _Head(name=None, clock=lead_clock, text_at=pos)
    return None


def _accepted_names(heads: list[_Head | None]) -> set[str]:
    counts = Counter(h.name for h in heads if h and h.name)
    accepted = {h.name for h in heads if h and h.name and h.clock}
    accepted |= {name for name, count in counts.items() if count >= 2}
    accepted |= {n for n in counts if n[0].isupper() and n.casefold() not in NOT_SPEAKERS}
    return accepted


def _resolve(head: _Head | None, accepted: set[str]) -> _Head | None:
    if head is None or head.name is None or head.name in accepted:
        return head
    if head.lead_at is not None:
        return _Head(name=None, clock=head.lead_clock, text_at=head.lead_at)
    return None


def _paragraphs(lines: list[Line]) -> list[TurnDraft]:
    drafts: list[TurnDraft] = []
    current: TurnDraft | None = None
    for line in lines:
        if line.is_blank:
            current = None
            continue
        if current is None:
            current = TurnDraft(None, line.start)
            drafts.append(current)
        current.add(line.text, line.end)
    return drafts


def _turns(lines: list[Line], heads: list[_Head | None]) -> list[TurnDraft]:
    drafts: list[TurnDraft] = []
    current: TurnDraft | None = None
    for line, head in zip(lines, heads, strict=True):
        if head is None:
            if line.is_blank:
                continue
            if current is None:
                current = TurnDraft(None, line.start)
                drafts.append(current)
            current.add(line.text, line.end)
            continue
        speaker = head.name
        if speaker is None and current is not None:
            speaker = current.speaker
        current = TurnDraft(speaker, line.start, start=clock_seconds(head.clock))
        drafts.append(current)
        current.add(line.text[head.text_at :], line.end)
    return drafts


def parse_plain(text: str) -> Transcript:
    """Read a plain-text transcript (see the module docstring for the shapes).

    Args:
        text: The decoded transcript.

    Returns:
        The transcript: one utterance per turn as written (turns are not merged), ``start``
        from the line's timestamp where there is one, ``end`` always ``None``.
    """
    lines = split_lines(text)
    heads = [_read_head(line.text) for line in lines]
    accepted = _accepted_names(heads)
    heads = [_resolve(head, accepted) for head in heads]
    if any(head is not None for head in heads):
        utterances = build_all(_turns(lines, heads))
        warnings = preamble_warning(utterances)
    else:
        utterances = build_all(_paragraphs(lines))
        warnings = []
        if len(utterances) > 0:
            warnings.append(
                "No speaker labels found: each paragraph became an utterance with no speaker. "
                "Write 'Name: text' at the start of each turn to name the speakers."
            )
    return Transcript(Format.PLAIN, tuple(utterances), tuple(warnings))
