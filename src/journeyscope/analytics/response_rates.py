"""Survey outcome rates per the AAPOR Standard Definitions: response, cooperation, refusal, contact.

The final disposition of every invitation is counted into AAPOR's classes: ``I`` complete,
``P`` partial, ``R`` refusal and break-off, ``NC`` non-contact, ``O`` other eligible
non-interview, ``UH`` unknown if household/occupied, ``UO`` unknown other, ``NE`` not eligible.
From these (The American Association for Public Opinion Research, *Standard Definitions:
Final Dispositions of Case Codes and Outcome Rates for Surveys*, 9th edition, 2016; the
formulas are unchanged in later editions):

- RR1 = I / ((I+P) + (R+NC+O) + (UH+UO));  RR2 = (I+P) / same
- RR3 = I / ((I+P) + (R+NC+O) + e(UH+UO));  RR4 = (I+P) / same
- RR5 = I / ((I+P) + (R+NC+O));  RR6 = (I+P) / same
- COOP1 = I / ((I+P) + R + O);  COOP2 = (I+P) / same
- COOP3 = I / ((I+P) + R);  COOP4 = (I+P) / same
- REF1 = R / ((I+P) + (R+NC+O) + (UH+UO)); REF2 with e(UH+UO); REF3 without unknowns
- CON1 = ((I+P) + R + O) / ((I+P) + (R+NC+O) + (UH+UO)); CON2 with e(UH+UO); CON3 without

``e`` is the estimated share of unknown-eligibility cases that are eligible. By default it is
the eligible share of the cases whose eligibility is known, ``(I+P+R+NC+O) / (I+P+R+NC+O+NE)``
(AAPOR's "proportional allocation", as ``outcomerate::eligibility_rate`` computes it). A rate
whose denominator is zero is ``None``: undefined, not 0. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from journeyscope.analytics.estimates import check_count
from journeyscope.errors import InvalidInput

RATE_NAMES: Final = (
    *(f"RR{i}" for i in range(1, 7)),
    *(f"COOP{i}" for i in range(1, 5)),
    *(f"REF{i}" for i in range(1, 4)),
    *(f"CON{i}" for i in range(1, 4)),
)
"""Every rate :func:`aapor_rates` returns, in AAPOR's order."""


@dataclass(frozen=True, slots=True)
class ResponseRates(Mapping[str, float | None]):
    """AAPOR outcome rates, read as a mapping (``rates["RR3"]``), with the counts behind them.

    Attributes:
        rates: Rate name → value in 0…1, or ``None`` when its denominator is zero.
        counts: Disposition class (``I``, ``P``, ``R``, ``NC``, ``O``, ``UH``, ``UO``, ``NE``)
            → number of cases.
        e: The eligible share assumed for unknown-eligibility cases, or ``None`` when it
            could not be estimated (no case of known eligibility).
    """

    rates: Mapping[str, float | None]
    counts: Mapping[str, int]
    e: float | None

    def __getitem__(self, key: str) -> float | None:
        return self.rates[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rates)

    def __len__(self) -> int:
        return len(self.rates)


def _ratio(numerator: float, denominator: float | None) -> float | None:
    return None if not denominator else numerator / denominator


def default_eligibility(*, I: int, P: int, R: int, NC: int, O: int, NE: int) -> float | None:  # noqa: E741
    """Eligible share of the cases whose eligibility is known, or ``None`` with none known."""
    eligible = I + P + R + NC + O
    return _ratio(eligible, eligible + NE)


def aapor_rates(
    *,
    I: int,  # noqa: E741 - AAPOR's own names
    P: int,
    R: int,
    NC: int,
    O: int,  # noqa: E741
    UH: int,
    UO: int,
    NE: int = 0,
    e: float | None = None,
) -> ResponseRates:
    """AAPOR RR1-RR6, COOP1-4, REF1-3 and CON1-3 from final disposition counts.

    Args:
        I: Complete interviews (completed responses).
        P: Partial interviews (responses started, enough answered to count as partial).
        R: Refusals and break-offs (opted out, or broke off before a partial).
        NC: Eligible non-contacts (e.g. delivered but never opened).
        O: Other eligible non-interviews (e.g. language, incapacity).
        UH: Unknown if household/occupied (unknown eligibility, never reached).
        UO: Unknown eligibility, other (e.g. bounced without a reason).
        NE: Known not eligible (out of scope, e.g. a wrong address of someone else).
        e: Eligible share of the unknown cases; default: the known-eligible share.

    Returns:
        The rates as a read-only mapping, with ``counts`` and ``e`` beside them.
    """
    counts = {"I": I, "P": P, "R": R, "NC": NC, "O": O, "UH": UH, "UO": UO, "NE": NE}
    for name, value in counts.items():
        check_count(name, value)
    if e is None:
        e = default_eligibility(I=I, P=P, R=R, NC=NC, O=O, NE=NE)
    elif not 0 <= e <= 1:
        raise InvalidInput(
            f"e must be a share between 0 and 1, got {e}",
            field="e",
            hint="leave e out to use the eligible share of known cases",
        )
    interviews, unknown = I + P, UH + UO
    eligible_known = interviews + R + NC + O
    all_cases = eligible_known + unknown
    estimated = None if e is None else eligible_known + e * unknown
    contacted = interviews + R + O
    rates = {
        "RR1": _ratio(I, all_cases),
        "RR2": _ratio(interviews, all_cases),
        "RR3": _ratio(I, estimated),
        "RR4": _ratio(interviews, estimated),
        "RR5": _ratio(I, eligible_known),
        "RR6": _ratio(interviews, eligible_known),
        "COOP1": _ratio(I, contacted),
        "COOP2": _ratio(interviews, contacted),
        "COOP3": _ratio(I, interviews + R),
        "COOP4": _ratio(interviews, interviews + R),
        "REF1": _ratio(R, all_cases),
        "REF2": _ratio(R, estimated),
        "REF3": _ratio(R, eligible_known),
        "CON1": _ratio(contacted, all_cases),
        "CON2": _ratio(contacted, estimated),
        "CON3": _ratio(contacted, eligible_known),
    }
    return ResponseRates(MappingProxyType(rates), MappingProxyType(counts), e)
