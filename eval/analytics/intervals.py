"""NPS and proportion intervals against published figures.

Usage: .venv/bin/python eval/analytics/intervals.py   (no data files needed)

Published figures used (all printed in the sources named):

- Rocks' R package ``NPS`` (the author of the adjusted-Wald NPS interval), its test suite
  ``tests/testthat/test_01_basics.R``: ``nps_var_(1:3) == 5/9`` and ``nps_se_(1:3) == 0.304``
  for 1 detractor, 2 passives, 3 promoters, and ``nps_se_(c(1, 0, 1)) == 0.707``.
- A. Engelhardt, "Net Promoter Score Confidence Intervals 2: Maths and Stats", CYBAEA /
  R-bloggers, 13 January 2016: with a third of each category the 95% interval of NPS (on
  the -100…100 scale) is about 320 / sqrt(n) wide, so n ≈ 1,024 for a width of 10 points.
- R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of
  seven methods", Statistics in Medicine 17 (1998) 857-872, Table I, method 3 (Wilson score):
  81/263 → 0.2553-0.3662; 15/148 → 0.0624-0.1605; 0/20 → 0-0.1611; 1/29 → 0.0061-0.1718.
- R. G. Newcombe, "Interval estimation for the difference between independent proportions:
  comparison of eleven methods", Statistics in Medicine 17 (1998) 873-890, Table II example
  (a), method 10 (hybrid score): 56/70 - 48/80 → 0.0524 to 0.3339.

**Not checked against a published number**: the adjusted-Wald NPS *interval* itself. Rocks
(2016, The American Statistician 70(4)) and Lewis & Sauro (MeasuringU, 2021) describe the
method (add 3/4 to detractors and promoters, 3/2 to passives) but no worked interval from
them could be read offline. The script prints ours for the Rocks test data so the figure can
be compared once one is at hand.
"""

from __future__ import annotations

import math

from _common import show

from journeyscope.analytics import (
    NpsCounts,
    compare_proportions,
    estimate_nps,
    estimate_proportion,
)
from journeyscope.analytics.estimates import nps_interval_parts


def main() -> None:
    rows: list[tuple[str, float, float | None]] = []
    # The standard error the Wald interval is built from (the interval itself is clipped).
    _, se = nps_interval_parts(NpsCounts(1, 2, 3), "wald")
    _, se_two = nps_interval_parts(NpsCounts(1, 0, 1), "wald")
    rows += [
        ("NPS (1,2,3): variance n*se^2 (Rocks NPS pkg)", se * se * 6, 5 / 9),
        ("NPS (1,2,3): standard error", se, 0.304),
        ("NPS (1,0,1): standard error", se_two, 0.707),
    ]
    thirds = estimate_nps(detractors=1024, passives=1024, promoters=1024, method="wald")
    width = ((thirds.high or 0) - (thirds.low or 0)) * 100 * math.sqrt(3072)
    rows.append(("NPS thirds: 95% width x sqrt(n), points", width, 320.0))
    adjusted = estimate_nps(detractors=1, passives=2, promoters=3, min_n=0)
    rows += [
        ("NPS (1,2,3) adjusted-Wald low", adjusted.low or 0, None),
        ("NPS (1,2,3) adjusted-Wald high", adjusted.high or 0, None),
    ]
    for (s, n), (low, high) in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        est = estimate_proportion(successes=s, n=n, min_n=0)
        rows += [
            (f"Wilson {s}/{n} low", est.low or 0, low),
            (f"Wilson {s}/{n} high", est.high or 0, high),
        ]
    diff = compare_proportions((48, 80), (56, 70))
    rows += [
        ("Newcombe 56/70 - 48/80 low", diff.low or 0, 0.0524),
        ("Newcombe 56/70 - 48/80 high", diff.high or 0, 0.3339),
    ]
    differ = show(rows[:3], digits=3) + show(rows[3:4], digits=0) + show(rows[4:], digits=4)
    print(f"\n{differ} figure(s) differ from the published ones.")


if __name__ == "__main__":
    main()
