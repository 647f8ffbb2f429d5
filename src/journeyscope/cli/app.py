"""The Typer application: global options, and every command group, loaded when it runs.

Nothing here imports a command module: ``journeyscope --help`` and ``--version`` must not
pay for SQLAlchemy, the web stack or the NLP models (see :mod:`journeyscope.cli.lazy`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from journeyscope import __version__
from journeyscope.cli.lazy import LazyCommand, LazyGroup

_CLI = "journeyscope.cli."
COMMANDS = {
    "init": LazyCommand(
        _CLI + "setup",
        "init",
        "Create a workspace, an API key and (--owner) its first owner; secrets print once.",
    ),
    "demo": LazyCommand(
        _CLI + "demo",
        "demo",
        "Set up a 'demo' workspace with the example journeys and a fresh API key, then serve.",
    ),
    "serve": LazyCommand(
        _CLI + "setup",
        "serve",
        "Start the API server (a SQLite database is upgraded first; PostgreSQL must be current).",
    ),
    "worker": LazyCommand(
        _CLI + "worker",
        "worker",
        "Send due invitations as a Celery worker on BROKER_URL (Redis or RabbitMQ).",
    ),
    "config": LazyCommand(
        _CLI + "setup", "config", "Print the effective settings (secrets masked)."
    ),
    "db": LazyCommand(_CLI + "setup", "db_app", "Database schema commands."),
    "workspaces": LazyCommand(
        _CLI + "setup", "list_workspaces", "List the workspaces in the database."
    ),
    "users": LazyCommand(
        _CLI + "users",
        "app",
        "People of a workspace: add, list, remove, set-role, set-password.",
    ),
    "keys": LazyCommand(_CLI + "keys", "app", "API keys: create, list, revoke."),
    "journey": LazyCommand(
        _CLI + "journey", "app", "Journey-as-code: validate, apply, export and list journeys."
    ),
    "survey": LazyCommand(
        _CLI + "survey",
        "app",
        "Surveys: templates, create from a template, publish, links and invitations.",
    ),
    "qr": LazyCommand(_CLI + "qr", "app", "QR codes of survey links and kiosk pages."),
    "contacts": LazyCommand(_CLI + "contacts", "app", "Contacts: import from CSV."),
    "send": LazyCommand(
        _CLI + "send",
        "send",
        "Send a survey to the contacts of a CSV file, under the contact policies.",
    ),
    "invitations": LazyCommand(
        _CLI + "invitations", "app", "Invitations: why a contact was or was not asked."
    ),
    "metrics": LazyCommand(
        _CLI + "analytics",
        "metrics",
        "Print a metric by group and period, each with its 95% interval and n (from rollups).",
    ),
    "analytics": LazyCommand(
        _CLI + "analytics",
        "app",
        "Analytics: the rollups behind every metric, rebuilt from the facts.",
    ),
    "simulate": LazyCommand(
        _CLI + "simulate",
        "simulate",
        "Fill a workspace with simulated contacts, events, invitations and responses.",
    ),
    "interviews": LazyCommand(
        _CLI + "interviews",
        "app",
        "Interviews: import transcripts, analyse them, reports, exports and guides.",
    ),
}
"""Every top-level command: its module, and the summary ``--help`` shows without importing it."""


class JourneyscopeGroup(LazyGroup):
    """The top-level group, with :data:`COMMANDS` loaded on first use."""

    lazy = COMMANDS


app = typer.Typer(
    name="journeyscope",
    cls=JourneyscopeGroup,
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
