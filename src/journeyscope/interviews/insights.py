"""Across interviews: emotions per journey stage and the themes that recur.

Reads every analysed interview of the workspace (or of one journey) and combines them with the
pure ``stage_summary`` and ``themes`` modules. Each interview is loaded in its own short
transaction; the clustering runs outside any.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from journeyscope import journey
from journeyscope.interviews.analysis_models import Finding, InterviewAnalysis
from journeyscope.interviews.models import Interview
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
    explored: list[str] = []  # journey keys, in order of first appearance
    for interview in _analysed(db, workspace_id, journey_key):
        stored = load_interview(db, workspace_id=workspace_id, interview_id=interview.id)
        if stored.analysis is not None:
            analyses.append((str(interview.id), stored.analysis))
            explored += [interview.journey_key] if interview.journey_key else []
    findings: list[tuple[str, Finding]] = [
        (interview_id, finding) for interview_id, a in analyses for finding in a.findings
    ]
    return Insights(
        interviews=len(analyses),
        stages=emotions_by_stage(
            [a for _, a in analyses], order=_stage_order(db, workspace_id, explored)
        ),
        themes=find_themes(findings, embed=embed),
    )


def _stage_order(db: Database, workspace_id: uuid.UUID, journey_keys: list[str]) -> list[str]:
    """The stage keys of the journeys explored, each journey's in its own order."""
    order: list[str] = []
    for key in dict.fromkeys(journey_keys):
        order += [s.key for s in journey.get_journey(db, workspace_id=workspace_id, key=key).stages]
    return order


def _analysed(db: Database, workspace_id: uuid.UUID, journey_key: str | None) -> list[Interview]:
    """The analysed interviews (of one journey, if given), page by page."""
    found: list[Interview] = []
    cursor: str | None = None
    while True:
        page = list_interviews(
            db, workspace_id=workspace_id, journey_key=journey_key, cursor=cursor, limit=500
        )
        found += [i for i in page.items if i.analyzed_at is not None]
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor
