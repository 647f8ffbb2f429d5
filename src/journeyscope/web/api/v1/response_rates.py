"""`/v1/response-rates`: AAPOR response rates of the invitations, per channel, touchpoint or survey.

A thin door over ``orchestration.response_rates``: one grouped query over the invitations
planned in the period, each given one AAPOR disposition (the mapping is documented in
``docs/analytics.md``), with the counts behind every rate.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from journeyscope import orchestration
from journeyscope.orchestration import RateDimension, ResponseRatesReport
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["invitations"], responses=PROBLEM_RESPONSES)


@router.get("/v1/response-rates")
def response_rates(
    db: DbDep,
    workspace_id: WorkspaceDep,
    by: Annotated[
        RateDimension | None,
        Query(description="Group by channel, touchpoint or survey; default: only the total."),
    ] = None,
    since: Annotated[
        dt.date | None, Query(description="First UTC day the invitations were planned.")
    ] = None,
    until: Annotated[dt.date | None, Query(description="First UTC day left out.")] = None,
) -> ResponseRatesReport:
    """AAPOR response rates (RR1-RR6, COOP1-4, REF1-3, CON1-3) with the counts behind them.

    Each invitation planned in the period gets one disposition: completed (I), started but
    not completed (P), opened with nothing answered or unsubscribed after sending (R), sent
    and never opened (NC), undelivered, expired or still pending (UO); suppressed ones were
    never fielded and are counted beside the rates. 422 (problem+json) naming a bad
    parameter, or `since` when the period is empty.
    """
    return orchestration.response_rates(
        db, workspace_id=workspace_id, by=by, since=since, until=until
    )
