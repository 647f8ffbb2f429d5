"""Queries for interviews, their utterances and findings, always scoped to one workspace.

Rows become the domain types of ``models`` and ``analysis_models`` here; ORM objects never
leave this module. Utterances are written with one multi-row INSERT (and updated with one
bulk UPDATE by primary key), not row by row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from journeyscope.interviews import analysis_json
from journeyscope.interviews.analysis_models import (
    Finding,
    FindingKind,
    InterviewAnalysis,
    StageTag,
    UtteranceAnalysis,
)
from journeyscope.interviews.models import AnalysisStatus, Interview, StoredUtterance
from journeyscope.interviews.transcripts import Format, Role, Transcript
from journeyscope.nlp import QuestionKind
from journeyscope.store import Page, chunks, make_page, page_query, tables

InterviewRow = tables.Interview
UtteranceRow = tables.InterviewUtterance
FindingRow = tables.InterviewFinding
JourneyRow = tables.Journey

ANALYSIS_COLUMNS = (
    "annotation",
    "stage",
    "stage_confidence",
    "touchpoint",
    "touchpoint_confidence",
    "question_kind",
)
"""The utterance columns an analysis writes; re-analysis clears them all first."""


def journey_id_by_key(session: Session, workspace_id: uuid.UUID, key: str) -> uuid.UUID | None:
    """The id of the workspace's journey with ``key``."""
    stmt = select(JourneyRow.id).where(
        JourneyRow.workspace_id == workspace_id, JourneyRow.key == key
    )
    return session.scalars(stmt).first()


def get_interview(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> InterviewRow | None:
    """The workspace's interview with ``interview_id``."""
    stmt = select(InterviewRow).where(
        InterviewRow.workspace_id == workspace_id, InterviewRow.id == interview_id
    )
    return session.scalars(stmt).first()


def add_interview(session: Session, row: InterviewRow, transcript: Transcript) -> None:
    """Store a new interview row and its transcript's utterances (positions 0, 1, 2, ...)."""
    session.add(row)
    session.flush()
    values = [
        {
            "workspace_id": row.workspace_id,
            "interview_id": row.id,
            "position": position,
            "speaker": u.speaker,
            "role": u.role.value,
            "start_s": u.start,
            "end_s": u.end,
            "source_start": u.source_start,
            "source_end": u.source_end,
            "text": u.text,
        }
        for position, u in enumerate(transcript.utterances)
    ]
    session.execute(insert(UtteranceRow), values)


def _summary_query(workspace_id: uuid.UUID) -> Select[*tuple[Any, ...]]:
    utterances = (
        select(func.count()).where(UtteranceRow.interview_id == InterviewRow.id).scalar_subquery()
    )
    findings = (
        select(func.count()).where(FindingRow.interview_id == InterviewRow.id).scalar_subquery()
    )
    return (
        select(InterviewRow, JourneyRow.key, utterances, findings)
        .outerjoin(JourneyRow, JourneyRow.id == InterviewRow.journey_id)
        .where(InterviewRow.workspace_id == workspace_id)
    )


def _to_interview(row: Row[*tuple[Any, ...]]) -> Interview:
    stored: InterviewRow = row[0]
    return Interview(
        id=stored.id,
        title=stored.title,
        participant=stored.participant,
        journey_key=row[1],
        format=Format(stored.format),
        source_filename=stored.source_filename,
        language=stored.language,
        interviewed_at=stored.interviewed_at,
        imported_at=stored.imported_at,
        redacted=stored.redacted,
        warnings=list(stored.warnings),
        analyzed_at=stored.analyzed_at,
        model=stored.model,
        status=AnalysisStatus(stored.status),
        failure=stored.failure,
        utterance_count=row[2],
        finding_count=row[3],
    )


def interview_summary(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> Interview | None:
    """One interview as a list line, with its journey key and counts."""
    stmt = _summary_query(workspace_id).where(InterviewRow.id == interview_id)
    row = session.execute(stmt).first()
    return None if row is None else _to_interview(row)


def list_interviews(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    journey_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
    newest_first: bool = False,
) -> Page[Interview]:
    """A page of the workspace's interviews, oldest import first; only one journey's if given."""
    stmt = _summary_query(workspace_id)
    if journey_id is not None:
        stmt = stmt.where(InterviewRow.journey_id == journey_id)
    query = page_query(stmt, InterviewRow.id, cursor, limit, newest_first=newest_first)
    rows = list(session.execute(query))
    page = make_page(rows, limit, lambda r: r[0].id)
    return Page(items=[_to_interview(r) for r in page.items], next_cursor=page.next_cursor)


def stages_by_interview(
    session: Session, workspace_id: uuid.UUID, interview_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, ...]]:
    """The stages each interview's turns were tagged with, in the order first talked about."""
    found: dict[uuid.UUID, list[tuple[int, str]]] = {}
    for ids in chunks(list(interview_ids)):
        stmt = (
            select(UtteranceRow.interview_id, UtteranceRow.stage, func.min(UtteranceRow.position))
            .where(
                UtteranceRow.workspace_id == workspace_id,
                UtteranceRow.interview_id.in_(ids),
                UtteranceRow.stage.is_not(None),
            )
            .group_by(UtteranceRow.interview_id, UtteranceRow.stage)
        )
        for interview_id, stage, first in session.execute(stmt):
            if stage is not None:  # excluded by the query; this tells the type checker
                found.setdefault(interview_id, []).append((first, stage))
    return {key: tuple(stage for _, stage in sorted(pairs)) for key, pairs in found.items()}


def _utterance_rows(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> list[UtteranceRow]:
    stmt = (
        select(UtteranceRow)
        .where(UtteranceRow.workspace_id == workspace_id, UtteranceRow.interview_id == interview_id)
        .order_by(UtteranceRow.position)
    )
    return list(session.scalars(stmt))


def _stage_of(row: UtteranceRow) -> StageTag | None:
    if row.stage is None:
        return None
    return StageTag(
        stage=row.stage,
        confidence=row.stage_confidence or 0.0,
        touchpoint=row.touchpoint,
        touchpoint_confidence=row.touchpoint_confidence or 0.0,
    )


def _to_utterance(row: UtteranceRow) -> StoredUtterance:
    return StoredUtterance(
        position=row.position,
        speaker=row.speaker,
        role=Role(row.role),
        start=row.start_s,
        end=row.end_s,
        source_start=row.source_start,
        source_end=row.source_end,
        text=row.text,
        annotation=None
        if row.annotation is None
        else analysis_json.annotation_from_json(row.annotation),
        stage=_stage_of(row),
        question=None if row.question_kind is None else QuestionKind(row.question_kind),
    )


def utterances_of(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> list[StoredUtterance]:
    """An interview's utterances in transcript order, with their analysis."""
    return [_to_utterance(r) for r in _utterance_rows(session, workspace_id, interview_id)]


def findings_of(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> list[Finding]:
    """An interview's findings in the order the analysis gave them."""
    stmt = (
        select(FindingRow)
        .where(FindingRow.workspace_id == workspace_id, FindingRow.interview_id == interview_id)
        .order_by(FindingRow.position)
    )
    return [
        Finding(
            kind=FindingKind(r.kind),
            summary=r.summary,
            quotes=analysis_json.quotes_from_json(r.quotes),
            stage=r.stage,
            touchpoint=r.touchpoint,
            emotion=r.emotion,
            intensity=r.intensity,
            follow_ups=tuple(r.follow_ups),
        )
        for r in session.scalars(stmt)
    ]


def _analysis_values(found: UtteranceAnalysis | None) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(ANALYSIS_COLUMNS)
    if found is None:
        return values
    if found.annotation is not None:
        values["annotation"] = analysis_json.annotation_to_json(found.annotation)
    if found.stage is not None:
        values["stage"] = found.stage.stage
        values["stage_confidence"] = found.stage.confidence
        values["touchpoint"] = found.stage.touchpoint
        values["touchpoint_confidence"] = found.stage.touchpoint_confidence
    if found.question is not None:
        values["question_kind"] = found.question.value
    return values


def utterance_positions(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> dict[int, uuid.UUID]:
    """Utterance ids by position."""
    stmt = select(UtteranceRow.position, UtteranceRow.id).where(
        UtteranceRow.workspace_id == workspace_id, UtteranceRow.interview_id == interview_id
    )
    return dict(session.execute(stmt).all())


def replace_analysis(
    session: Session, row: InterviewRow, analysis: InterviewAnalysis, *, analyzed_at: dt.datetime
) -> None:
    """Write ``analysis`` over whatever analysis ``row`` had: every utterance and finding.

    Positions must exist (the service checks them first).
    """
    ids = utterance_positions(session, row.workspace_id, row.id)
    found = {u.position: u for u in analysis.utterances}
    updates = [{"id": id_, **_analysis_values(found.get(pos))} for pos, id_ in ids.items()]
    if updates:
        session.execute(update(UtteranceRow), updates)
    _replace_findings(session, row, analysis.findings)
    row.analyzed_at = analyzed_at
    row.model = analysis.model[:200]


def _replace_findings(session: Session, row: InterviewRow, findings: Sequence[Finding]) -> None:
    session.execute(
        delete(FindingRow).where(
            FindingRow.workspace_id == row.workspace_id, FindingRow.interview_id == row.id
        )
    )
    if not findings:
        return
    values = [
        {
            "workspace_id": row.workspace_id,
            "interview_id": row.id,
            "position": position,
            "kind": f.kind.value,
            "summary": f.summary,
            "stage": f.stage,
            "touchpoint": f.touchpoint,
            "emotion": f.emotion,
            "intensity": f.intensity,
            "quotes": analysis_json.quotes_to_json(f.quotes),
            "follow_ups": list(f.follow_ups),
        }
        for position, f in enumerate(findings)
    ]
    session.execute(insert(FindingRow), values)
