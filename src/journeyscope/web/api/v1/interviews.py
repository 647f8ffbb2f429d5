"""`/v1/interviews`: import interview transcripts, read their analysis, reports and exports.

Also the interview guide of a journey (`/v1/journeys/{journey_key}/guide`) and the question
checker (`/v1/questions/check`), which belong to the same work.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from journeyscope import interviews, nlp
from journeyscope.datetimes import IsoDateTime
from journeyscope.errors import InvalidInput, validation_problems
from journeyscope.inputs import StrictInput
from journeyscope.interviews import (
    MEDIA_TYPES,
    Document,
    Finding,
    Format,
    Interview,
    InterviewDetail,
    InterviewImport,
)
from journeyscope.journey import KEY_PATTERN
from journeyscope.nlp import QuestionKind
from journeyscope.text import StorableStr
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListAll, ListPage

router = APIRouter(tags=["interviews"], responses=PROBLEM_RESPONSES)

Name = Annotated[StorableStr, StringConstraints(min_length=1, max_length=200)]
BINARY = {"type": "string", "format": "binary"}


def _source(
    file: UploadFile | None, text: str | None, filename: str | None
) -> tuple[bytes | str, str]:
    """The transcript and its file name, from exactly one of ``file`` and ``text``."""
    if (file is None) == (text is None):
        raise InvalidInput(
            "Send the transcript either as a file or as text.",
            field="file",
            hint="upload it as the multipart field `file`, or put its text in `text`",
        )
    name = filename or (file.filename if file is not None else None) or ""
    name = PurePath(name.replace("\\", "/")).name[:255]
    return (file.file.read() if file is not None else text or ""), name


def _options(**given: object) -> InterviewImport:
    try:
        return InterviewImport.model_validate(given)
    except ValidationError as exc:
        raise InvalidInput(
            "The import options are not valid.", problems=validation_problems(exc.errors())
        ) from None


@router.post(
    "/v1/interviews",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        201: {"description": "Stored, not queued (`analyze=false`).", "model": InterviewDetail}
    },
)
def import_interview(
    db: DbDep,
    workspace_id: WorkspaceDep,
    response: Response,
    file: Annotated[
        UploadFile | None, File(description="The transcript file (send this or `text`).")
    ] = None,
    text: Annotated[
        StorableStr | None,
        Form(max_length=5_000_000, description="The transcript's text (instead of `file`)."),
    ] = None,
    filename: Annotated[
        StorableStr | None,
        Form(max_length=255, description="File name; default: the uploaded file's."),
    ] = None,
    journey: Annotated[
        str | None, Form(pattern=KEY_PATTERN, description="The journey it explores.")
    ] = None,
    participant: Annotated[Name | None, Form(description="Who was interviewed.")] = None,
    title: Annotated[Name | None, Form(description="Default: the file name.")] = None,
    format: Annotated[Format | None, Form(description="Detected when left out.")] = None,
    interviewer: Annotated[
        Name | None, Form(description="The interviewer's speaker label.")
    ] = None,
    redact: Annotated[bool, Form(description="Take PII out before storing.")] = True,
    redact_names: Annotated[
        list[Name] | None,
        Form(max_length=100, description="Names to take out (repeat the field, up to 100)."),
    ] = None,
    interviewed_at: Annotated[IsoDateTime | None, Form()] = None,
    analyze: Annotated[
        bool, Query(description="Queue it for analysis by the worker (default).")
    ] = True,
) -> InterviewDetail:
    """Import an interview transcript (multipart form) and queue it for analysis.

    Send the file as `file` (plain text, WebVTT, SRT, Teams DOCX, Otter, Rev or Whisper JSON;
    the format is detected unless `format` says it), or its text as `text` with an optional
    `filename`. Speaker roles are detected (or set by `interviewer`); with `redact` (the
    default) e-mails, phone and card numbers and the names in `redact_names`, `participant`
    and `interviewer` are taken out before anything is stored. Nothing is analysed on the
    request: answers 202 at once with the stored interview and its utterances, `status:
    "queued"` and a `Location` to poll; the worker analyses it and `GET
    /v1/interviews/{id}` then shows `status: "analysed"` (or `"failed"` with `failure`) with
    the annotations and findings. With `analyze=false` it is only stored: 201, `status:
    "imported"`.
    """
    source, name = _source(file, text, filename)
    options = _options(
        filename=name,
        journey_key=journey,
        participant=participant,
        title=title,
        format=format,
        interviewer=interviewer,
        redact=redact,
        redact_names=tuple(redact_names or ()),
        interviewed_at=interviewed_at,
    )
    stored = interviews.import_interview(
        db, workspace_id=workspace_id, source=source, options=options, analyze=analyze
    )
    if not analyze:
        response.status_code = status.HTTP_201_CREATED
    response.headers["Location"] = f"/v1/interviews/{stored.id}"
    return interviews.get_interview(db, workspace_id=workspace_id, interview_id=stored.id)


@router.get("/v1/interviews")
def list_interviews(
    db: DbDep,
    workspace_id: WorkspaceDep,
    cursor: Cursor = None,
    limit: Limit = 100,
    journey: Annotated[
        str | None,
        Query(pattern=KEY_PATTERN, description="Only the interviews of this journey."),
    ] = None,
) -> ListPage[Interview]:
    """List interviews, oldest import first; 404 if `journey` names no journey."""
    page = interviews.list_interviews(
        db, workspace_id=workspace_id, journey_key=journey, cursor=cursor, limit=limit
    )
    return ListPage(data=list(page.items), next_cursor=page.next_cursor)


@router.get("/v1/interviews/insights")
def interview_insights(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey: Annotated[
        str | None,
        Query(pattern=KEY_PATTERN, description="Only the interviews of this journey."),
    ] = None,
) -> interviews.Insights:
    """Across the analysed interviews: emotions per journey stage and recurring themes.

    `stages`: per stage, the customer turns about it, their mean valence (-1...1, the emotion
    curve), each emotion as [turns, mean intensity], and how many turns played a concern down.
    `themes`: findings' quotes clustered by meaning, largest first, each with its distinctive
    words, how many interviews it came up in, and its most representative quotes.
    404 if `journey` names no journey.
    """
    return interviews.interview_insights(db, workspace_id=workspace_id, journey_key=journey)


@router.get("/v1/interviews/{interview_id:uuid}")
def get_interview(
    db: DbDep, workspace_id: WorkspaceDep, interview_id: uuid.UUID
) -> InterviewDetail:
    """Get an interview with its utterances (with their annotations) and findings."""
    return interviews.get_interview(db, workspace_id=workspace_id, interview_id=interview_id)


@router.post("/v1/interviews/{interview_id:uuid}/analyze", status_code=status.HTTP_202_ACCEPTED)
def analyze_interview(
    db: DbDep, workspace_id: WorkspaceDep, interview_id: uuid.UUID
) -> InterviewDetail:
    """Queue an interview for analysis (again): 202, `status: "queued"`.

    The worker's new analysis replaces the earlier one whole; until then the earlier one is
    still shown. A `failed` interview starts again with a full set of attempts.
    """
    interviews.queue_analysis(db, workspace_id=workspace_id, interview_id=interview_id)
    return interviews.get_interview(db, workspace_id=workspace_id, interview_id=interview_id)


@router.get("/v1/interviews/{interview_id:uuid}/findings")
def list_findings(
    db: DbDep, workspace_id: WorkspaceDep, interview_id: uuid.UUID
) -> ListAll[Finding]:
    """List an interview's findings, each with the quotes behind it (empty before analysis)."""
    detail = interviews.get_interview(db, workspace_id=workspace_id, interview_id=interview_id)
    return ListAll(data=detail.findings)


def _file_responses(*formats: str) -> dict[int | str, dict[str, Any]]:
    content: dict[str, Any] = {}
    for fmt in formats:
        media = MEDIA_TYPES[fmt].split(";")[0]
        text = media.startswith("text/") or media == "application/json"
        content[media] = {"schema": {"type": "string"} if text else BINARY}
    return {200: {"description": "The file", "content": content}}


def _file(document: Document) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{document.filename}"'}
    return Response(document.content, media_type=document.media_type, headers=headers)


@router.get(
    "/v1/interviews/{interview_id:uuid}/report",
    response_class=Response,
    responses=_file_responses("json", "md", "html"),
)
def coaching_report(
    db: DbDep,
    workspace_id: WorkspaceDep,
    interview_id: uuid.UUID,
    format: Annotated[
        Literal["json", "md", "html"], Query(description="json, md (Markdown) or html.")
    ] = "html",
) -> Response:
    """The interviewer coaching report: talk time, question mix, missed probes, coverage.

    409 until the interview has been analysed.
    """
    return _file(
        interviews.coaching_report(
            db, workspace_id=workspace_id, interview_id=interview_id, fmt=format
        )
    )


@router.get(
    "/v1/interviews/{interview_id:uuid}/export",
    response_class=Response,
    responses=_file_responses("csv", "qdpx"),
)
def export_interview(
    db: DbDep,
    workspace_id: WorkspaceDep,
    interview_id: uuid.UUID,
    format: Annotated[
        Literal["csv", "qdpx"],
        Query(description="csv: one row per utterance; qdpx: a REFI-QDA project."),
    ] = "csv",
) -> Response:
    """Export an interview: CSV, or a REFI-QDA project for ATLAS.ti, NVivo and MAXQDA.

    The CSV has one row per utterance with its role, times, stage and emotions (cells that a
    spreadsheet would run as formulas are neutralised). The `.qdpx` holds the transcript as a
    text source with the annotations and findings as coded selections.
    """
    return _file(
        interviews.export_interview(
            db, workspace_id=workspace_id, interview_id=interview_id, fmt=format
        )
    )


@router.get(
    "/v1/journeys/{journey_key}/guide",
    response_class=Response,
    responses=_file_responses("md", "docx", "pdf"),
)
def interview_guide(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    format: Annotated[
        Literal["md", "docx", "pdf"], Query(description="md (Markdown), docx (Word) or pdf.")
    ] = "md",
) -> Response:
    """An interview guide for the journey: warm-up, open questions stage by stage, wrap-up.

    Each stage's questions ask about its touchpoints and customer actions without suggesting
    answers, with probes to follow strong or played-down feelings.
    """
    return _file(
        interviews.interview_guide(
            db, workspace_id=workspace_id, journey_key=journey_key, fmt=format
        )
    )


class QuestionIn(StrictInput):
    """A question to check."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[StorableStr, Field(min_length=1, max_length=2000)]


class QuestionCheckOut(BaseModel):
    """What kind of question it is, why, and an open rewrite where one helps."""

    kind: QuestionKind = Field(description="open is the kind to aim for.")
    rewrite: str | None = Field(description="A neutral, open version; null when not needed.")
    reason: str


@router.post("/v1/questions/check")
def check_question(body: QuestionIn, workspace_id: WorkspaceDep) -> QuestionCheckOut:
    """Check an interview question: open, closed, leading, double-barrelled or hypothetical.

    Answers with the kind, the reason in one line and, unless the question is already open,
    a neutral open-ended rewrite that keeps its topic words.
    """
    check = nlp.classify_question(body.text)
    return QuestionCheckOut(kind=check.kind, rewrite=check.rewrite, reason=check.reason)
