"""`journeyscope users`: the people who sign in to the web UI, and their roles.

A password Journeyscope generates is printed once and is good for one sign-in (the person
chooses their own then); one given on standard input (``--password-stdin``) is kept as it is.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from journeyscope import workspaces
from journeyscope.cli.context import WorkspaceOption, out, print_table, state
from journeyscope.errors import InvalidInput

app = typer.Typer(
    help="People of a workspace: add, list, remove, set-role, set-password.",
    no_args_is_help=True,
)

Email = Annotated[str, typer.Argument(help="The person's email address (how they sign in).")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of generating "
        "one (keeps it out of the shell history and the process list).",
    ),
]
ROLE_HELP = (
    "viewer (reads), analyst (+ exports, annotates), admin (+ manages journeys, surveys, "
    "rules, channels, keys) or owner (+ manages people)."
)


def read_password_stdin() -> str:
    """The first line of standard input, without its line break; refused if empty."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput(
            "No password came on standard input.",
            field="--password-stdin",
            hint="pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | journeyscope users add ...`",
        )
    return line


def say_password(email: str, password: str | None) -> None:
    """Print a generated password once, or that the given one was kept."""
    if password is None:
        out.print(f"{email} signs in with the password given on standard input.", markup=False)
    else:
        out.print(
            f"Password for {email} (shown once; good for one sign-in, then they choose their "
            f"own): {password}",
            markup=False,
        )


@app.command()
def add(
    email: Email,
    role: Annotated[str, typer.Option("--role", "-r", help=ROLE_HELP)] = "viewer",
    workspace: WorkspaceOption = None,
    name: Annotated[str, typer.Option(help="The person's name, as pages show it.")] = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a person with a role; a generated password is printed once."""
    chosen_role = workspaces.parse_role(role, field="--role")
    password = read_password_stdin() if password_stdin else None
    space = state.workspace(workspace)
    added = workspaces.add_user(
        state.database(),
        workspace_id=space.id,
        email=email,
        role=chosen_role,
        password=password,
        name=name,
    )
    out.print(f"Added {added.user.email} to {space.slug} as {added.user.role.value}.", markup=False)
    say_password(added.user.email, added.password)
    out.print(f"Sign in at {state.link_base()}/login", markup=False)


@app.command("list")
def list_users(workspace: WorkspaceOption = None) -> None:
    """List the workspace's people and their roles (never their passwords)."""
    space = state.workspace(workspace)
    people = workspaces.list_users(state.database(), workspace_id=space.id)
    print_table(
        ("email", "role", "last sign-in"),
        (
            (
                u.email,
                u.role.value,
                f"{u.last_sign_in_at:%Y-%m-%d %H:%M} UTC" if u.last_sign_in_at else "never",
            )
            for u in people
        ),
    )


@app.command()
def remove(email: Email, workspace: WorkspaceOption = None) -> None:
    """Remove a person; their web sessions end at once."""
    space = state.workspace(workspace)
    db = state.database()
    person = workspaces.find_user(db, workspace_id=space.id, email=email)
    workspaces.remove_user(db, workspace_id=space.id, user_id=person.id)
    out.print(f"Removed {person.email} from {space.slug}.", markup=False)


@app.command("set-role")
def set_role(
    email: Email,
    role: Annotated[str, typer.Argument(help=ROLE_HELP)],
    workspace: WorkspaceOption = None,
) -> None:
    """Give a person another role (the last owner stays an owner)."""
    chosen_role = workspaces.parse_role(role, field="ROLE")
    space = state.workspace(workspace)
    db = state.database()
    person = workspaces.find_user(db, workspace_id=space.id, email=email)
    changed = workspaces.set_role(db, workspace_id=space.id, user_id=person.id, role=chosen_role)
    out.print(f"{changed.email} is now {changed.role.value} in {space.slug}.", markup=False)


@app.command("set-password")
def set_password(
    email: Email, workspace: WorkspaceOption = None, password_stdin: PasswordStdin = False
) -> None:
    """Set a person's password (generated and printed once, or from stdin); sessions end."""
    password = read_password_stdin() if password_stdin else None
    space = state.workspace(workspace)
    db = state.database()
    person = workspaces.find_user(db, workspace_id=space.id, email=email)
    changed = workspaces.set_password(
        db, workspace_id=space.id, user_id=person.id, password=password
    )
    out.print(f"New password set for {changed.user.email}; their sessions ended.", markup=False)
    say_password(changed.user.email, changed.password)
