"""Where the map page draws its two emotion curves: coordinates for an inline SVG.

Drawn on the server, so the page needs no script and no chart library to show how customers
felt: one column per stage, -1…+1 from bottom to top, each point with a whisker for its
interval, the survey curve solid and the interview curve dashed (told apart by more than
colour). A stage with nothing to draw leaves a gap; the line does not bridge it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from journeyscope.maps import FeelingPoint, FeelingSource, StageColumn

COLUMN = 150  # px per stage
HEIGHT = 200  # px from +1 to -1
TOP = 16
LEFT = 44
LABEL_CHARS = 20  # a stage name wraps to lines this long, so neighbours never overlap


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One drawn point: its position, its whisker and what it says on hover."""

    x: float
    y: float
    low_y: float | None
    high_y: float | None
    label: str


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One curve: its points and the polylines between neighbouring stages that have one."""

    name: str
    css: str
    points: tuple[ChartPoint, ...]
    lines: tuple[str, ...]  # SVG ``points`` attributes, one per unbroken run


@dataclass(frozen=True, slots=True)
class FeelingChart:
    """The whole chart: its size, the zero line, the stage labels and both curves."""

    width: int
    height: int
    zero_y: float
    ticks: tuple[tuple[float, str], ...]
    stages: tuple[tuple[float, tuple[str, ...]], ...]  # x and the name's lines
    series: tuple[ChartSeries, ...]


def feeling_chart(stages: Sequence[StageColumn]) -> FeelingChart:
    """The geometry of the survey and interview curves across ``stages``."""
    xs = [LEFT + COLUMN * (i + 0.5) for i in range(len(stages))]
    survey = _series("Surveys", "survey", [s.survey_feeling for s in stages], xs)
    interviews = _series("Interviews", "interview", [s.interview_feeling for s in stages], xs)
    ticks = tuple((_y(v), f"{v:+.1f}" if v else "0") for v in (1.0, 0.5, 0.0, -0.5, -1.0))
    return FeelingChart(
        width=LEFT + COLUMN * len(stages) + 8,
        height=TOP + HEIGHT + 56,
        zero_y=_y(0.0),
        ticks=ticks,
        stages=tuple(
            (x, tuple(textwrap.wrap(s.name, LABEL_CHARS, max_lines=3, placeholder="…")))
            for x, s in zip(xs, stages, strict=True)
        ),
        series=(survey, interviews),
    )


def describe(point: FeelingPoint) -> str:
    """What a point says in words: its value, interval, ``n`` and where it comes from."""
    e = point.estimate
    if point.source is FeelingSource.NONE or e.value is None:
        return f"too few to say (n={e.n})"
    counted = {"answers": "answers", "interviews": "interviews", "turns": "turns"}[point.basis]
    interval = (
        f", {e.confidence:.0%} interval {e.low:+.2f} to {e.high:+.2f}"
        if e.low is not None and e.high is not None
        else ""
    )
    return f"{e.value:+.2f}{interval}, n={e.n} {counted}, from {point.source.value} ({e.method})"


def _series(
    name: str, css: str, points: Sequence[FeelingPoint], xs: Sequence[float]
) -> ChartSeries:
    drawn: list[ChartPoint | None] = []
    for x, point in zip(xs, points, strict=True):
        e = point.estimate
        if e.value is None:
            drawn.append(None)
            continue
        low = _y(e.low) if e.low is not None else None
        high = _y(e.high) if e.high is not None else None
        drawn.append(ChartPoint(x, _y(e.value), low, high, describe(point)))
    return ChartSeries(name, css, tuple(p for p in drawn if p), _runs(drawn))


def _runs(drawn: Sequence[ChartPoint | None]) -> tuple[str, ...]:
    """Polylines through consecutive drawn points; a gap starts a new one."""
    runs: list[list[ChartPoint]] = [[]]
    for point in drawn:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return tuple(" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs if len(run) > 1)


def _y(value: float) -> float:
    clipped = max(-1.0, min(1.0, value))
    return round(TOP + (1 - clipped) / 2 * HEIGHT, 1)
