"""`journeyscope invitations`: why a contact was, or was not, asked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from journeyscope import orchestration
from journeyscope.cli.context import WorkspaceOption, counted, out, state
from journeyscope.orchestration import InvitationState, InvitationView

app = typer.Typer(help="Invitations: why a contact was or was not asked.", no_args_is_help=True)


@app.callback()
def invitations() -> None:
    """Invitations planned by rules and waves, and what became of them."""


def _when(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@app.command()
def why(
    contact: Annotated[str, typer.Argument(help="The contact's external id.")],
    workspace: WorkspaceOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
) -> None:
    """List a contact's latest invitations with their state and, in words, why."""
    space = state.workspace(workspace)
    found = orchestration.invitations_of(
        state.database(), workspace_id=space.id, contact_external_id=contact, limit=limit
    )
    if not found:
        out.print(
            f"contact {contact} has no invitations: no enabled rule matched an event of "
            "theirs, and no wave (journeyscope send) included them",
            markup=False,
        )
        return
    out.print(f"contact {contact}: {counted(len(found), 'invitation')}, newest first", markup=False)
    for item in found:
        out.print(f"  {_line(item)}", markup=False)


def _line(item: InvitationView) -> str:
    """One invitation: when it was planned, what, its state and why, in one line."""
    if item.sent_at is not None:
        moment = f" (sent {_when(item.sent_at)})"
    elif item.state is InvitationState.SCHEDULED:
        moment = f" (due {_when(item.due_at)})"
    else:
        moment = ""
    plain = item.reason is None and item.state in _SELF_EXPLAINED
    why = "" if plain else f" — {item.explanation}"
    return (
        f"{_when(item.created_at)}  {item.survey_key} by {item.channel}: {item.state}{moment}{why}"
    )


_SELF_EXPLAINED = frozenset(
    {InvitationState.SCHEDULED, InvitationState.SENDING, InvitationState.SENT}
)
"""States whose name and time say it all."""
