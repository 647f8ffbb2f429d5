"""AAPOR outcome rates against hand computations and a published worked example."""

from __future__ import annotations

import pytest

from journeyscope.analytics import RATE_NAMES, aapor_rates
from journeyscope.errors import InvalidInput


def test_outcomerate_readme_example() -> None:
    # R package outcomerate (ropensci) README: I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1 with
    # e = eligibility_rate(freq) = 0.9, printed to 3 decimals.
    published = {
        "RR1": 0.364, "RR2": 0.545, "RR3": 0.370, "RR4": 0.556, "RR5": 0.444, "RR6": 0.667,
        "COOP1": 0.500, "COOP2": 0.750, "COOP3": 0.571, "COOP4": 0.857,
        "REF1": 0.091, "REF2": 0.093, "REF3": 0.111,
        "CON1": 0.727, "CON2": 0.741, "CON3": 0.889,
    }  # fmt: skip
    rates = aapor_rates(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1)
    assert rates.e == pytest.approx(0.9)
    assert {k: round(v or 0, 3) for k, v in rates.items()} == published


def test_every_rate_is_returned_in_order_with_the_counts() -> None:
    rates = aapor_rates(I=100, P=0, R=0, NC=20, O=0, UH=0, UO=0)
    assert tuple(rates) == RATE_NAMES
    assert rates["RR1"] == pytest.approx(100 / 120)
    assert rates["COOP1"] == 1.0 and rates["REF1"] == 0.0
    assert rates.counts == {"I": 100, "P": 0, "R": 0, "NC": 20, "O": 0, "UH": 0, "UO": 0, "NE": 0}


def test_explicit_e_changes_only_the_e_rates() -> None:
    base = aapor_rates(I=50, P=10, R=20, NC=10, O=10, UH=40, UO=60, NE=0, e=0.25)
    assert base["RR3"] == pytest.approx(50 / (100 + 25))
    assert base["RR1"] == pytest.approx(50 / 200)
    assert base["CON2"] == pytest.approx(90 / 125)


def test_undefined_rates_are_none_not_zero() -> None:
    rates = aapor_rates(I=0, P=0, R=0, NC=0, O=0, UH=0, UO=0)
    assert rates.e is None
    assert all(v is None for v in rates.values())


@pytest.mark.parametrize("kwargs", [{"I": -1}, {"e": 1.5}])
def test_bad_counts_or_e_are_refused(kwargs: dict[str, float]) -> None:
    counts: dict[str, float] = {"I": 1, "P": 0, "R": 0, "NC": 0, "O": 0, "UH": 0, "UO": 0}
    with pytest.raises(InvalidInput):
        aapor_rates(**{**counts, **kwargs})  # type: ignore[arg-type]
