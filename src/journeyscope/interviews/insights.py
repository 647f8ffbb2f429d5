"""Across interviews: emotions per journey stage and the themes that recur.

Reads every analysed interview of the workspace (or of one journey) and combines them with the
pure ``stage_summary`` and ``themes`` modules. Each interview is loaded in its own short
transaction; the clustering runs outside any.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from journeyscope.interviews.analysis_models import Finding, InterviewAnalysis
from journeyscope.interviews.service import list_interviews, load_interview
from journeyscope.interviews.stage_summary import StageEmotions, emotions_by_stage
from journeyscope.interviews.themes import Theme, find_themes
from journeyscope.nlp import embed
from journeyscope.store import Database


@dataclass(frozen=True, slots=True)
class Insights:
    """What the analysed interviews say together."""

    interviews: int  # analysed interviews read
    stages: list[StageEmotions]
    themes: list[Theme]


def interview_insights(
    db: Database, *, workspace_id: uuid.UUID, journey_key: str | None = None
) -> Insights:
    """Emotions per stage and recurring themes over the analysed interviews.

    Raises:
        NotFound: ``journey_key`` names no journey of this workspace.
    """
    analyses: list[tuple[str, InterviewAnalysis]] = []
    for interview_id in _analysed_ids(db, workspace_id, journey_key):
        stored = load_interview(db, workspace_id=workspace_id, interview_id=interview_id)
        if stored.analysis is not None:
            analyses.append((str(interview_id), stored.analysis))
    findings: list[tuple[str, Finding]] = [
        (interview_id, finding) for interview_id, a in analyses for finding in a.findings
    ]
    return Insights(
        interviews=len(analyses),
        stages=emotions_by_stage([a for _, a in analyses]),
        themes=find_themes(findings, embed=embed),
    )


def _analysed_ids(
    db: Database, workspace_id: uuid.UUID, journey_key: str | None
) -> list[uuid.UUID]:
    """The ids of the analysed interviews, page by page."""
    ids: list[uuid.UUID] = []
    cursor: str | None = None
    while True:
        page = list_interviews(
            db, workspace_id=workspace_id, journey_key=journey_key, cursor=cursor, limit=500
        )
        ids += [i.id for i in page.items if i.analyzed_at is not None]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor
