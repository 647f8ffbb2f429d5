"""The two emotion curves, point by point, on one -1…+1 scale so a reader can lay them side by side.

Pure functions: estimates and valences in, :class:`FeelingPoint` out.

- **Surveys:** a stage's NPS where it has enough answers (NPS is already a net score on -1…1);
  else its CSAT top-2-box share ``p`` as ``2p - 1`` (satisfied minus the rest), with the
  interval mapped the same way. CES is left out: its scale runs the other way round and
  varies between surveys.
- **Interviews:** the mean valence of the customer turns tagged with the stage. Turns of one
  interview are not independent (one person, one story), so with two interviews or more the
  point is the mean of the per-interview means and the interval is Student's t across
  interviews; with only one, it is across that interview's turns, and ``basis`` says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from statistics import fmean

from journeyscope.analytics import Estimate, estimate_mean, too_few
from journeyscope.maps.models import FeelingPoint, FeelingSource

INTERVIEW_MIN_N = 2
"""Fewer interviews (or, with one interview, fewer turns) than this give no interview point:
two is the least a spread, and so an interval, can be had from; a wide interval says the rest."""


def survey_feeling(stage: str, nps: Estimate | None, csat: Estimate | None) -> FeelingPoint:
    """The survey curve's point for ``stage`` from its NPS and CSAT (top-2-box) estimates."""
    if nps is not None and not nps.is_too_few:
        return FeelingPoint(stage, FeelingSource.NPS, nps, "answers")
    if csat is not None and not csat.is_too_few:
        return FeelingPoint(stage, FeelingSource.CSAT, _net(csat), "answers")
    known = [e for e in (nps, csat) if e is not None]
    most = max(known, key=lambda e: e.n, default=None)
    if most is None:
        empty = too_few(0, method="none", confidence=0.95, min_n=0)
        return FeelingPoint(stage, FeelingSource.NONE, empty, "answers")
    return FeelingPoint(stage, FeelingSource.NONE, most, "answers")


def interview_feeling(
    stage: str,
    valences: Mapping[uuid.UUID, Sequence[float]],
    *,
    confidence: float = 0.95,
    min_n: int = INTERVIEW_MIN_N,
) -> FeelingPoint:
    """The interview curve's point for ``stage`` from its turns' valences, by interview."""
    spoken = {k: list(v) for k, v in valences.items() if v}
    turns = sum(len(v) for v in spoken.values())
    if len(spoken) >= 2:
        means = [fmean(v) for v in spoken.values()]
        estimate = estimate_mean(means, confidence=confidence, min_n=min_n)
        basis = "interviews"
    else:
        only = next(iter(spoken.values()), [])
        estimate = estimate_mean(only, confidence=confidence, min_n=min_n)
        basis = "turns"
    source = FeelingSource.NONE if estimate.is_too_few else FeelingSource.INTERVIEWS
    return FeelingPoint(stage, source, _clipped(estimate), basis, turns)


def _net(share: Estimate) -> Estimate:
    """A top-2-box share ``p`` (and its limits) as ``2p - 1``."""
    if share.value is None or share.low is None or share.high is None:
        return share
    return Estimate(
        2 * share.value - 1,
        2 * share.low - 1,
        2 * share.high - 1,
        share.n,
        f"{share.method}, as 2p-1",
        share.confidence,
        share.min_n,
    )


def _clipped(estimate: Estimate) -> Estimate:
    """Valence cannot leave -1…1; a t interval over few values can, so it is cut there."""
    if estimate.low is None or estimate.high is None:
        return estimate
    return Estimate(
        estimate.value,
        max(-1.0, estimate.low),
        min(1.0, estimate.high),
        estimate.n,
        estimate.method,
        estimate.confidence,
        estimate.min_n,
    )
