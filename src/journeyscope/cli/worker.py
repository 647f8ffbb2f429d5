"""``journeyscope worker``: send due invitations from Celery worker processes."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from journeyscope.cli.context import err, out, state

POOLS = ("threads", "solo", "prefork")


def worker(
    beat: Annotated[
        bool,
        typer.Option(
            "--beat",
            help="Also run the schedule that asks for a dispatch pass every "
            "DISPATCH_INTERVAL_SECONDS. Exactly one worker (or one `celery beat`) should.",
        ),
    ] = False,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Passes this process runs at once.")
    ] = 2,
    pool: Annotated[
        str,
        typer.Option(help="Celery pool: threads (default), solo or prefork."),
    ] = "threads",
    hostname: Annotated[
        str | None, typer.Option(help="Worker name in logs (default: celery@<host>).")
    ] = None,
) -> None:
    """Send due invitations as a Celery worker on BROKER_URL (Redis or RabbitMQ).

    Run as many as you like, on as many machines: the database hands each invitation to one
    worker. Needs the celery extra (pip install 'journeyscope[celery]').
    """
    if pool not in POOLS:
        err.print(f"--pool must be threads, solo or prefork, not {pool!r}")
        raise typer.Exit(2)
    settings = state.settings
    state.database()  # the schema is checked (SQLite migrated) before any task runs
    try:
        from journeyscope.worker import run_worker
    except ImportError as error:
        err.print(
            f"Celery is not installed ({error}); install it with pip install 'journeyscope[celery]'"
        )
        raise typer.Exit(1) from None
    if settings.worker.backend != "celery":
        err.print(
            "Note: JOURNEYSCOPE_WORKER_BACKEND is not 'celery', so `journeyscope serve` also "
            "sends invitations in its own process. That is safe (claims never overlap), but "
            "set it to celery when workers do the sending."
        )
    out.print(
        f"Journeyscope worker on {settings.worker.broker_url.masked()} "
        f"({pool}, concurrency {concurrency}{', with the schedule' if beat else ''}); "
        f"pid {os.getpid()}"
    )
    run_worker(settings, beat=beat, concurrency=concurrency, pool=pool, hostname=hostname)
