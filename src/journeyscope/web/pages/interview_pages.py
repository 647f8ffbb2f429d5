"""The interviews of the dashboard: ``/app/interviews``, a transcript, its coaching report.

Read-only pages every role may open (``signed_in.require_role``); every call passes
``person.workspace.id``, so another workspace's interview is simply not found (404). The
transcript keeps one anchor per turn, ``#turn-N`` (N: the 0-based position), which the map's
quotes link to and CSS ``:target`` highlights. Emotions are written out (label and
intensity), never shown by colour alone. The coaching report is the interviews domain's own
HTML (the same template as the downloadable file), put inside the signed-in layout.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request, Response
from markupsafe import Markup

from journeyscope import interviews
from journeyscope.errors import JourneyscopeError
from journeyscope.interviews import FindingKind, InterviewDetail
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.signed_in import Viewer, page_context
from journeyscope.workspaces import SignedIn

router = APIRouter(include_in_schema=False)
INTERVIEWS: Final = "/app/interviews"
PAGE_SIZE: Final = 50
STRONG: Final = 0.5
"""An emotion at least this intense is marked strong (in words, and with a heavier mark)."""
KIND_NAMES: Final = {
    FindingKind.STRENGTH: "Strengths",
    FindingKind.WEAKNESS: "Weaknesses",
    FindingKind.OPPORTUNITY: "Opportunities",
    FindingKind.CHURN_RISK: "Churn risks",
}
"""The findings the viewer lists, in this order; probes are shown on their turns instead."""
Cursor = Annotated[str | None, Query(max_length=64)]


@dataclass(slots=True)
class TurnNotes:
    """What the viewer adds to one turn: the probes to ask, the findings that quote it."""

    probes: list[str] = field(default_factory=list)
    findings: list[tuple[int, FindingKind]] = field(default_factory=list)


def turn_notes(detail: InterviewDetail) -> dict[int, TurnNotes]:
    """Each quoted turn's suggested probes and the findings (by index) that quote it."""
    notes: dict[int, TurnNotes] = {}
    for index, finding in enumerate(detail.findings):
        for quote in finding.quotes:
            note = notes.setdefault(quote.position, TurnNotes())
            if finding.kind is FindingKind.PROBE:
                note.probes.extend(f for f in finding.follow_ups if f not in note.probes)
            elif (index, finding.kind) not in note.findings:
                note.findings.append((index, finding.kind))
    return notes


@router.get(INTERVIEWS)
def interviews_page(request: Request, person: Viewer, cursor: Cursor = None) -> Response:
    """The workspace's interviews, newest import first, :data:`PAGE_SIZE` a page."""
    db = request.app.state.db
    try:
        page = interviews.list_interviews(
            db, workspace_id=person.workspace.id, cursor=cursor, limit=PAGE_SIZE, newest_first=True
        )
    except JourneyscopeError as exc:
        return refused(request, person, "No such page", exc)
    stages = interviews.interview_stages(
        db, workspace_id=person.workspace.id, interview_ids=[i.id for i in page.items]
    )
    context = page_context(person, page=page, stages=stages, first=cursor is None)
    return secure(templates.TemplateResponse(request, "app/interviews.html", context))


@router.get(INTERVIEWS + "/{interview_id}")
def interview_page(request: Request, person: Viewer, interview_id: uuid.UUID) -> Response:
    """One transcript: emotions per turn, played-down turns with probes, findings by kind."""
    try:
        detail = interviews.get_interview(
            request.app.state.db, workspace_id=person.workspace.id, interview_id=interview_id
        )
    except JourneyscopeError as exc:
        return refused(request, person, "No interview", exc)
    context = page_context(
        person,
        interview=detail,
        notes=turn_notes(detail),
        kinds=KIND_NAMES,
        strong=STRONG,
    )
    return secure(templates.TemplateResponse(request, "app/interview.html", context))


@router.get(INTERVIEWS + "/{interview_id}/coaching")
def coaching_page(request: Request, person: Viewer, interview_id: uuid.UUID) -> Response:
    """The interviewer coaching report of an analysed interview (409 before its analysis)."""
    db = request.app.state.db
    transcript = f"{request.scope.get('root_path', '')}{INTERVIEWS}/{interview_id}"
    try:
        detail = interviews.get_interview(
            db, workspace_id=person.workspace.id, interview_id=interview_id
        )
        report = interviews.coaching_report_html(
            db, workspace_id=person.workspace.id, interview_id=interview_id, turns=transcript
        )
    except JourneyscopeError as exc:
        return refused(request, person, "No coaching report", exc)
    # Escaped where it was rendered: the interviews domain's template autoescapes every word.
    context = page_context(person, interview=detail, report=Markup(report))  # noqa: S704
    return secure(templates.TemplateResponse(request, "app/coaching.html", context))


def refused(request: Request, person: SignedIn, heading: str, exc: JourneyscopeError) -> Response:
    """The error page of a signed-in page, with the domain error's words and status."""
    text = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
    context = page_context(person, heading=heading, text=text)
    page = templates.TemplateResponse(request, "app/refused.html", context, status_code=exc.status)
    return secure(page)
