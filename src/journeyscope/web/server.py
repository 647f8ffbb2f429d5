"""Run the app under uvicorn, the way ``journeyscope serve`` (and the benchmarks) do."""

from __future__ import annotations

import contextlib
import copy
import gc
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from journeyscope.log_redaction import RedactSecrets, redact_application_logs

GC_GEN0_THRESHOLD = 20_000
"""Allocations between young-generation collections (CPython's default is 700).

A batch of 1,000 events allocates some 10^5 short-lived objects; with the default, the
collector runs about a hundred times per request, and its periodic full passes re-scan every
module, model and table loaded at start-up (~65 ms each, measured with bench/ingest_events.py).
"""


def tune_garbage_collector() -> None:
    """Freeze what start-up loaded and collect young objects less often.

    ``gc.freeze()`` moves every object alive now (imported modules, the app, its models) out
    of the collector's reach, so full collections only scan what requests create.
    """
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


def log_config() -> dict[str, Any]:
    """Uvicorn's logging set-up with :class:`RedactSecrets` on its error and access handlers."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": RedactSecrets}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    return config


def server_config(
    app: FastAPI, *, host: str, port: int, log_level: str, forwarded_allow_ips: str = ""
) -> uvicorn.Config:
    """How ``journeyscope serve`` runs ``app``: redacted logs, and proxies trusted only if named.

    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are read only from the addresses in
    ``forwarded_allow_ips`` (comma-separated IPs or networks, ``*`` for any). uvicorn's own
    default trusts loopback: behind a local proxy that passes the header on, any client could
    name a new address with each request and never reach its rate limit.
    """
    trusted = forwarded_allow_ips.strip()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        log_config=log_config(),
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )


def run_server(
    app: FastAPI, *, host: str, port: int, log_level: str, forwarded_allow_ips: str = ""
) -> None:
    """Serve ``app`` until interrupted (see :func:`server_config`), logging without secrets."""
    config = server_config(
        app, host=host, port=port, log_level=log_level, forwarded_allow_ips=forwarded_allow_ips
    )
    redact_application_logs()
    tune_garbage_collector()
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: uvicorn has shut down cleanly
        server.run()
    if not server.started:  # e.g. the port is taken; uvicorn has logged why
        raise SystemExit(STARTUP_FAILURE)
