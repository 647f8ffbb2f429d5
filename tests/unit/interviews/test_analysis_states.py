"""The store's CHECK on analysis states lists exactly the states the code knows."""

from __future__ import annotations

from journeyscope.interviews import AnalysisStatus
from journeyscope.store.tables import ANALYSIS_STATES


def test_the_store_knows_every_analysis_state_once() -> None:
    assert sorted(AnalysisStatus) == sorted(ANALYSIS_STATES)
    assert len(ANALYSIS_STATES) == len(set(ANALYSIS_STATES))
