"""The journey map as one frozen model: what the API, the exports and (later) the page read.

Every number carries what it is: an :class:`analytics.Estimate` (value, interval, ``n``,
method, confidence, minimum ``n``), and "too few" is a value of ``None`` with ``n`` given,
never a bare number. Dates are UTC days; ``as_of`` is a UTC time.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from journeyscope.analytics import Difference, Estimate

MAP_METRICS = ("nps", "csat", "ces")
"""The metrics a map shows per stage and touchpoint, in this order."""


class EvidenceKind(enum.StrEnum):
    """What a piece of evidence says about a stage."""

    PAIN_POINT = "pain_point"
    BRIGHT_SPOT = "bright_spot"
    OPPORTUNITY = "opportunity"
    CHURN_RISK = "churn_risk"


class FeelingSource(enum.StrEnum):
    """Where a point of an emotion curve comes from."""

    NPS = "nps"  # the stage's NPS, -1…1
    CSAT = "csat"  # the stage's CSAT top-2-box share p, as 2p - 1 (satisfied minus the rest)
    INTERVIEWS = "interviews"  # customer turns' valence, -1…1
    NONE = "none"  # nothing to draw: too few answers or turns


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One period of a metric's trend (a sparkline's point); ``value`` is None when too few."""

    period: dt.date
    label: str
    value: float | None
    n: int


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """A metric over the map's period, with its trend by week (or month, for long periods).

    Attributes:
        metric: ``nps``, ``csat`` or ``ces``.
        statistic: ``nps`` (-1…1), ``top2`` (a 0…1 share) or ``mean`` (the scale's units).
        estimate: The whole period's estimate.
        trend: The period cut by ``grain``, oldest first; empty without answers.
        grain: ``week`` or ``month``.
    """

    metric: str
    statistic: str
    estimate: Estimate
    trend: tuple[TrendPoint, ...]
    grain: str


@dataclass(frozen=True, slots=True)
class ChangeMark:
    """A level shift that change detection found on a touchpoint's series (its last pass)."""

    touchpoint: str
    metric: str
    statistic: str
    direction: str  # "up" or "down"
    started_on: dt.date
    size: float
    low: float
    high: float
    p_value: float
    is_recent: bool


@dataclass(frozen=True, slots=True)
class ResponseRate:
    """Invitations of the period (planned in it) and how many were answered to completion.

    Attributes:
        invited: Invitations planned, less those a contact policy suppressed (never fielded).
        sent: Those that went out: completed, started, opened, never opened, unsubscribed
            after sending, or returned undelivered (not: still pending, or expired unsent).
        completed: Those whose response was completed (AAPOR I).
        rate: ``completed / sent`` as a share with its Wilson interval; ``n`` is ``sent``,
            and below ``min_n`` sent the value is ``None`` ("too few").
    """

    invited: int
    sent: int
    completed: int
    rate: Estimate


@dataclass(frozen=True, slots=True)
class TouchpointCell:
    """One touchpoint of a stage: its channel, metrics, response rate and changes."""

    key: str
    name: str
    channel: str
    metrics: tuple[MetricSummary, ...]
    changes: tuple[ChangeMark, ...]
    response_rate: ResponseRate


@dataclass(frozen=True, slots=True)
class FeelingPoint:
    """One stage's point of an emotion curve, on -1 (very negative) … +1 (very positive).

    Attributes:
        stage: The stage's key.
        source: What it was computed from.
        estimate: Value, interval and ``n`` (answers, or interviews/turns: see ``basis``).
        basis: What ``n`` counts: ``answers``, ``interviews`` (a mean per interview, the
            interval across interviews) or ``turns`` (one interview: across its turns).
        turns: Interview turns behind it (0 for the survey curve).
    """

    stage: str
    source: FeelingSource
    estimate: Estimate
    basis: str
    turns: int = 0


@dataclass(frozen=True, slots=True)
class EvidenceQuote:
    """A customer's words behind a piece of evidence, and where to find them.

    ``interview_id`` and ``position`` point at an interview turn (``GET
    /v1/interviews/{id}`` lists its utterances by position; the page
    ``/app/interviews/{id}#turn-{position}`` shows it); survey verbatims carry when they were
    answered and ``response_id``, the response's id (``GET /v1/responses/{id}``, the page
    ``/app/responses/{id}``).
    """

    text: str
    source: str  # "interview" or "verbatim"
    interview_id: uuid.UUID | None = None
    position: int | None = None
    answered_at: dt.datetime | None = None
    response_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A pain point, bright spot, opportunity or churn risk of a stage, with its quotes."""

    kind: EvidenceKind
    summary: str
    source: str  # "interview" or "verbatim"
    quotes: tuple[EvidenceQuote, ...]
    touchpoint: str | None = None
    emotion: str | None = None
    strength: float = 0.0  # 0…1: a finding's intensity, or a theme's mean |valence|
    size: int = 1  # verbatims in the theme, or 1 for an interview finding


@dataclass(frozen=True, slots=True)
class VerbatimMix:
    """The stage's analysed open-text answers in the period: how many, how they felt."""

    verbatims: int
    valence: float | None
    emotions: Mapping[str, int]
    minimized: int


@dataclass(frozen=True, slots=True)
class StageColumn:
    """One stage of the map, in journey order."""

    key: str
    name: str
    position: int
    description: str
    customer_actions: tuple[str, ...]
    touchpoints: tuple[TouchpointCell, ...]
    metrics: tuple[MetricSummary, ...]
    survey_feeling: FeelingPoint
    interview_feeling: FeelingPoint
    verbatims: VerbatimMix
    evidence: tuple[Evidence, ...]
    changes: tuple[ChangeMark, ...]
    response_rate: ResponseRate  # its touchpoints' invitations together


@dataclass(frozen=True, slots=True)
class MetricDifference:
    """One metric of a stage on both sides and ``other - base`` with its interval and p-value.

    ``difference.base`` and ``difference.other`` are the two sides' estimates (each with its
    ``n``); the difference is too few (``value`` None) when either side is.
    """

    metric: str
    statistic: str
    difference: Difference


@dataclass(frozen=True, slots=True)
class StageComparison:
    """A stage's metrics on both sides of a comparison."""

    stage: str
    metrics: tuple[MetricDifference, ...]


@dataclass(frozen=True, slots=True)
class MapSide:
    """One side of a comparison: its period and the filters its survey metrics follow."""

    label: str
    since: dt.date
    until: dt.date
    filters: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class MapComparison:
    """Two periods or two segments side by side, stage by stage: ``other - base``.

    Attributes:
        kind: ``previous`` (base: the period of equal length just before; other: the map's
            period) or ``segment`` (base: the map's segment; other: the compared one).
        base: The side compared against.
        other: The side compared.
        stages: Per stage in journey order, NPS, CSAT and CES on both sides and their
            difference (adjusted-Wald NPS, Newcombe's interval for shares, Welch for means).
    """

    kind: str
    base: MapSide
    other: MapSide
    stages: tuple[StageComparison, ...]


@dataclass(frozen=True, slots=True)
class JourneyMap:
    """A journey's stages with metrics, both emotion curves, evidence and changes.

    Attributes:
        journey_key: The journey's key.
        name: Its name.
        since: First UTC day of the period (survey answers and verbatims).
        until: First UTC day after it.
        filters: Dimension → values kept (channel, survey, language, device class or
            ``segment:<attribute>``); they apply to the survey metrics and curve only.
        confidence: The intervals' confidence level.
        min_n: Survey cells with fewer answers are "too few".
        as_of: When the map was read; every response completed before it is counted.
        interviews: Analysed interviews of the journey behind the interview curve and
            evidence (all of them, whatever their date).
        stages: The stages in journey order.
        comparison: Two periods or two segments side by side, when asked for.
    """

    journey_key: str
    name: str
    since: dt.date
    until: dt.date
    filters: Mapping[str, tuple[str, ...]]
    confidence: float
    min_n: int
    as_of: dt.datetime
    interviews: int
    stages: tuple[StageColumn, ...]
    comparison: MapComparison | None = None

    @property
    def survey_curve(self) -> tuple[FeelingPoint, ...]:
        """How customers felt at each stage by their survey scores."""
        return tuple(s.survey_feeling for s in self.stages)

    @property
    def interview_curve(self) -> tuple[FeelingPoint, ...]:
        """How customers felt at each stage by what they said in interviews."""
        return tuple(s.interview_feeling for s in self.stages)
