"""`journeyscope keys`: create, list and revoke API keys."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from journeyscope import workspaces
from journeyscope.cli.context import WorkspaceOption, out, print_table, state

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


@app.command()
def create(
    workspace: WorkspaceOption = None,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "cli",
) -> None:
    """Create an API key; it is printed once."""
    space = state.workspace(workspace)
    issued = workspaces.issue_key(state.database(), workspace_id=space.id, name=name)
    out.print(f"API key {issued.key.id} (shown once, store it now): {issued.token}", markup=False)


@app.command("list")
def list_keys(workspace: WorkspaceOption = None) -> None:
    """List the workspace's API keys (never their secrets)."""
    space = state.workspace(workspace)
    keys = workspaces.list_keys(state.database(), workspace_id=space.id)
    print_table(
        ("id", "key", "name", "status"),
        (
            (
                k.id,
                f"js_{k.prefix}_…",
                k.name,
                f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active",
            )
            for k in keys
        ),
    )


@app.command()
def revoke(
    key_id: Annotated[uuid.UUID, typer.Argument(help="The key's id (from `keys list`).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke an API key; requests with it fail at once."""
    space = state.workspace(workspace)
    workspaces.revoke_key(state.database(), workspace_id=space.id, key_id=key_id)
    out.print(f"revoked {key_id}", markup=False)
