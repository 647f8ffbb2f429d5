"""Simulated daily NPS series for the change-detection tests and benchmark.

A touchpoint's true NPS (on -1…1) is a base level plus a day-of-week pattern, a smooth yearly
wave and a seasonal dip that comes back every year (three weeks before the year's end), plus,
optionally, a planted level shift. Each day draws 30 to 100 responses; each response is a
promoter, passive or detractor with shares that give the day's true NPS (passives fixed at
30%), so the noise is the trinomial sampling noise of a real daily score. A few days are
missing (no responses).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from journeyscope.analytics import DailySeries

START = date(2024, 1, 1)
WEEKDAY_EFFECT = np.array([-0.03, 0.0, 0.0, 0.01, 0.02, 0.04, -0.04])  # Monday first
DIP_FIRST_DAY, DIP_DAYS, DIP_DEPTH = 330, 21, 0.10  # day of year, length, NPS points / 100
BASE, PASSIVES, YEARLY_AMPLITUDE = 0.30, 0.30, 0.03


def true_nps(days: int, *, drop_at: int | None = None, drop: float = 0.08) -> np.ndarray:
    """The noiseless daily NPS: base + week + year + the yearly dip (+ a drop)."""
    t = np.arange(days)
    weekday = WEEKDAY_EFFECT[(t + START.weekday()) % 7]
    day_of_year = t % 365
    yearly = YEARLY_AMPLITUDE * np.sin(2 * np.pi * t / 365.25)
    dip = np.where(
        (day_of_year >= DIP_FIRST_DAY) & (day_of_year < DIP_FIRST_DAY + DIP_DAYS), DIP_DEPTH, 0
    )
    nps = BASE + weekday + yearly - dip
    if drop_at is not None:
        nps = nps - np.where(t >= drop_at, drop, 0.0)
    return nps


def simulate_nps(
    days: int = 730,
    *,
    seed: int = 0,
    drop_at: int | None = None,
    drop: float = 0.08,
    low: int = 30,
    high: int = 100,
    gaps: int = 5,
) -> DailySeries:
    """One simulated touchpoint: daily NPS with its response counts (see the module)."""
    rng = np.random.default_rng(seed)
    nps = true_nps(days, drop_at=drop_at, drop=drop)
    counts = rng.integers(low, high + 1, size=days)
    counts[rng.choice(days, size=gaps, replace=False)] = 0
    promoters = (1 - PASSIVES + nps) / 2
    detractors = (1 - PASSIVES - nps) / 2
    values: list[float | None] = []
    for n, p, d in zip(counts, promoters, detractors, strict=True):
        if n == 0:
            values.append(None)
            continue
        drawn = rng.multinomial(n, [d, PASSIVES, p])
        values.append(float(drawn[2] - drawn[0]) / n)
    return DailySeries(values, [int(c) for c in counts], START)
