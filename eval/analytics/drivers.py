"""Key-driver shares against published examples: LMG on ``swiss``, Johnson's weights on ``mtcars``.

Usage: .venv/bin/python eval/analytics/drivers.py /path/to/shared/data
(or set $JOURNEYSCOPE_EVAL_DATA). Reads ``reference/swiss.csv`` and ``reference/mtcars.csv``
from that folder; nothing is copied into the repository.

Published figures:

- ``rwa`` (M. Chan, R package, README "Basic example", github.com/martinctc/rwa):
  ``rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"))`` prints
  R² 0.7791896 and raw relative weights cyl 0.2284797, disp 0.2221469, hp 0.2321744,
  gear 0.0963886 (Johnson 2000, as in Tonidandel & LeBreton 2015).
- ``swiss``, Fertility on all five indicators: R's ``summary(lm(Fertility ~ ., swiss))``
  (the example of R's own ``?swiss`` help page) prints Multiple R-squared 0.7067. This R² is
  what relaimpo's ``lmg`` shares must sum to.

**Not compared, honestly**: relaimpo's per-regressor ``lmg`` values for the ``swiss`` example
of ``?calc.relimp`` (Grömping 2006, J. Stat. Softw. 17(1), which prints them) could not be
read offline, so the LMG column below has no published figure beside it. What is checked
instead: the shares sum to the published R², and the unit tests prove LMG equals the Shapley
value computed over every ordering by brute force.
"""

from __future__ import annotations

from _common import data_folder, read_reference, show

from journeyscope.analytics import relative_importance

RWA_README = {"cyl": 0.2284797, "disp": 0.2221469, "hp": 0.2321744, "gear": 0.0963886}


def main() -> None:
    data = data_folder(__doc__ or "")
    swiss = read_reference(data, "swiss")
    drivers = [name for name in swiss if name != "Fertility"]
    lmg = relative_importance(swiss, target="Fertility", drivers=drivers, method="lmg")
    rows: list[tuple[str, float, float | None]] = [
        ("swiss R^2 (summary(lm(Fertility ~ .)))", lmg.r_squared, 0.7067),
        ("swiss sum of LMG shares", sum(lmg.importance.values()), 0.7067),
    ]
    rows += [(f"swiss LMG {d}", v, None) for d, v in lmg.importance.items()]
    rows += [(f"swiss LMG {d} (share of R^2)", v, None) for d, v in lmg.shares.items()]
    mtcars = read_reference(data, "mtcars")
    rwa = relative_importance(mtcars, target="mpg", drivers=list(RWA_README), method="johnson")
    rows.append(("mtcars R^2 (rwa README)", rwa.r_squared, 0.7791896))
    rows += [(f"mtcars Johnson weight {d}", rwa.importance[d], v) for d, v in RWA_README.items()]
    differ = show(rows[:2], digits=4) + show(rows[2:-5], digits=4) + show(rows[-5:], digits=7)
    print(f"\n{differ} figure(s) differ from the published ones.")


if __name__ == "__main__":
    main()
