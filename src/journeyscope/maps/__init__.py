"""The journey map: one model for the API, the exports and the pages.

Stages in order, their touchpoints and metrics, two emotion curves (surveys and interviews),
evidence with its quotes, and detected changes.

Reads the analytics rollups, the change-detection pass, verbatim summaries and interview
analyses through their packages; computes no statistic of its own (see ``curves.py``).
"""

from journeyscope.maps.building import COMPARISONS, DEFAULT_DAYS, FILTERABLE, journey_map
from journeyscope.maps.curves import INTERVIEW_MIN_N, interview_feeling, survey_feeling
from journeyscope.maps.evidence import interview_evidence, ranked, verbatim_evidence
from journeyscope.maps.models import (
    MAP_METRICS,
    ChangeMark,
    Evidence,
    EvidenceKind,
    EvidenceQuote,
    FeelingPoint,
    FeelingSource,
    JourneyMap,
    MapComparison,
    MapSide,
    MetricDifference,
    MetricSummary,
    ResponseRate,
    StageColumn,
    StageComparison,
    TouchpointCell,
    TrendPoint,
    VerbatimMix,
)

__all__ = [
    "COMPARISONS",
    "DEFAULT_DAYS",
    "FILTERABLE",
    "INTERVIEW_MIN_N",
    "MAP_METRICS",
    "ChangeMark",
    "Evidence",
    "EvidenceKind",
    "EvidenceQuote",
    "FeelingPoint",
    "FeelingSource",
    "JourneyMap",
    "MapComparison",
    "MapSide",
    "MetricDifference",
    "MetricSummary",
    "ResponseRate",
    "StageColumn",
    "StageComparison",
    "TouchpointCell",
    "TrendPoint",
    "VerbatimMix",
    "interview_evidence",
    "interview_feeling",
    "journey_map",
    "ranked",
    "survey_feeling",
    "verbatim_evidence",
]
