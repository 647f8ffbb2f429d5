"""The simulator: months of realistic feedback traffic on a journey, for demos, tests, benchmarks.

Owns no table: it writes contacts, events, invitations, responses and metric facts through
the bulk load paths of ``collection`` and ``orchestration``, the same tables (and the same
fact writing) as live traffic. Imports the domains' facades; never the doors (``web``,
``cli``, ``worker``), which import it.
"""

from journeyscope.simulation.benchmark_journey import benchmark_journey
from journeyscope.simulation.bulk import BulkProgress, BulkReport, load_responses
from journeyscope.simulation.models import (
    DEFAULT_SEGMENTS,
    METRICS,
    PlantedChange,
    SimulationReport,
)
from journeyscope.simulation.service import Progress, busiest_touchpoint, simulate
from journeyscope.simulation.traffic import season, volume
from journeyscope.simulation.world import DEFAULT_JOURNEY, simulated_survey, survey_key

__all__ = [
    "DEFAULT_JOURNEY",
    "DEFAULT_SEGMENTS",
    "METRICS",
    "BulkProgress",
    "BulkReport",
    "PlantedChange",
    "Progress",
    "SimulationReport",
    "benchmark_journey",
    "busiest_touchpoint",
    "load_responses",
    "season",
    "simulate",
    "simulated_survey",
    "survey_key",
    "volume",
]
