"""`journeyscope metrics` and `journeyscope analytics rebuild`: metrics with intervals, rollups."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer

from journeyscope import analytics
from journeyscope.analytics import Estimate, MetricTable
from journeyscope.cli.context import WorkspaceOption, counted, out, print_table, state
from journeyscope.errors import InvalidInput

app = typer.Typer(
    help="Analytics: the rollups behind every metric, rebuilt from the facts.",
    no_args_is_help=True,
)

RELATIVE = re.compile(r"^(\d{1,5})([dwm])$")
DAYS = {"d": 1, "w": 7, "m": 30}


def parse_day(value: str | None, *, today: dt.date, field: str) -> dt.date | None:
    """``90d``, ``12w``, ``3m`` (days, weeks, 30-day months before today) or a date."""
    if value is None:
        return None
    relative = RELATIVE.match(value)
    try:
        if relative:
            return today - dt.timedelta(days=int(relative[1]) * DAYS[relative[2]])
        return dt.date.fromisoformat(value)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"{value!r} is not a date.", field=field, hint="give YYYY-MM-DD or 90d, 12w, 3m"
        ) from None


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    """``dimension=value`` options, a dimension given twice keeping both values."""
    kept: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise InvalidInput(
                f"{item!r} is not a filter.", field="filter", hint="write it as dimension=value"
            )
        kept.setdefault(name, []).append(value)
    return kept


def _number(estimate: Estimate, statistic: str) -> tuple[str, str]:
    """The value and its interval as shown: NPS on -100…100, shares in %, means as they are."""
    if estimate.value is None or estimate.low is None or estimate.high is None:
        return f"too few (n={estimate.n})", ""
    scale, unit = (
        (100, "") if statistic == "nps" else (100, "%") if statistic == "top2" else (1, "")
    )
    digits = 2 if scale == 1 else 1
    shown = [f"{x * scale:.{digits}f}{unit}" for x in (estimate.value, estimate.low, estimate.high)]
    return shown[0], f"{shown[1]} … {shown[2]}"


def print_metric_table(table: MetricTable) -> None:
    """A metric table as text: one row per group and period."""
    headers = [*table.by, *(["period"] if table.grain else []), table.statistic, "interval", "n"]
    rows = []
    for cell in table.cells:
        value, interval = _number(cell.estimate, table.statistic)
        keys = [v if v is not None else "(none)" for _, v in cell.group]
        period = [cell.label] if table.grain else []
        rows.append([*keys, *period, value, interval, cell.estimate.n])
    print_table(headers, rows)
    level = round(table.confidence * 100)
    out.print(
        f"{table.metric} ({table.statistic}), {level}% intervals, min n {table.min_n}; "
        f"rollups as of {table.as_of:%Y-%m-%d %H:%M} UTC",
        markup=False,
    )


def metrics(
    journey: Annotated[str | None, typer.Option(help="Only this journey's touchpoints.")] = None,
    metric: Annotated[str, typer.Option(help="nps, csat, ces or rating.")] = "nps",
    by: Annotated[
        list[str] | None,
        typer.Option(
            help="Group by (repeatable): stage, touchpoint, channel, survey, question, "
            "language, device_class, segment:<attribute>."
        ),
    ] = None,
    grain: Annotated[
        str | None, typer.Option(help="day, week (ISO), month or quarter; default: none.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="First day: YYYY-MM-DD, or 90d, 12w, 3m before today.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="First day left out (same forms).")] = None,
    filter_: Annotated[
        list[str] | None, typer.Option("--filter", help="dimension=value (repeatable).")
    ] = None,
    statistic: Annotated[
        str | None, typer.Option(help="nps; top2 or mean (default: top2 for CSAT, else mean).")
    ] = None,
    min_n: Annotated[int, typer.Option(min=0, help="Fewer responses: too few.")] = 30,
    workspace: WorkspaceOption = None,
) -> None:
    """Print a metric by group and period, each with its 95% interval and n (from rollups)."""
    space = state.workspace(workspace)
    db = state.database()
    today = db.clock.now().date()
    table = analytics.metric_table(
        db,
        workspace_id=space.id,
        metric=metric,
        by=by or (),
        grain=grain,
        since=parse_day(since, today=today, field="since"),
        until=parse_day(until, today=today, field="until"),
        journey=journey,
        filters=parse_filters(filter_ or []),
        statistic=statistic,
        min_n=min_n,
    )
    if not table.cells:
        out.print("no responses match", markup=False)
        return
    print_metric_table(table)


@app.callback()
def analytics_group() -> None:
    """Analytics: the rollups behind every metric, rebuilt from the facts."""


@app.command()
def rebuild(
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", "-w", help="Only this workspace (default: every one)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only report differences; exit 1 if any.")
    ] = False,
) -> None:
    """Recompute the rollups from the raw metric facts and report (and fix) any difference."""
    db = state.database()
    workspace_id = state.workspace(workspace).id if workspace else None
    report = analytics.rebuild_rollups(db, workspace_id=workspace_id, fix=not check)
    out.print(
        f"{counted(report.workspaces, 'workspace')}, {counted(report.rows, 'rollup row')} "
        f"from the facts: {counted(report.differing, 'row')} differed",
        markup=False,
    )
    for d in report.differences:
        key = ", ".join(f"{k}={v}" for k, v in d.key.items() if k != "workspace_id")
        out.print(f"  {d.table}: {key}: stored {d.found}, facts give {d.expected}", markup=False)
    if report.differing > len(report.differences):
        out.print(f"  ... and {report.differing - len(report.differences)} more", markup=False)
    if report.differing and check:
        out.print("nothing was changed (--check)", markup=False)
        raise typer.Exit(code=1)
    if report.differing:
        out.print("fixed: the rollups now match the facts", markup=False)
