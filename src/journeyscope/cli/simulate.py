"""`journeyscope simulate`: fill a workspace with months of simulated feedback traffic."""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from journeyscope import simulation
from journeyscope.cli.context import WorkspaceOption, counted, err, out, state


def simulate(
    journey: Annotated[
        str | None,
        typer.Option(
            "--journey",
            help="Journey key (default: the demo's 'retail', applied if the workspace lacks it).",
            show_default=False,
        ),
    ] = None,
    days: Annotated[int, typer.Option(help="How many days to simulate, ending yesterday.")] = 365,
    per_day: Annotated[
        float, typer.Option("--per-day", help="Completed responses on an average day.")
    ] = 300,
    seed: Annotated[int, typer.Option(help="The same seed writes the same data.")] = 1,
    start: Annotated[
        str | None,
        typer.Option(help="First day (YYYY-MM-DD); default: DAYS days before today."),
    ] = None,
    plant: Annotated[
        list[str] | None,
        typer.Option(
            help="A change to plant, touchpoint:metric:day:size (e.g. loyalty-nps:nps:200:-8); "
            "repeatable.",
            show_default=False,
        ),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Completed responses only (no events, invitations or comments), appended "
            "in bulk into a range without responses; rollups counted at the end. For big "
            "benchmarks and demos: millions in minutes.",
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Fill a workspace with simulated contacts, events, invitations and responses.

    Seasons, segments, channels, a driver structure and planted changes; running it again
    with the same seed and range adds nothing.
    """
    space = state.workspace(workspace)
    db = state.database()
    planted = [simulation.PlantedChange.parse(text) for text in plant or []]
    today = db.clock.now().date()
    first = dt.date.fromisoformat(start) if start else today - dt.timedelta(days=days)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    began = time.perf_counter()
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def show(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done)

        if bulk:
            loaded = simulation.load_responses(
                db,
                workspace_id=space.id,
                journey_key=journey,
                start=first,
                days=days,
                responses=max(1, round(per_day * days)),
                seed=seed,
                planted=planted,
                on_progress=show,
            )
        else:
            report = simulation.simulate(
                db,
                workspace_id=space.id,
                journey_key=journey,
                start=first,
                days=days,
                responses_per_day=per_day,
                seed=seed,
                planted=planted,
                on_progress=show,
            )
    seconds = time.perf_counter() - began
    if bulk:
        _bulk_summary(loaded, seconds)
    else:
        _summary(report, seconds)


def _bulk_summary(report: simulation.BulkReport, seconds: float) -> None:
    last = report.start + dt.timedelta(days=report.days - 1)
    out.print(
        f"journey {report.journey_key}, {report.start} to {last}: "
        f"{counted(report.contacts, 'contact')} in the pool",
        markup=False,
    )
    out.print(
        f"loaded: {counted(report.responses, 'response')}, "
        f"{counted(report.facts, 'metric fact')}, {counted(report.segment_rows, 'segment value')}",
        markup=False,
    )
    rate = report.responses / seconds if seconds > 0 else 0.0
    out.print(f"in {seconds:.1f} s ({rate:,.0f} responses/s)", markup=False)


def _summary(report: simulation.SimulationReport, seconds: float) -> None:
    last = report.start + dt.timedelta(days=report.days - 1)
    out.print(
        f"journey {report.journey_key}, {report.start} to {last}: "
        f"{counted(len(report.surveys), 'survey')}, {counted(report.contacts, 'contact')} "
        "in the pool",
        markup=False,
    )
    out.print(
        f"written: {counted(report.responses, 'response')}, "
        f"{counted(report.invitations, 'invitation')}, {counted(report.events, 'event')}, "
        f"{counted(report.unsubscribes, 'unsubscribe')}; "
        f"{counted(report.days_skipped, 'day')} found written already",
        markup=False,
    )
    rate = report.responses / seconds if seconds > 0 else 0.0
    out.print(f"in {seconds:.1f} s ({rate:,.0f} responses/s)", markup=False)
