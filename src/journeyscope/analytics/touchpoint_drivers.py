"""The key drivers at one touchpoint: which survey and questions to ask :func:`key_drivers`.

A touchpoint's page should not make its reader name a survey and question ids. So
:func:`touchpoint_drivers` looks at the scored answers given at the touchpoint in the period
(``metric_fact``), takes the survey with the most of them that asks both an outcome score
(NPS, else CSAT, else CES) and at least one rating, and runs
:func:`~journeyscope.analytics.driver_queries.key_drivers` on that survey, limited to the
touchpoint: its ratings (the most answered first, at most ``MAX_LMG_DRIVERS``) as drivers
of that score.

Imports the store and reads the fact and survey tables directly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Final

from sqlalchemy import func, select

from journeyscope.analytics.driver_queries import FACT, SURVEY, KeyDrivers, key_drivers
from journeyscope.analytics.drivers import MAX_LMG_DRIVERS
from journeyscope.analytics.estimates import DEFAULT_MIN_N
from journeyscope.analytics.queries import check_period, touchpoint_id_of
from journeyscope.store import Database

TARGETS: Final = ("nps", "csat", "ces")
"""Outcome metrics, the first a survey asks being its target."""
DRIVER_METRIC: Final = "rating"

Answered = Counter[tuple[str, str, str]]
"""Answers per ``(survey key, question id, metric)``."""


def touchpoint_drivers(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey: str,
    touchpoint: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> KeyDrivers | None:
    """The key drivers of the touchpoint's outcome score in ``[since, until)`` (UTC days).

    ``None`` when no survey answered there asks an outcome score and a rating. Otherwise
    :func:`key_drivers`' result (LMG shares of R², no bootstrap), *too few* below ``min_n``
    complete answers.

    Raises:
        NotFound: No such journey or touchpoint in the workspace.
    """
    check_period(since, until)
    with db.transaction() as session:
        point = touchpoint_id_of(session, workspace_id, journey, touchpoint)
        c = FACT.c
        stmt = (
            select(SURVEY.c.key, c.question_id, c.metric, func.count())
            .join(SURVEY, SURVEY.c.id == c.survey_id)
            .where(c.workspace_id == workspace_id, c.touchpoint_id == point)
            .group_by(SURVEY.c.key, c.question_id, c.metric)
        )
        if since is not None:
            stmt = stmt.where(c.day >= since)
        if until is not None:
            stmt = stmt.where(c.day < until)
        answered: Answered = Counter({(s, q, m): int(n) for s, q, m, n in session.execute(stmt)})
    chosen = choose_questions(answered)
    if chosen is None:
        return None
    survey, target, drivers = chosen
    return key_drivers(
        db, workspace_id=workspace_id, survey=survey, target=target, drivers=drivers,
        journey=journey, touchpoint=touchpoint, since=since, until=until, min_n=min_n,
    )  # fmt: skip


def choose_questions(answered: Answered) -> tuple[str, str, list[str]] | None:
    """``(survey, target, drivers)`` of the most answered survey that has both, or ``None``."""
    per_survey: Counter[str] = Counter()
    for (survey, _, _), n in answered.items():
        per_survey[survey] += n
    for survey, _ in sorted(per_survey.items(), key=lambda kv: (-kv[1], kv[0])):
        mine = {(q, m): n for (s, q, m), n in answered.items() if s == survey}
        ratings = sorted(
            (q for q, m in mine if m == DRIVER_METRIC), key=lambda q: (-mine[q, DRIVER_METRIC], q)
        )
        targets = [
            q
            for metric in TARGETS
            for q, _ in sorted(
                ((q, n) for (q, m), n in mine.items() if m == metric), key=lambda x: (-x[1], x[0])
            )
        ]
        if ratings and targets:
            return survey, targets[0], ratings[:MAX_LMG_DRIVERS]
    return None
