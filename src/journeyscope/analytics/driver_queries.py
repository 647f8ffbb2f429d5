"""Key drivers of a survey's completed answers, and the competitor view of "why us".

**Drivers.** Each completed response is a row: its score on the ``target`` question (NPS,
likelihood, any scored question) and its ratings on the ``drivers`` questions, read from
``metric_fact`` (one row per scored answer; rows missing any of the columns are dropped).
:func:`~journeyscope.analytics.drivers.relative_importance` splits the R² over the drivers
(LMG or Johnson, with bootstrap intervals); each driver's performance is its mean rating over
the same rows; :func:`~journeyscope.analytics.quadrants.place_drivers` places it on the
importance-performance grid. Below ``min_n`` rows (or ``drivers + 2``, the fewest a
regression can be fitted on) the result is *too few*, with ``n``.

**Competitor view.** When the survey's published definition has the post-purchase "why us"
template's two multi-choice questions (``considered``: the alternatives considered, with the
choice ``none`` for "you were my only choice"; ``factors``: what mattered most), each
factor's share is compared between those who considered no alternative and those who
considered at least one (a named competitor or "another company"), with Wilson intervals and
Newcombe's interval for the difference. Other surveys have no competitor view (``None``).

Imports the store and reads the survey, response and fact tables directly (analytics sits
below those domains).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any, Final

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from journeyscope.analytics.differences import Difference, compare_proportions
from journeyscope.analytics.drivers import (
    MAX_LMG_DRIVERS,
    ImportanceMethod,
    Interval,
    relative_importance,
)
from journeyscope.analytics.estimates import DEFAULT_MIN_N, Estimate, estimate_proportion
from journeyscope.analytics.quadrants import Quadrant, place_drivers
from journeyscope.analytics.queries import (
    TOUCHPOINT,
    check_period,
    journey_id_of,
    touchpoint_id_of,
)
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.store import Database, tables

FACT: Final[Table] = tables.MetricFact.__table__  # type: ignore[assignment]
RESPONSE: Final[Table] = tables.Response.__table__  # type: ignore[assignment]
SURVEY: Final[Table] = tables.Survey.__table__  # type: ignore[assignment]
VERSION: Final[Table] = tables.SurveyVersion.__table__  # type: ignore[assignment]
CONSIDERED: Final = "considered"
"""The "why us" template's question: which alternatives were considered."""
FACTORS: Final = "factors"
"""The "why us" template's question: which factors mattered most."""
ONLY_US: Final = "none"
"""The ``considered`` choice "None, you were my only choice"."""
OTHER: Final = "other"


@dataclass(frozen=True, slots=True)
class DriverResult:
    """One driver: its share of R² (with interval), its performance and its quadrant.

    Attributes:
        driver: The rating question's id.
        importance: Its raw share of R² (the drivers' sum to ``r_squared``).
        share: Its share of R² rescaled to sum to 1 over the drivers.
        low: Bootstrap lower limit of ``importance`` (``None`` without a bootstrap).
        high: Bootstrap upper limit of ``importance``.
        performance: Its mean rating over the rows used.
        quadrant: Its importance-performance quadrant (cut lines at the means).
    """

    driver: str
    importance: float
    share: float
    low: float | None
    high: float | None
    performance: float
    quadrant: Quadrant


@dataclass(frozen=True, slots=True)
class FactorShare:
    """One choice factor's share among those who considered no alternative and those who did.

    ``difference`` is ``considered - only_us`` (Newcombe's interval, pooled z test).
    """

    factor: str
    only_us: Estimate
    considered: Estimate
    difference: Difference


@dataclass(frozen=True, slots=True)
class CompetitorView:
    """Which factors those who chose only us cite, against those who considered others.

    Attributes:
        only_us: Respondents whose only choice was us (``considered`` = ``none``).
        considered: Respondents who considered at least one alternative.
        factors: Each factor's shares, in the question's order (``other``: their own words).
    """

    only_us: int
    considered: int
    factors: tuple[FactorShare, ...]


@dataclass(frozen=True, slots=True)
class KeyDrivers:
    """The key drivers of ``target`` in one survey's completed responses.

    Attributes:
        survey: The survey's key.
        target: The outcome question's id.
        method: ``lmg`` or ``johnson``.
        n: Responses with every column answered (the rows used).
        min_n: Fewer rows than this (or than drivers + 2) is too few.
        is_too_few: Then ``r_squared`` is ``None`` and ``drivers`` empty.
        r_squared: R² of the least-squares model of the target on all drivers.
        drivers: Most important first.
        bootstrap: Bootstrap resamples behind the intervals (0: none).
        confidence: The intervals' level.
        competitor: The competitor view, or ``None`` when the survey has no "why us" questions.
    """

    survey: str
    target: str
    method: str
    n: int
    min_n: int
    is_too_few: bool
    r_squared: float | None
    drivers: tuple[DriverResult, ...]
    bootstrap: int
    confidence: float
    competitor: CompetitorView | None


@dataclass(frozen=True, slots=True)
class _Scope:
    """Which completed responses count."""

    survey_id: uuid.UUID
    journey_id: uuid.UUID | None
    since: dt.date | None
    until: dt.date | None
    touchpoint_id: uuid.UUID | None = None


def _check(target: str, drivers: Sequence[str], bootstrap: int) -> None:
    if not drivers:
        raise InvalidInput("Name at least one driver question.", field="drivers")
    if len(set(drivers)) != len(drivers):
        raise InvalidInput("A driver is named twice.", field="drivers")
    if len(drivers) > MAX_LMG_DRIVERS:
        raise InvalidInput(
            f"{len(drivers)} drivers; at most {MAX_LMG_DRIVERS} are analysed together.",
            field="drivers",
            hint="group related ratings, or analyse them in smaller sets",
        )
    if target in drivers:
        raise InvalidInput("The target cannot also be a driver.", field="target")
    if not 0 <= bootstrap <= 2000:
        raise InvalidInput("bootstrap is 0 (none) to 2000 resamples.", field="bootstrap")


def _survey_id(session: Session, workspace_id: uuid.UUID, key: str) -> uuid.UUID:
    found: uuid.UUID | None = session.scalar(
        select(SURVEY.c.id).where(SURVEY.c.workspace_id == workspace_id, SURVEY.c.key == key)
    )
    if found is None:
        raise NotFound(f"There is no survey {key!r} in this workspace.", field="survey")
    return found


def _scoped(stmt: Any, table: Table, scope: _Scope, day: Any, bounds: tuple[Any, Any]) -> Any:
    """``stmt`` limited to the scope's survey and journey, and ``bounds[0] <= day < bounds[1]``."""
    stmt = stmt.where(table.c.survey_id == scope.survey_id)
    if scope.touchpoint_id is not None:
        stmt = stmt.where(table.c.touchpoint_id == scope.touchpoint_id)
    if scope.journey_id is not None:
        stmt = stmt.join(TOUCHPOINT, TOUCHPOINT.c.id == table.c.touchpoint_id).where(
            TOUCHPOINT.c.journey_id == scope.journey_id
        )
    if bounds[0] is not None:
        stmt = stmt.where(day >= bounds[0])
    if bounds[1] is not None:
        stmt = stmt.where(day < bounds[1])
    return stmt


def _rows(
    session: Session, workspace_id: uuid.UUID, scope: _Scope, columns: Sequence[str]
) -> dict[str, list[float]]:
    """The columns of every response that answered them all (listwise deletion)."""
    c = FACT.c
    stmt = select(c.response_id, c.question_id, c.value).where(
        c.workspace_id == workspace_id, c.question_id.in_(columns)
    )
    by_response: dict[uuid.UUID, dict[str, float]] = {}
    seen: set[str] = set()
    for response_id, question, value in session.execute(
        _scoped(stmt, FACT, scope, c.day, (scope.since, scope.until))
    ):
        by_response.setdefault(response_id, {})[question] = float(value)
        seen.add(question)
    missing = [name for name in columns if name not in seen]
    if missing:
        field = "target" if missing[0] == columns[0] else "drivers"
        raise InvalidInput(
            f"No scored answers to {missing[0]!r} in this survey and period.",
            field=field,
            hint="name NPS, CSAT, CES or rating questions of the survey by their ids",
        )
    full = [answers for answers in by_response.values() if len(answers) == len(columns)]
    return {name: [answers[name] for answers in full] for name in columns}


def _results(frame: Mapping[str, list[float]], drivers: Sequence[str], found: Any) -> Any:
    performance = {d: fmean(frame[d]) for d in drivers}
    total = sum(found.importance.values())
    places = place_drivers(found.importance, performance)
    intervals: Mapping[str, Interval] = found.intervals or {}
    return tuple(
        DriverResult(
            p.driver,
            p.importance,
            p.importance / total if total > 0 else 0.0,
            intervals[p.driver].low if p.driver in intervals else None,
            intervals[p.driver].high if p.driver in intervals else None,
            p.performance,
            p.quadrant,
        )
        for p in places
    )


def key_drivers(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    survey: str,
    target: str,
    drivers: Sequence[str],
    method: ImportanceMethod = "lmg",
    journey: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    bootstrap: int = 0,
    confidence: float = 0.95,
    min_n: int = DEFAULT_MIN_N,
    touchpoint: str | None = None,
) -> KeyDrivers:
    """How much each rating explains of the target score, in one survey's completed answers.

    Args:
        db: The database.
        workspace_id: Whose responses.
        survey: The survey's key (question ids are the survey's).
        target: The outcome question's id (e.g. the NPS question).
        drivers: The rating questions' ids (1 to 12).
        method: ``lmg`` (Shapley decomposition of R²) or ``johnson`` (relative weights).
        journey: Only responses at this journey's touchpoints.
        since: First UTC day (of completion) included.
        until: First UTC day left out.
        bootstrap: Row resamples for percentile intervals (0: none; seeded, repeatable).
        confidence: The intervals' level.
        min_n: Fewer complete rows than this is too few (``n`` is given).
        touchpoint: Only responses at this touchpoint of ``journey`` (its key).

    Raises:
        NotFound: No such survey, journey or touchpoint.
        InvalidInput: Bad drivers or target (naming the argument), or a question without
            scored answers.
    """
    _check(target, drivers, bootstrap)
    check_period(since, until)
    if touchpoint is not None and journey is None:
        raise InvalidInput("A touchpoint is named within its journey.", field="journey")
    with db.transaction() as session:
        scope = _Scope(
            _survey_id(session, workspace_id, survey),
            None if journey is None else journey_id_of(session, workspace_id, journey),
            since,
            until,
            None
            if touchpoint is None or journey is None
            else touchpoint_id_of(session, workspace_id, journey, touchpoint),
        )
        frame = _rows(session, workspace_id, scope, [target, *drivers])
        competitor = _competitor_view(session, workspace_id, scope, confidence, min_n)
    n = len(frame[target])
    common: dict[str, Any] = {
        "bootstrap": bootstrap,
        "confidence": confidence,
        "competitor": competitor,
    }
    if n < max(min_n, len(drivers) + 2):
        return KeyDrivers(survey, target, method, n, min_n, True, None, (), **common)
    found = relative_importance(
        frame, target=target, drivers=list(drivers), method=method, bootstrap=bootstrap,
        confidence=confidence,
    )  # fmt: skip
    results = _results(frame, drivers, found)
    return KeyDrivers(survey, target, method, n, min_n, False, found.r_squared, results, **common)


# --- the competitor view -------------------------------------------------------------------------


def _choice_question(definition: Mapping[str, Any], question_id: str) -> list[str] | None:
    """The choice ids of the definition's multi-choice question ``question_id``, if any."""
    for page in definition.get("pages", []):
        for question in page.get("questions", []):
            if question.get("id") == question_id and question.get("type") == "multi_choice":
                ids = [str(choice.get("id")) for choice in question.get("choices", [])]
                return ids + ([OTHER] if question.get("allow_other") else [])
    return None


def _chosen(value: Any) -> set[str]:
    """The choice ids of a multi-choice answer (``other`` when own words were given)."""
    if isinstance(value, dict):
        return {str(v) for v in value.get("choices", [])} | ({OTHER} if value.get(OTHER) else set())
    return {str(v) for v in value} if isinstance(value, list) else set()


def _answers(session: Session, workspace_id: uuid.UUID, scope: _Scope) -> Iterable[Any]:
    c = RESPONSE.c
    stmt = select(c.answers).where(c.workspace_id == workspace_id, c.is_complete.is_(True))
    low, high = (
        None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)
        for day in (scope.since, scope.until)
    )
    bounds = (low, high)
    return session.scalars(_scoped(stmt, RESPONSE, scope, c.completed_at, bounds))


def _competitor_view(
    session: Session, workspace_id: uuid.UUID, scope: _Scope, confidence: float, min_n: int
) -> CompetitorView | None:
    definition = session.scalar(
        select(VERSION.c.definition)
        .where(VERSION.c.survey_id == scope.survey_id)
        .order_by(VERSION.c.number.desc())
        .limit(1)
    )
    if definition is None:
        return None
    factors = _choice_question(definition, FACTORS)
    if factors is None or _choice_question(definition, CONSIDERED) is None:
        return None
    groups: dict[bool, list[set[str]]] = {False: [], True: []}
    for answers in _answers(session, workspace_id, scope):
        considered, cited = _chosen(answers.get(CONSIDERED)), _chosen(answers.get(FACTORS))
        if considered and cited:
            groups[bool(considered - {ONLY_US})].append(cited)
    options: dict[str, Any] = {"confidence": confidence, "min_n": min_n}
    shares = []
    for factor in factors:
        counts = [(sum(factor in c for c in groups[g]), len(groups[g])) for g in (False, True)]
        shares.append(
            FactorShare(
                factor,
                estimate_proportion(successes=counts[0][0], n=counts[0][1], **options),
                estimate_proportion(successes=counts[1][0], n=counts[1][1], **options),
                compare_proportions(counts[0], counts[1], **options),
            )
        )
    return CompetitorView(len(groups[False]), len(groups[True]), tuple(shares))
