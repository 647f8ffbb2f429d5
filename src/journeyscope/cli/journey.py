"""`journeyscope journey`: journey-as-code — validate, apply, export, list.

A journey file may hold the journey's trigger rules, which orchestration checks and applies in
the same transaction as the journey.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeyscope import journey, orchestration
from journeyscope.cli.context import WorkspaceOption, counted, out, print_table, state
from journeyscope.errors import InvalidInput
from journeyscope.journey import ChangeAction, JourneySpec

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
        spec = _load(path)
        stages = counted(len(spec.stages), "stage")
        points = counted(sum(len(s.touchpoints) for s in spec.stages), "touchpoint")
        rules = f", {counted(len(spec.rules), 'rule')}" if spec.rules is not None else ""
        out.print(
            f"{path}: ok — journey {spec.key!r}, {stages}, {points}{rules}",
            markup=False,
        )


def _load(path: Path) -> JourneySpec:
    """The journey in ``path``, its rules checked too (each problem with its line)."""
    return journey.load_journey_file(path, check_rules=orchestration.check_journey_rules)


@app.command()
def apply(
    file: FileArg,
    workspace: WorkspaceOption = None,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Delete stages, touchpoints and rules the file leaves out."),
    ] = False,
) -> None:
    """Create or update the journey in FILE, with its rules; running it twice changes nothing."""
    spec = _load(file)
    space = state.workspace(workspace)
    try:
        result = orchestration.apply_journey_with_rules(
            state.database(), workspace_id=space.id, spec=spec, prune=prune
        )
    except InvalidInput as error:
        raise journey.locate_in_file(error, file) from None
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
    """Write a journey, with its rules, as YAML that applies back to the same journey."""
    space = state.workspace(workspace)
    text = journey.dump_journey_yaml(
        orchestration.export_journey_with_rules(state.database(), workspace_id=space.id, key=key)
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
