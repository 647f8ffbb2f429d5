"""What a simulation is asked for and what it did: frozen values, no database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from journeyscope.errors import InvalidInput

METRICS = ("nps", "csat", "ces", "ease", "speed", "value")
"""The scored questions of every simulated survey: three outcomes and three drivers."""

DEFAULT_SEGMENTS: Mapping[str, tuple[str, ...]] = {
    "tier": ("gold", "silver", "bronze"),
    "region": ("north", "south", "east", "west"),
}
"""Contact attributes given to simulated contacts; earlier values are the happier ones."""

_PLANT = re.compile(
    r"^(?P<touchpoint>[^:]+):(?P<metric>[^:]+):(?P<day>-?\d+):(?P<size>[-+]?[\d.]+)$"
)


@dataclass(frozen=True, slots=True)
class PlantedChange:
    """A level shift planted on one touchpoint's metric from ``start_day`` on.

    Attributes:
        touchpoint: The touchpoint's key in the simulated journey.
        metric: One of :data:`METRICS`.
        start_day: Days after the simulation's start (0 is its first day).
        size: For ``nps``, NPS points on the -100...100 scale (``-8``: eight points down);
            for the other metrics, points of their own scale added to the mean (scores are
            clipped to the scale, so a shift near an end comes out a little smaller).
    """

    touchpoint: str
    metric: str
    start_day: int
    size: float

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise InvalidInput(
                f"{self.metric!r} is not a simulated metric.",
                field="plant",
                hint="use one of: " + ", ".join(METRICS),
            )
        if self.start_day < 0:
            raise InvalidInput(
                f"A planted change starts on day {self.start_day}, before the first day.",
                field="plant",
                hint="give a day from 0 (the first simulated day) on",
            )

    @classmethod
    def parse(cls, text: str) -> PlantedChange:
        """``touchpoint:metric:day:size``, as the CLI's ``--plant`` takes it."""
        found = _PLANT.match(text.strip())
        if found is None:
            raise InvalidInput(
                f"{text!r} is not a planted change.",
                field="plant",
                hint="write touchpoint:metric:day:size, e.g. loyalty-nps:nps:200:-8",
            )
        return cls(
            touchpoint=found["touchpoint"],
            metric=found["metric"],
            start_day=int(found["day"]),
            size=float(found["size"]),
        )


@dataclass(frozen=True, slots=True)
class SimulationReport:
    """What one run wrote (rows it found stored already are not counted).

    ``days_skipped`` counts the days an earlier run with the same seed had written whole.
    """

    journey_key: str
    start: dt.date
    days: int
    contacts: int = 0
    events: int = 0
    invitations: int = 0
    responses: int = 0
    unsubscribes: int = 0
    days_skipped: int = 0
    surveys: tuple[str, ...] = field(default=())
