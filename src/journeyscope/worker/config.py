"""The dispatcher's configuration from the settings, shared by every backend."""

from __future__ import annotations

import datetime as dt

from journeyscope.base_url import resolve_base_url
from journeyscope.orchestration import DispatchConfig
from journeyscope.settings import Settings


def dispatch_config(settings: Settings, secret_key: str) -> DispatchConfig:
    """Links (by the base-URL rule of :mod:`journeyscope.base_url`), key, batch and lease."""
    return DispatchConfig(
        base_url=resolve_base_url(settings).url,
        secret_key=secret_key,
        batch=settings.worker.dispatch_batch,
        lease=dt.timedelta(seconds=settings.worker.dispatch_lease_seconds),
    )
