"""`journeyscope journey`: journey-as-code — validate, apply, export, list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeyscope import journey
from journeyscope.cli.context import WorkspaceOption, out, print_table, state
from journeyscope.journey import ChangeAction

app = typer.Typer(
    help="Journey-as-code: validate, apply, export and list journeys.", no_args_is_help=True
)

FileArg = Annotated[
    Path, typer.Argument(help="A journey YAML file.", dir_okay=False, show_default=False)
]


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Journey YAML files.")]) -> None:
    """Check journey files without touching the database; exit 1 naming each problem's line."""
    for path in files:
        spec = journey.load_journey_file(path)
        stages = len(spec.stages)
        points = sum(len(s.touchpoints) for s in spec.stages)
        out.print(
            f"{path}: ok — journey {spec.key!r}, {stages} stages, {points} touchpoints",
            markup=False,
        )


@app.command()
def apply(
    file: FileArg,
    workspace: WorkspaceOption = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete stages/touchpoints missing from the file.")
    ] = False,
) -> None:
    """Create or update the journey in FILE; running it twice changes nothing."""
    spec = journey.load_journey_file(file)
    space = state.workspace(workspace)
    result = journey.apply_journey(state.database(), workspace_id=space.id, spec=spec, prune=prune)
    for change in result.changes:
        if change.action is not ChangeAction.UNCHANGED:
            out.print(f"  {change.action.value:<9} {change.kind.value} {change.key}", markup=False)
    counts = ", ".join(f"{result.count(a)} {a.value}" for a in ChangeAction if result.count(a))
    out.print(f"journey {result.journey_key}: {counts}", markup=False)
    if result.count(ChangeAction.KEPT):
        out.print("  (kept objects are not in the file; --prune deletes them)", markup=False)


@app.command()
def export(
    key: Annotated[str, typer.Argument(help="The journey's key.")],
    workspace: WorkspaceOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write a journey as YAML that applies back to the same journey."""
    space = state.workspace(workspace)
    text = journey.dump_journey_yaml(
        journey.export_journey(state.database(), workspace_id=space.id, key=key)
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}", markup=False)


@app.command("list")
def list_journeys(workspace: WorkspaceOption = None) -> None:
    """List the workspace's journeys."""
    space = state.workspace(workspace)
    rows = []
    cursor: str | None = None
    while True:
        page = journey.list_journeys(state.database(), workspace_id=space.id, cursor=cursor)
        rows += [(j.key, j.name, j.stage_count, j.touchpoint_count) for j in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    print_table(("key", "name", "stages", "touchpoints"), rows)
