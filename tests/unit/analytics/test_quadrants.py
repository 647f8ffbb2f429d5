"""Importance-performance placement of key drivers."""

from __future__ import annotations

import pytest

from journeyscope.analytics import Quadrant, place_drivers
from journeyscope.errors import InvalidInput


def test_drivers_land_in_their_quadrants_most_important_first() -> None:
    placements = place_drivers(
        {"price": 0.30, "speed": 0.25, "app": 0.05, "packaging": 0.02},
        {"price": 3.1, "speed": 4.5, "app": 2.9, "packaging": 4.8},
    )
    assert [(p.driver, p.quadrant) for p in placements] == [
        ("price", Quadrant.CONCENTRATE_HERE),
        ("speed", Quadrant.KEEP_UP),
        ("app", Quadrant.LOW_PRIORITY),
        ("packaging", Quadrant.POSSIBLE_OVERKILL),
    ]


def test_explicit_cut_lines_replace_the_means() -> None:
    (placement,) = place_drivers({"a": 0.1}, {"a": 4.0}, importance_cut=0.2, performance_cut=4)
    assert placement.quadrant is Quadrant.POSSIBLE_OVERKILL


def test_mismatched_drivers_are_refused() -> None:
    with pytest.raises(InvalidInput):
        place_drivers({"a": 0.1}, {"b": 4.0})
