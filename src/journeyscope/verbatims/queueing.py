"""Queueing a completed response's open-text answers, in the transaction that completes it.

The outbox rule: what must survive a crash is written with its cause. A response that commits
complete has its verbatims queued (``status`` ``queued``, due at once); a response that does
not commit queues nothing. The text itself is not copied here: the worker reads it from the
response, redacts it and stores what it analysed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Table
from sqlalchemy.orm import Session

from journeyscope.interviews import AnalysisStatus
from journeyscope.store import SKIP, new_id, tables, write_rows
from journeyscope.surveys import OpenTextQuestion, SurveyDefinition, visible_questions
from journeyscope.verbatims.models import CompletedResponse

VERBATIM: Final[Table] = tables.Verbatim.__table__  # type: ignore[assignment]


def open_answers(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[str]:
    """The ids of the open-text questions on the respondent's path with a non-blank answer."""
    return [
        question.id
        for question in visible_questions(definition, dict(answers))
        if isinstance(question, OpenTextQuestion)
        and isinstance(value := answers.get(question.id), str)
        and value.strip()
    ]


def queue_verbatims(
    session: Session,
    completed: Sequence[tuple[SurveyDefinition, Mapping[str, Any], CompletedResponse]],
) -> int:
    """Queue the open-text answers of completed responses for analysis, in ``session``; how many.

    One statement for them all, as a bulk load completes thousands at once. ``completed``:
    each response's survey definition, answers and identity. Queueing the same response twice
    queues nothing more (one verbatim per question).
    """
    rows = [
        {
            "id": new_id(),
            "workspace_id": response.workspace_id,
            "response_id": response.id,
            "question_id": question_id,
            "touchpoint_id": response.touchpoint_id,
            "answered_at": response.completed_at,
            "status": AnalysisStatus.QUEUED.value,
            "attempts": 0,
            "due_at": response.completed_at,
        }
        for definition, answers, response in completed
        for question_id in open_answers(definition, answers)
    ]
    write_rows(session, VERBATIM, rows, on_conflict=SKIP)
    return len(rows)
