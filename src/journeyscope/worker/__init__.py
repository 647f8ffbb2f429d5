"""Task backends that run the background passes: in-process (the embedded default) and Celery.

Each backend only calls :func:`journeyscope.orchestration.dispatch_once`, the analysis pass
(:func:`analyse_once`: ``interviews.analyse_queued`` and the survey verbatims') and the
change-detection pass (:func:`detect_changes_once`: ``analytics.detect_metric_changes``); the
claims, checks, deliveries, analyses and detections are the domains'. Imports the domains and
the store, never the other doors. The Celery backend (:func:`run_worker`) is imported on first
use, because Celery is an optional extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyscope.lazy_exports import lazy_exports
from journeyscope.worker.analysis import (
    AnalysisConfig,
    AnalysisPass,
    analyse_once,
    analysis_config,
)
from journeyscope.worker.changes import changes_interval, detect_changes_once
from journeyscope.worker.config import dispatch_config
from journeyscope.worker.inprocess import InProcessWorker

if TYPE_CHECKING:
    from journeyscope.worker.celery_app import run_worker

__getattr__ = lazy_exports(
    __name__, {"run_worker": ("journeyscope.worker.celery_app", "run_worker")}
)

__all__ = [
    "AnalysisConfig",
    "AnalysisPass",
    "InProcessWorker",
    "analyse_once",
    "analysis_config",
    "changes_interval",
    "detect_changes_once",
    "dispatch_config",
    "run_worker",
]
