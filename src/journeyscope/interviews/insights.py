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
from journeyscope.interviews.service import StoredInterview, list_interviews, load_interview
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
    for stored in load_analysed(db, workspace_id=workspace_id, journey_key=journey_key):
        if stored.analysis is not None:
            analyses.append((str(stored.interview.id), stored.analysis))
            key = stored.interview.journey_key
            explored += [key] if key else []
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


def load_analysed(
    db: Database, *, workspace_id: uuid.UUID, journey_key: str | None = None
) -> list[StoredInterview]:
    """Every analysed interview (of one journey, if given) with its analysis, oldest first.

    Listed page by page, each loaded in its own short transaction.

    Raises:
        NotFound: ``journey_key`` names no journey of this workspace.
    """
    found: list[StoredInterview] = []
    cursor: str | None = None
    while True:
        page = list_interviews(
            db, workspace_id=workspace_id, journey_key=journey_key, cursor=cursor, limit=500
        )
        for interview in page.items:
            if interview.analyzed_at is not None:
                stored = load_interview(db, workspace_id=workspace_id, interview_id=interview.id)
                found += [stored] if stored.analysis is not None else []
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor
