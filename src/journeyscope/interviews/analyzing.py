"""Analysing a stored interview: load it, run the analysis outside any transaction, store it.

The analysis (emotions, stages of the interview's journey, question kinds, findings) can take
seconds; it runs between two short transactions so it never holds the database's write lock.
Analysing again replaces the earlier analysis whole, so the use-case is idempotent.
"""

from __future__ import annotations

import uuid

from journeyscope import journey
from journeyscope.interviews.analysis import analyze_transcript
from journeyscope.interviews.models import InterviewDetail
from journeyscope.interviews.service import get_interview, load_interview, save_analysis
from journeyscope.store import Database


def analyze_interview(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> InterviewDetail:
    """Analyse a stored interview with its journey's stages and store the result.

    Returns:
        The interview with its new annotations and findings; ``analyzed_at`` is set.

    Raises:
        NotFound: No such interview in this workspace.
    """
    stored = load_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    key = stored.interview.journey_key
    explored = None if key is None else journey.get_journey(db, workspace_id=workspace_id, key=key)
    analysis = analyze_transcript(stored.transcript, journey=explored)
    save_analysis(db, workspace_id=workspace_id, interview_id=interview_id, analysis=analysis)
    return get_interview(db, workspace_id=workspace_id, interview_id=interview_id)
