"""`journeyscope survey`: the template library and surveys on the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from journeyscope import surveys
from journeyscope.cli.context import WorkspaceOption, out, print_table, state
from journeyscope.surveys import SurveyCreate, TouchpointRef

app = typer.Typer(help="Surveys: templates, create from a template, publish.", no_args_is_help=True)


@app.command()
def templates() -> None:
    """List the survey templates with the journey stage and channel each fits."""
    print_table(
        ("key", "name", "stage", "channel"),
        ((t.key, t.name, t.stage, t.channel) for t in surveys.list_templates()),
    )


@app.command()
def create(
    key: Annotated[str, typer.Argument(help="Key of the new survey.")],
    template: Annotated[str, typer.Option(help="Template key (see `survey templates`).")],
    workspace: WorkspaceOption = None,
    name: Annotated[str | None, typer.Option(help="Name (default: the template's).")] = None,
    touchpoint: Annotated[
        str | None,
        typer.Option(help="Attach to a touchpoint, as JOURNEY_KEY/TOUCHPOINT_KEY."),
    ] = None,
) -> None:
    """Create a survey from a template, optionally attached to a touchpoint."""
    space = state.workspace(workspace)
    chosen = surveys.get_template(template)
    ref = None
    if touchpoint is not None:
        journey_key, _, point_key = touchpoint.partition("/")
        ref = TouchpointRef(journey_key=journey_key, touchpoint_key=point_key)
    data = SurveyCreate(key=key, name=name or chosen.name, template=template, touchpoint=ref)
    made = surveys.create_survey(state.database(), workspace_id=space.id, data=data)
    out.print(f"created survey {made.key!r} (draft) from template {template!r}", markup=False)


@app.command()
def publish(
    key: Annotated[str, typer.Argument(help="The survey's key.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Freeze the survey's draft as its next version."""
    space = state.workspace(workspace)
    version, created = surveys.publish_survey(state.database(), workspace_id=space.id, key=key)
    verb = "published" if created else "unchanged since"
    out.print(f"survey {key!r}: {verb} version {version.number}", markup=False)
