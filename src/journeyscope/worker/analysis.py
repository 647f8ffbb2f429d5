"""The analysis pass every backend runs: queued interviews and survey verbatims through NLP.

The claims, retries and storing are the domains' (``interviews.analyse_queued``,
``verbatims.analyse_queued``); this module only says how many to take and for how long, from
the settings, and runs them in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journeyscope import interviews, verbatims
from journeyscope.interviews import AnalysisReport
from journeyscope.settings import Settings
from journeyscope.store import Database

VERBATIMS_PER_INTERVIEW = 50
"""A pass claims this many verbatims for each interview it may claim."""


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """How much one analysis pass claims, and for how long."""

    batch: int = 4  # interviews per pass
    lease: dt.timedelta = dt.timedelta(minutes=15)

    @property
    def verbatim_batch(self) -> int:
        """Verbatims per pass: short texts, analysed in one batch."""
        return self.batch * VERBATIMS_PER_INTERVIEW


def analysis_config(settings: Settings) -> AnalysisConfig:
    """The pass's batch and lease from ``settings.worker``."""
    return AnalysisConfig(
        batch=settings.worker.analysis_batch,
        lease=dt.timedelta(seconds=settings.worker.analysis_lease_seconds),
    )


@dataclass(frozen=True, slots=True)
class AnalysisPass:
    """What one pass did, per kind of text."""

    interviews: AnalysisReport
    verbatims: AnalysisReport

    def found_backlog(self, config: AnalysisConfig) -> bool:
        """Whether any kind claimed a full batch, so another pass should follow at once."""
        return self.interviews.found_backlog(config.batch) or self.verbatims.found_backlog(
            config.verbatim_batch
        )

    @property
    def claimed(self) -> int:
        """Rows claimed, of every kind."""
        return self.interviews.claimed + self.verbatims.claimed


def analyse_once(db: Database, config: AnalysisConfig) -> AnalysisPass:
    """One analysis pass at ``db.clock.now()``: queued interviews, then verbatims."""
    return AnalysisPass(
        interviews=interviews.analyse_queued(db, limit=config.batch, lease=config.lease),
        verbatims=verbatims.analyse_queued(db, limit=config.verbatim_batch, lease=config.lease),
    )
