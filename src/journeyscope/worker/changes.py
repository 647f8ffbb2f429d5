"""The change-detection pass every backend runs: each workspace's touchpoint series, tested.

The series, the detection and the storing are the analytics domain's
(``analytics.detect_metric_changes``); this module only says how often, from the settings.
"""

from __future__ import annotations

import logging

from journeyscope import analytics
from journeyscope.analytics import ChangePass
from journeyscope.settings import Settings
from journeyscope.store import Database

log = logging.getLogger(__name__)

DEFAULT_CHANGES_INTERVAL = 3600.0
"""Seconds between passes when no settings say otherwise: hourly."""


def changes_interval(settings: Settings) -> float:
    """Seconds between change-detection passes (``CHANGES_INTERVAL_SECONDS``)."""
    return settings.worker.changes_interval_seconds


def detect_changes_once(db: Database) -> ChangePass:
    """One change-detection pass over every workspace at ``db.clock.now()``, logged."""
    done = analytics.detect_metric_changes(db)
    log.info(
        "change-detection pass: %d workspaces, %d series, %d changes",
        done.workspaces,
        done.series,
        done.changes,
    )
    return done
