"""Run the app under uvicorn, the way ``journeyscope serve`` (and the benchmarks) do."""

from __future__ import annotations

import gc

import uvicorn
from fastapi import FastAPI

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


def run_server(app: FastAPI, *, host: str, port: int, log_level: str) -> None:
    """Serve ``app`` until interrupted."""
    tune_garbage_collector()
    uvicorn.run(app, host=host, port=port, log_level=log_level)
