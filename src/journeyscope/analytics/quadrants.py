"""Importance-performance quadrants: where to act first among the key drivers.

Each driver is placed by its importance (e.g. its LMG share of R²) and its performance (e.g.
its mean rating or top-2-box share) against two cut lines, by default the means over the
drivers given (J. A. Martilla & J. C. James, "Importance-Performance Analysis", *Journal of
Marketing* 41(1), 1977, 77-79). A driver exactly on a cut line counts as high. Pure.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean

from journeyscope.errors import InvalidInput


class Quadrant(enum.StrEnum):
    """Where a driver sits; the names say what to do about it."""

    CONCENTRATE_HERE = "concentrate-here"  # important, performing below the line: fix first
    KEEP_UP = "keep-up-the-good-work"  # important and performing well: protect it
    LOW_PRIORITY = "low-priority"  # neither important nor good: watch, do not invest yet
    POSSIBLE_OVERKILL = "possible-overkill"  # good at something that matters little


@dataclass(frozen=True, slots=True)
class Placement:
    """One driver's place on the importance-performance grid."""

    driver: str
    importance: float
    performance: float
    quadrant: Quadrant


def place_drivers(
    importance: Mapping[str, float],
    performance: Mapping[str, float],
    *,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> tuple[Placement, ...]:
    """Place each driver in its importance-performance quadrant, most important first.

    Args:
        importance: Driver → importance (e.g. ``RelativeImportance.importance``).
        performance: Driver → performance on any one scale (mean rating, share, NPS).
        importance_cut: Line between low and high importance (default: mean importance).
        performance_cut: Line between low and high performance (default: mean performance).
    """
    if set(importance) != set(performance) or not importance:
        raise InvalidInput(
            "importance and performance must name the same, non-empty set of drivers",
            field="performance",
            hint="give a performance figure for every driver and no others",
        )
    i_cut = fmean(importance.values()) if importance_cut is None else importance_cut
    p_cut = fmean(performance.values()) if performance_cut is None else performance_cut
    placements = [
        Placement(
            d,
            importance[d],
            performance[d],
            _quadrant(importance[d] >= i_cut, performance[d] >= p_cut),
        )
        for d in importance
    ]
    return tuple(sorted(placements, key=lambda p: (-p.importance, p.driver)))


def _quadrant(is_important: bool, is_performing: bool) -> Quadrant:
    if is_important:
        return Quadrant.KEEP_UP if is_performing else Quadrant.CONCENTRATE_HERE
    return Quadrant.POSSIBLE_OVERKILL if is_performing else Quadrant.LOW_PRIORITY
