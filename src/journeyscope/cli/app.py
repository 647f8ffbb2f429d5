"""The Typer application: global options and the command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from journeyscope import __version__
from journeyscope.cli import (
    contacts,
    interviews,
    invitations,
    journey,
    keys,
    qr,
    send,
    setup,
    survey,
    worker,
)

app = typer.Typer(
    name="journeyscope",
    help="Journeyscope: customer journey mapping from continuous feedback and interviews.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeyscope {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks and debug logs on errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Journeyscope command line: set up, serve, and manage journeys and contacts."""


setup.register(app)
worker.register(app)
app.add_typer(journey.app, name="journey")
app.add_typer(contacts.app, name="contacts")
app.add_typer(keys.app, name="keys")
app.add_typer(survey.app, name="survey")
app.add_typer(qr.app, name="qr")
send.register(app)
app.add_typer(invitations.app, name="invitations")
app.add_typer(interviews.app, name="interviews")
