"""AAPOR outcome rates against a published worked example.

Usage: .venv/bin/python eval/analytics/response_rates.py   (no data files needed)

Published figures: the README of the R package ``outcomerate`` (rOpenSci, R. Pilliard
Hellwig; github.com/ropensci/outcomerate), which implements the AAPOR Standard Definitions
(9th edition, 2016): 12 attempts with I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1 and
``e = eligibility_rate(freq)`` (= 0.9, the eligible share of known cases) print the rates
below to three decimals.
"""

from __future__ import annotations

from _common import show

from journeyscope.analytics import aapor_rates

OUTCOMERATE_README = {
    "RR1": 0.364, "RR2": 0.545, "RR3": 0.370, "RR4": 0.556, "RR5": 0.444, "RR6": 0.667,
    "COOP1": 0.500, "COOP2": 0.750, "COOP3": 0.571, "COOP4": 0.857,
    "REF1": 0.091, "REF2": 0.093, "REF3": 0.111,
    "CON1": 0.727, "CON2": 0.741, "CON3": 0.889,
}  # fmt: skip


def main() -> None:
    rates = aapor_rates(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1)
    rows: list[tuple[str, float, float | None]] = [("e (eligibility_rate)", rates.e or 0, 0.9)]
    rows += [(name, rates[name] or 0, value) for name, value in OUTCOMERATE_README.items()]
    differ = show(rows, digits=3)
    print(f"\n{differ} figure(s) differ from the published ones.")


if __name__ == "__main__":
    main()
