"""`/v1/verbatims`: survey open-text answers rolled up per journey stage or touchpoint."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from journeyscope import verbatims
from journeyscope.datetimes import IsoDateTime
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["verbatims"], responses=PROBLEM_RESPONSES)


@router.get("/v1/verbatims/summary")
def verbatim_summary(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey: Annotated[str, Query(pattern=KEY_PATTERN, description="The journey's key.")],
    by: Annotated[
        Literal["stage", "touchpoint"], Query(description="Group by stage or touchpoint.")
    ] = "stage",
    since: Annotated[
        IsoDateTime | None, Query(description="Answered at or after (ISO 8601 with zone).")
    ] = None,
    until: Annotated[
        IsoDateTime | None, Query(description="Answered before (ISO 8601 with zone).")
    ] = None,
) -> verbatims.VerbatimSummary:
    """Open-text answers of a journey per stage or touchpoint: emotion mix, themes, examples.

    Counts every answer the worker has analysed in the period: how many, their mean valence
    (-1...1), the strongest emotion of each as a mix, and how many played a concern down.
    Themes (similar answers, named by their most distinctive words) are found in each group's
    latest 300 answers and shown with the answers nearest their centre, redacted of e-mails,
    phone and card numbers. `pending` answers are still queued for analysis (not counted
    yet); `failed` ones gave up. 404 if `journey` names no journey; 422 (problem+json) for an
    unknown `by`, a malformed date-time or a `since` not before `until`.
    """
    return verbatims.verbatim_summary(
        db, workspace_id=workspace_id, journey_key=journey, by=by, since=since, until=until
    )
