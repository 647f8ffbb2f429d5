"""Files made from stored interviews and journeys: coaching reports, exports, guides.

Each use-case loads what it needs in one short transaction and renders outside it, returning
a :class:`Document` (bytes, media type and a file name) that the doors hand out as they are.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Literal

from journeyscope import journey
from journeyscope.errors import Conflict
from journeyscope.interviews.analysis_models import InterviewAnalysis
from journeyscope.interviews.coaching import CoachingReport, build_coaching_report
from journeyscope.interviews.coaching_render import render_coaching_fragment, render_coaching_report
from journeyscope.interviews.export_csv import utterances_csv
from journeyscope.interviews.guide_export import render_guide
from journeyscope.interviews.guides import build_guide
from journeyscope.interviews.qdpx import QdpxInterview, build_qdpx
from journeyscope.interviews.service import StoredInterview, load_interview
from journeyscope.store import Database

ReportFormat = Literal["html", "md", "json"]
ExportFormat = Literal["csv", "qdpx"]
GuideFormat = Literal["md", "docx", "pdf"]

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "qdpx": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
"""The media type of each format the doors hand out."""


@dataclass(frozen=True, slots=True)
class Document:
    """A rendered file: its bytes, media type, and a file name to save it under."""

    content: bytes
    media_type: str
    filename: str


def _document(content: bytes | str, stem: str, fmt: str) -> Document:
    data = content.encode("utf-8") if isinstance(content, str) else content
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "interview"
    return Document(data, MEDIA_TYPES[fmt], f"{safe[:80]}.{fmt}")


def _stem(stored: StoredInterview) -> str:
    return f"{stored.interview.title}-{str(stored.interview.id)[-8:]}"


def _guide_stages(db: Database, workspace_id: uuid.UUID, key: str | None) -> tuple[str, ...]:
    if key is None:
        return ()
    view = journey.get_journey(db, workspace_id=workspace_id, key=key)
    return tuple(stage.key for stage in view.stages)


def _report(db: Database, workspace_id: uuid.UUID, stored: StoredInterview) -> CoachingReport:
    if stored.analysis is None:
        raise Conflict(
            "This interview has not been analysed yet, so there is no report.",
            hint="analyse it first: POST /v1/interviews/{id}/analyze or "
            "`journeyscope interviews analyze ID`",
        )
    stages = _guide_stages(db, workspace_id, stored.interview.journey_key)
    return build_coaching_report(stored.transcript, stored.analysis, guide_stages=stages)


def coaching_report_html(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID, turns: str
) -> str:
    """The coaching report's HTML content for a signed-in page.

    The same template as the HTML file, without its page; turn numbers link to
    ``{turns}#turn-N``.

    Raises:
        NotFound: No such interview in this workspace.
        Conflict: The interview has not been analysed yet.
    """
    stored = load_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    return render_coaching_fragment(_report(db, workspace_id, stored), turns=turns)


def coaching_report(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID, fmt: ReportFormat
) -> Document:
    """The interviewer coaching report of an analysed interview, as HTML, Markdown or JSON.

    The stages of the interview's journey are the guide the report checks coverage against.

    Raises:
        NotFound: No such interview in this workspace.
        Conflict: The interview has not been analysed yet.
    """
    stored = load_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    report = _report(db, workspace_id, stored)
    return _document(render_coaching_report(report, fmt), f"coaching-{_stem(stored)}", fmt)


def export_interview(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID, fmt: ExportFormat
) -> Document:
    """An interview as CSV (one row per utterance) or as a REFI-QDA project (``.qdpx``).

    Before the first analysis the export has the utterances and no annotations or codes.

    Raises:
        NotFound: No such interview in this workspace.
    """
    stored = load_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    analysis = stored.analysis or InterviewAnalysis(utterances=(), findings=(), model="")
    if fmt == "csv":
        return _document(utterances_csv(stored.transcript, analysis), _stem(stored), fmt)
    item = QdpxInterview(
        name=stored.interview.title,
        id=str(stored.interview.id),
        transcript=stored.transcript,
        analysis=analysis,
        participant=stored.interview.participant,
        created=stored.interview.interviewed_at or stored.interview.imported_at,
    )
    return _document(build_qdpx([item]), _stem(stored), fmt)


def interview_guide(
    db: Database, *, workspace_id: uuid.UUID, journey_key: str, fmt: GuideFormat
) -> Document:
    """An interview guide for a stored journey: warm-up, open questions per stage, wrap-up.

    Raises:
        NotFound: No such journey in this workspace.
    """
    view = journey.get_journey(db, workspace_id=workspace_id, key=journey_key)
    content = render_guide(build_guide(view), fmt)
    return _document(content, f"guide-{journey_key}", fmt)
