"""Change detection: time of one pass over many series, and how early a drop is flagged.

``python bench/changes.py`` (about a minute on 2 cores). Prints the machine, the time of
``detect_changes_many`` over 150 simulated touchpoints of 730 days (issue 12 target: a pass
over all series <= 5 s), and, over 20 seeds per response volume, how often a planted 8-point
NPS drop is flagged within 7 days by a worker running each day on the history so far, and how
often an unchanged series has a p-value of "some change" at or under 0.05.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from changes_support import simulate_nps
from journeyscope.analytics import DailySeries, detect_changes, detect_changes_many

DROP_AT, SEEDS = 600, 20


def prefix(series: DailySeries, days: int) -> DailySeries:
    assert series.counts is not None
    return DailySeries(series.values[:days], series.counts[:days], series.start)


def flagged_within_a_week(series: DailySeries) -> bool:
    for today in range(DROP_AT, DROP_AT + 8):
        changes = detect_changes(prefix(series, today + 1)).changes
        if any(c.index >= DROP_AT - 14 and c.direction == "down" for c in changes):
            return True
    return False


def main() -> None:
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    many = {i: simulate_nps(730, seed=i) for i in range(150)}
    detect_changes_many({0: many[0]})  # warm up (imports, caches) outside the timing
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        reports = detect_changes_many(many, fdr=0.05)
        best = min(best, time.perf_counter() - began)
    flagged = sum(bool(r.changes) for r in reports.values())
    print(
        f"detect_changes_many, 150 series x 730 days: best of 3 {best:.2f} s "
        f"({1000 * best / 150:.1f} ms a series); unchanged series flagged: {flagged}"
    )
    print(f"{'responses a day':>16} {'drop flagged <= 7 days':>24} {'null p <= 0.05':>16}")
    for low, high in ((30, 100), (30, 30), (100, 100), (200, 200)):
        hits = sum(
            flagged_within_a_week(simulate_nps(730, seed=s, drop_at=DROP_AT, low=low, high=high))
            for s in range(SEEDS)
        )
        nulls = sum(
            detect_changes(simulate_nps(730, seed=500 + s, low=low, high=high)).p_value <= 0.05
            for s in range(SEEDS)
        )
        print(f"{f'{low}-{high}':>16} {f'{hits}/{SEEDS}':>24} {f'{nulls}/{SEEDS}':>16}")


if __name__ == "__main__":
    main()
