"""Interview use-cases: import a transcript, list and read interviews, store their analysis.

Each function is scoped to one workspace and owns its transactions. Import parses, sets
speaker roles and redacts *before* anything is stored, so text that was redacted never reaches
the database. Analysis runs between two short transactions (load, then save), never inside
one: a slow model must not hold the database's write lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.orm import Session

from journeyscope.errors import InvalidInput, NotFound
from journeyscope.interviews import repo
from journeyscope.interviews.analysis_models import InterviewAnalysis, UtteranceAnalysis
from journeyscope.interviews.formats import SUFFIXES, parse_transcript
from journeyscope.interviews.models import (
    AnalysisStatus,
    Interview,
    InterviewDetail,
    InterviewImport,
)
from journeyscope.interviews.queue import INTERVIEWS, AnalysisClaim
from journeyscope.interviews.redaction import redact_transcript
from journeyscope.interviews.roles import detect_roles
from journeyscope.interviews.transcripts import Transcript, Utterance
from journeyscope.store import Database, Page, tables


@dataclass(frozen=True, slots=True)
class StoredInterview:
    """A stored interview as the analysis and the reports need it.

    Attributes:
        interview: The stored interview's summary.
        transcript: Its utterances, as stored (redacted if it was imported so).
        analysis: The stored analysis, or ``None`` before the first one.
    """

    interview: Interview
    transcript: Transcript
    analysis: InterviewAnalysis | None


def not_found(interview_id: uuid.UUID) -> NotFound:
    """The error for an interview id this workspace does not have."""
    return NotFound(
        f"There is no interview {interview_id} in this workspace.",
        hint="list interviews with GET /v1/interviews or `journeyscope interviews list`",
    )


def _interview_row(
    session: Session, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> tables.Interview:
    row = repo.get_interview(session, workspace_id, interview_id)
    if row is None:
        raise not_found(interview_id)
    return row


def _journey_id(session: Session, workspace_id: uuid.UUID, key: str | None) -> uuid.UUID | None:
    if key is None:
        return None
    found = repo.journey_id_by_key(session, workspace_id, key)
    if found is None:
        raise InvalidInput(
            f"There is no journey {key!r} in this workspace.",
            field="journey",
            hint="use an existing journey's key (`journeyscope journey list`), or leave it out",
        )
    return found


def read_transcript(source: bytes | str, options: InterviewImport) -> Transcript:
    """Parse, set roles and (if asked) redact: the transcript exactly as it will be stored.

    Raises:
        InvalidInput: The source is not a transcript (the parser's words, naming the file),
            or a speaker named in ``interviewer``/``roles`` is not in it.
    """
    name = options.filename or "the transcript"
    fmt = options.format or SUFFIXES.get(PurePath(options.filename).suffix.lower())
    try:
        transcript = parse_transcript(source, format=fmt)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: {exc.message}", field="file", hint=exc.hint) from None
    transcript = detect_roles(
        transcript, interviewer=options.interviewer, overrides=dict(options.roles)
    )
    if not options.redact:
        return transcript
    names = [*options.redact_names, options.participant, options.interviewer]
    return redact_transcript(transcript, names=[n for n in names if n])


def _title(options: InterviewImport) -> str:
    if options.title:
        return options.title
    stem = PurePath(options.filename).stem.strip()
    return (stem or options.participant or "Interview")[:200]


def import_interview(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    source: bytes | str,
    options: InterviewImport,
    analyze: bool = True,
) -> Interview:
    """Import one transcript (a file's bytes or text) as a new interview.

    The transcript is parsed (format from ``options.format``, the file name's extension, or
    its content), speaker roles are set, and PII is redacted when ``options.redact`` is set;
    only then is anything stored. Warnings from each step are kept with the interview. With
    ``analyze`` the interview is queued for the worker's analysis in the same transaction
    (status ``queued``; nothing is analysed here), else it is only stored (``imported``).

    Raises:
        InvalidInput: Unreadable, empty or malformed transcript (``field="file"``), unknown
            journey (``field="journey"``), or an unknown speaker in ``interviewer``/``roles``.
    """
    transcript = read_transcript(source, options)
    with db.transaction() as session:
        row = tables.Interview(
            workspace_id=workspace_id,
            journey_id=_journey_id(session, workspace_id, options.journey_key),
            title=_title(options),
            participant=options.participant,
            format=transcript.format.value,
            source_filename=options.filename,
            language=options.language,
            interviewed_at=options.interviewed_at,
            redacted=options.redact,
            warnings=list(transcript.warnings),
            status=AnalysisStatus.QUEUED if analyze else AnalysisStatus.IMPORTED,
            due_at=db.clock.now() if analyze else None,
        )
        repo.add_interview(session, row, transcript)
        found = repo.interview_summary(session, workspace_id, row.id)
        assert found is not None  # noqa: S101 - just written in this transaction
        return found


def list_interviews(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
    newest_first: bool = False,
) -> Page[Interview]:
    """A page of interviews, oldest import first; only those of ``journey_key`` if given.

    ``newest_first``: the latest import first (the dashboard's list); the cursor then walks
    back in time.

    Raises:
        NotFound: ``journey_key`` names no journey of this workspace.
    """
    with db.transaction() as session:
        journey_id = None
        if journey_key is not None:
            journey_id = repo.journey_id_by_key(session, workspace_id, journey_key)
            if journey_id is None:
                raise NotFound(
                    f"There is no journey {journey_key!r} in this workspace.",
                    hint="list journeys with GET /v1/journeys or `journeyscope journey list`",
                )
        return repo.list_interviews(
            session,
            workspace_id,
            journey_id=journey_id,
            cursor=cursor,
            limit=limit,
            newest_first=newest_first,
        )


def interview_stages(
    db: Database, *, workspace_id: uuid.UUID, interview_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, ...]]:
    """The journey stages each interview talks about (stage keys, first mentioned first).

    Read from the analysis's stage tags, so an interview not analysed yet has none (and is
    left out of the answer); ids of another workspace are left out too.
    """
    with db.transaction() as session:
        return repo.stages_by_interview(session, workspace_id, interview_ids)


def get_interview(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> InterviewDetail:
    """One interview with its utterances (and their annotations) and findings.

    Raises:
        NotFound: No such interview in this workspace.
    """
    with db.transaction() as session:
        summary = repo.interview_summary(session, workspace_id, interview_id)
        if summary is None:
            raise not_found(interview_id)
        return InterviewDetail(
            **summary.model_dump(),
            utterances=repo.utterances_of(session, workspace_id, interview_id),
            findings=repo.findings_of(session, workspace_id, interview_id),
        )


def load_interview(
    db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID
) -> StoredInterview:
    """An interview's transcript and stored analysis, for analysis, reports and exports.

    Raises:
        NotFound: No such interview in this workspace.
    """
    detail = get_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    utterances = tuple(
        Utterance(
            speaker=u.speaker,
            text=u.text,
            role=u.role,
            start=u.start,
            end=u.end,
            source_start=u.source_start,
            source_end=u.source_end,
        )
        for u in detail.utterances
    )
    transcript = Transcript(
        format=detail.format, utterances=utterances, warnings=tuple(detail.warnings)
    )
    summary = Interview.model_validate(detail.model_dump(exclude={"utterances", "findings"}))
    return StoredInterview(summary, transcript, _stored_analysis(detail))


def _stored_analysis(detail: InterviewDetail) -> InterviewAnalysis | None:
    if detail.analyzed_at is None:
        return None
    utterances = tuple(
        UtteranceAnalysis(
            position=u.position, annotation=u.annotation, stage=u.stage, question=u.question
        )
        for u in detail.utterances
        if u.annotation is not None or u.stage is not None or u.question is not None
    )
    return InterviewAnalysis(
        utterances=utterances, findings=tuple(detail.findings), model=detail.model or ""
    )


def _check_positions(analysis: InterviewAnalysis, count: int) -> None:
    bad = sorted({u.position for u in analysis.utterances if not 0 <= u.position < count})
    bad += sorted(
        {q.position for f in analysis.findings for q in f.quotes if not 0 <= q.position < count}
    )
    if bad:
        raise InvalidInput(
            f"The analysis refers to utterance positions {bad} of an interview with {count}.",
            field="analysis",
            hint="analyse the interview's stored transcript (positions count from 0)",
        )


def save_analysis(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    interview_id: uuid.UUID,
    analysis: InterviewAnalysis,
) -> Interview:
    """Store ``analysis`` in place of any earlier one; the interview is then ``analysed``.

    Every utterance's annotation, stage and question kind is replaced (cleared where the new
    analysis has nothing), and the findings are replaced as a whole. A worker analysing the
    interview meanwhile loses its claim (its result is not stored over this one).

    Raises:
        NotFound: No such interview in this workspace.
        InvalidInput: The analysis names utterance positions the interview does not have.
    """
    with db.transaction() as session:
        row = _interview_row(session, workspace_id, interview_id)
        _replace(session, row, analysis, now=db.clock.now())
        row.status = AnalysisStatus.ANALYSED
        row.claimed_until = None
        row.failure = None
        session.flush()
        found = repo.interview_summary(session, workspace_id, row.id)
        assert found is not None  # noqa: S101 - read in this transaction
        return found


def save_claimed_analysis(db: Database, claim: AnalysisClaim, analysis: InterviewAnalysis) -> bool:
    """Store the analysis a worker made under ``claim``; ``False`` if the claim was lost.

    The interview becomes ``analysed`` in the same transaction; a worker whose lease ran out
    and whose row was claimed again stores nothing.
    """
    with db.transaction() as session:
        if not INTERVIEWS.finish(session, claim):
            return False
        row = _interview_row(session, claim.workspace_id, claim.id)
        _replace(session, row, analysis, now=db.clock.now())
        return True


def _replace(
    session: Session, row: tables.Interview, analysis: InterviewAnalysis, *, now: dt.datetime
) -> None:
    _check_positions(analysis, len(repo.utterance_positions(session, row.workspace_id, row.id)))
    repo.replace_analysis(session, row, analysis, analyzed_at=now)


def queue_analysis(db: Database, *, workspace_id: uuid.UUID, interview_id: uuid.UUID) -> Interview:
    """Queue an interview for the worker's analysis (again), due now; the first attempt.

    The stored analysis, if any, stays until the new one replaces it whole.

    Raises:
        NotFound: No such interview in this workspace.
    """
    with db.transaction() as session:
        row = _interview_row(session, workspace_id, interview_id)
        table = tables.Interview
        INTERVIEWS.queue(
            session,
            (table.id == row.id) & (table.workspace_id == workspace_id),
            now=db.clock.now(),
        )
        session.expire(row)
        found = repo.interview_summary(session, workspace_id, row.id)
        assert found is not None  # noqa: S101 - read in this transaction
        return found
