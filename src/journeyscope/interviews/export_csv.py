"""CSV of an analysed interview: one row per utterance with everything the analysis found.

For researchers who work in a spreadsheet. Cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe,
because transcript text is untrusted and CSV injection runs on the reader's machine; numbers
this module writes itself are left as numbers. Pure: no store, no web.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    UtteranceAnalysis,
)
from journeyscope.interviews.coaching import analysis_by_position, top_emotion
from journeyscope.interviews.transcripts import Transcript, Utterance

COLUMNS = (
    "position",
    "speaker",
    "role",
    "start",
    "end",
    "text",
    "stage",
    "stage_confidence",
    "touchpoint",
    "question_kind",
    "top_emotion",
    "emotions",
    "valence",
    "sentiment",
    "minimized",
    "dismissal",
    "follow_ups",
)
"""The header row, in order."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection)."""

FOLLOW_UP_SEPARATOR = " | "


def utterances_csv(transcript: Transcript, analysis: InterviewAnalysis) -> str:
    """One CSV row per utterance (header first), RFC 4180 style with CRLF line ends.

    ``emotions`` is ``label:score;label:score`` strongest first; ``follow_ups`` joins the
    suggested questions of probe findings quoting the utterance with `` | ``; empty cells
    mean "not found" or "not applicable". Text cells are neutralised (see the module notes).

    Raises:
        InvalidInput: The analysis refers to utterances the transcript does not have.
    """
    by_position = analysis_by_position(transcript, analysis)
    follow_ups = _follow_ups_by_position(analysis.findings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for position, utterance in enumerate(transcript.utterances):
        row = _row(position, utterance, by_position.get(position), follow_ups.get(position, ()))
        writer.writerow(row)
    return out.getvalue()


def neutralise_formula(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row(
    position: int,
    utterance: Utterance,
    found: UtteranceAnalysis | None,
    follow_ups: Sequence[str],
) -> list[str]:
    found = found or UtteranceAnalysis(position)
    tag, note = found.stage, found.annotation
    emotion, _ = top_emotion(note)
    text_cells = {
        "speaker": utterance.speaker or "",
        "text": utterance.text,
        "stage": tag.stage if tag else "",
        "touchpoint": (tag.touchpoint or "") if tag else "",
        "top_emotion": emotion or "",
        "emotions": _emotions(note.emotions) if note else "",
        "dismissal": note.dismissal.text if note and note.dismissal else "",
        "follow_ups": FOLLOW_UP_SEPARATOR.join(follow_ups),
    }
    cells = {key: neutralise_formula(value) for key, value in text_cells.items()}
    cells |= {
        "position": str(position),
        "role": utterance.role.value,
        "start": _number(utterance.start),
        "end": _number(utterance.end),
        "stage_confidence": _number(tag.confidence if tag else None),
        "question_kind": found.question.value if found.question else "",
        "valence": _number(note.valence if note else None),
        "sentiment": note.sentiment.value if note else "",
        "minimized": ("yes" if note.minimized else "no") if note else "",
    }
    return [cells[column] for column in COLUMNS]


def _emotions(emotions: dict[str, float]) -> str:
    ranked = sorted(emotions.items(), key=lambda item: -item[1])
    return ";".join(f"{label}:{score:.2f}" for label, score in ranked)


def _number(value: float | None) -> str:
    """A number without float noise (``12.5``, ``0.83``); empty for ``None``."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _follow_ups_by_position(findings: Sequence[Finding]) -> dict[int, tuple[str, ...]]:
    """The suggested follow-ups of probe findings, by each quoted utterance's position."""
    by_position: dict[int, tuple[str, ...]] = {}
    for finding in findings:
        if finding.kind is not FindingKind.PROBE:
            continue
        for quote in finding.quotes:
            earlier = by_position.get(quote.position, ())
            new = tuple(f for f in finding.follow_ups if f not in earlier)
            by_position[quote.position] = earlier + new
    return by_position
