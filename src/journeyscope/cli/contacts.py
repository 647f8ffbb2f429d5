"""`journeyscope contacts`: bulk import from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from journeyscope import collection
from journeyscope.cli.context import WorkspaceOption, counted, err, out, state

app = typer.Typer(help="Contacts: import from CSV.", no_args_is_help=True)


@app.command("import")
def import_csv(
    file: Annotated[Path, typer.Argument(help="CSV with an external_id column.", dir_okay=False)],
    workspace: WorkspaceOption = None,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Where to write rejected rows (default: FILE.rejects.csv)."),
    ] = None,
) -> None:
    """Upsert contacts from a CSV file by external_id; invalid rows go to a rejects file.

    Columns external_id, email, phone, name, locale and timezone fill those fields; any other
    column becomes an attribute. Batches are committed as they go, so a re-run after a crash
    or a fix creates no duplicates.
    """
    space = state.workspace(workspace)
    db = state.database()
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(
            "import", total=collection.count_rows(file) if file.exists() else None
        )
        report = collection.import_contacts_csv(
            db,
            workspace_id=space.id,
            path=file,
            rejects_path=rejects,
            on_progress=lambda n: progress.advance(task, n),
        )
    out.print(
        f"{counted(report.rows, 'row')}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected} rejected",
        markup=False,
    )
    if report.rejects_path is not None:
        out.print(f"rejected rows and reasons: {report.rejects_path}", markup=False)
        raise typer.Exit(code=1)
