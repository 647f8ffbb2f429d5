"""The dispatcher's configuration from the settings, shared by every backend."""

from __future__ import annotations

import datetime as dt

from journeyscope.orchestration.dispatcher import DispatchConfig
from journeyscope.settings import Settings


def dispatch_config(settings: Settings, secret_key: str) -> DispatchConfig:
    """Links, signing key, batch size and lease as configured."""
    return DispatchConfig(
        base_url=settings.base_url,
        secret_key=secret_key,
        batch=settings.dispatch_batch,
        lease=dt.timedelta(seconds=settings.dispatch_lease_seconds),
    )
