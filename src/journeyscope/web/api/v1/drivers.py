"""`/v1/drivers`: which ratings explain the outcome score, and the competitor view of "why us".

A thin door over ``analytics.key_drivers``: computed on request from the survey's completed
answers (one row per response), so it costs one query over the survey's scored answers in the
period; narrow it with `since` and `until` on large surveys.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from journeyscope import analytics
from journeyscope.analytics import KeyDrivers
from journeyscope.journey import KEY_PATTERN
from journeyscope.web.api.v1.metrics import (
    DifferenceView,
    EstimateView,
    difference_view,
    estimate_view,
)
from journeyscope.web.deps import DbDep, WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES

router = APIRouter(tags=["analytics"], responses=PROBLEM_RESPONSES)
QUESTION = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$"


class DriverView(BaseModel):
    """One driver: share of R² with its bootstrap interval, performance and quadrant."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    driver: str = Field(description="The rating question's id.")
    importance: float = Field(description="Raw share of R² (the drivers' sum to r_squared).")
    share: float = Field(description="Share of R² rescaled to sum to 1 over the drivers.")
    low: float | None = Field(description="Bootstrap lower limit of importance (null: none).")
    high: float | None
    performance: float = Field(description="Mean rating over the rows used.")
    quadrant: Literal[
        "concentrate-here", "keep-up-the-good-work", "low-priority", "possible-overkill"
    ]


class FactorView(BaseModel):
    """A choice factor's share among those who considered no alternative and those who did."""

    model_config = ConfigDict(frozen=True)

    factor: str = Field(description="The factor's choice id (`other`: their own words).")
    only_us: EstimateView = Field(description="Share among those whose only choice was us.")
    considered: EstimateView = Field(description="Share among those who considered others.")
    difference: DifferenceView = Field(description="considered - only_us (Newcombe).")


class CompetitorViewOut(BaseModel):
    """The "why us" template's factors, by whether an alternative was considered."""

    model_config = ConfigDict(frozen=True)

    only_us: int = Field(description="Respondents who considered no alternative.")
    considered: int = Field(description="Respondents who considered at least one.")
    factors: list[FactorView]


class DriversView(BaseModel):
    """The key drivers of the target score, and the competitor view where the survey has it."""

    model_config = ConfigDict(frozen=True)

    survey: str
    target: str
    method: Literal["lmg", "johnson"]
    n: int = Field(description="Completed responses with the target and every driver answered.")
    min_n: int
    is_too_few: bool = Field(description="Fewer rows than min_n (or drivers + 2): no figures.")
    r_squared: float | None = Field(description="R² of the target on all drivers.")
    bootstrap: int
    confidence: float
    drivers: list[DriverView] = Field(description="Most important first.")
    competitor: CompetitorViewOut | None = Field(
        description="Null unless the survey has the post-purchase 'why us' questions "
        "`considered` and `factors`."
    )


def _view(found: KeyDrivers) -> DriversView:
    competitor = None
    if found.competitor is not None:
        competitor = CompetitorViewOut(
            only_us=found.competitor.only_us,
            considered=found.competitor.considered,
            factors=[
                FactorView(
                    factor=f.factor,
                    only_us=estimate_view(f.only_us),
                    considered=estimate_view(f.considered),
                    difference=difference_view(f.difference),
                )
                for f in found.competitor.factors
            ],
        )
    return DriversView(
        survey=found.survey,
        target=found.target,
        method=found.method,
        n=found.n,
        min_n=found.min_n,
        is_too_few=found.is_too_few,
        r_squared=found.r_squared,
        bootstrap=found.bootstrap,
        confidence=found.confidence,
        drivers=[DriverView.model_validate(d) for d in found.drivers],
        competitor=competitor,
    )


@router.get("/v1/drivers")
def key_drivers(
    db: DbDep,
    workspace_id: WorkspaceDep,
    survey: Annotated[str, Query(pattern=KEY_PATTERN, description="The survey's key.")],
    target: Annotated[
        str, Query(pattern=QUESTION, description="The outcome question's id (e.g. NPS).")
    ],
    drivers: Annotated[
        list[Annotated[str, Query(pattern=QUESTION)]],
        Query(min_length=1, max_length=12, description="Rating question ids (repeatable, 1-12)."),
    ],
    method: Annotated[
        Literal["lmg", "johnson"], Query(description="LMG (Shapley) or Johnson's weights.")
    ] = "lmg",
    journey: Annotated[
        str | None, Query(pattern=KEY_PATTERN, description="Only this journey's touchpoints.")
    ] = None,
    since: Annotated[dt.date | None, Query(description="First UTC day included.")] = None,
    until: Annotated[dt.date | None, Query(description="First UTC day left out.")] = None,
    bootstrap: Annotated[
        int, Query(ge=0, le=2000, description="Resamples for intervals (0: none).")
    ] = 0,
    confidence: Annotated[float, Query(gt=0, lt=1, description="The intervals' level.")] = 0.95,
    min_n: Annotated[
        int, Query(ge=0, le=1_000_000, description="Fewer complete rows: too few (n given).")
    ] = analytics.DEFAULT_MIN_N,
) -> DriversView:
    """How much each rating explains of the target score, with intervals and quadrants.

    Each completed response of the survey in the period is a row (its target score and
    driver ratings; rows missing any are dropped). `relative_importance` splits the R² over
    the drivers (LMG or Johnson), with percentile bootstrap intervals when `bootstrap` > 0;
    each driver's performance is its mean rating and its quadrant comes from
    importance x performance. Below `min_n` rows the answer is too few, with `n`. Surveys with
    the post-purchase "why us" questions also get the competitor view. 404 for an unknown
    survey or journey; 422 (problem+json) naming a bad parameter or a question without scored
    answers.
    """
    found = analytics.key_drivers(
        db,
        workspace_id=workspace_id,
        survey=survey,
        target=target,
        drivers=drivers,
        method=method,
        journey=journey,
        since=since,
        until=until,
        bootstrap=bootstrap,
        confidence=confidence,
        min_n=min_n,
    )
    return _view(found)
