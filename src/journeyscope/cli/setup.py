"""Set-up commands: init, serve, db, config, workspaces (``demo`` is in ``cli.demo``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from journeyscope import workspaces
from journeyscope.cli.context import out, print_table, state
from journeyscope.store import (
    backup_before_upgrade,
    current_revision,
    head_revision,
    upgrade,
)

if TYPE_CHECKING:
    from journeyscope.settings import Settings

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="TCP port to listen on.", min=1, max=65535)]
ForwardedAllowIps = Annotated[
    str | None,
    typer.Option(
        "--forwarded-allow-ips",
        help="Proxies whose X-Forwarded-For is believed: comma-separated IPs or networks, "
        "* for any (default: JOURNEYSCOPE_FORWARDED_ALLOW_IPS, else none).",
        show_default=False,
    ),
]


def init(
    workspace: Annotated[
        str, typer.Option("--workspace", "-w", help="Slug of the workspace to create.")
    ] = "default",
    name: Annotated[str | None, typer.Option(help="Display name (default: the slug).")] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            help="Email address of the workspace's first owner, who signs in to the web UI "
            "(a password is generated and printed once, unless --password-stdin).",
            show_default=False,
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the owner's password from the first line of stdin."
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print {"workspace": ..., "api_key": ...} (and "owner", "password") for scripts.',
        ),
    ] = False,
) -> None:
    """Create a workspace, an API key and (--owner) its first owner; secrets print once."""
    from journeyscope.cli.users import read_password_stdin, say_password

    if password_stdin and owner is None:
        raise typer.BadParameter("--password-stdin needs --owner EMAIL", param_hint="--owner")
    password = read_password_stdin() if password_stdin else None
    db = state.database()
    created = workspaces.create_workspace(db, slug=workspace, name=name)
    issued = workspaces.issue_key(db, workspace_id=created.id, name="init")
    added = None
    if owner is not None:
        added = workspaces.add_user(
            db,
            workspace_id=created.id,
            email=owner,
            role=workspaces.Role.OWNER,
            password=password,
        )
    if as_json:
        shown: dict[str, str | None] = {"workspace": created.slug, "api_key": issued.token}
        if added is not None:
            shown |= {"owner": added.user.email, "password": added.password}
        out.print_json(json.dumps(shown))
        return
    out.print(f"Created workspace {created.slug!r}.")
    out.print(f"API key (shown once, store it now): {issued.token}")
    if added is None:
        out.print(
            "Add the people who sign in to the web UI with "
            f"`journeyscope users add EMAIL --role owner -w {created.slug}`.",
            markup=False,
        )
        return
    out.print(f"Owner {added.user.email} added.", markup=False)
    say_password(added.user.email, added.password)
    out.print(f"Sign in at {state.link_base()}/login", markup=False)


def serve(
    host: Host = "127.0.0.1", port: Port = 8000, forwarded_allow_ips: ForwardedAllowIps = None
) -> None:
    """Start the API server (a SQLite database is upgraded first; PostgreSQL must be current)."""
    from journeyscope.orchestration import senders_from_settings
    from journeyscope.web import create_app, run_server
    from journeyscope.worker import (
        InProcessWorker,
        analysis_config,
        changes_interval,
        dispatch_config,
    )

    state.listen_on(host, port)
    settings = state.settings
    if forwarded_allow_ips is not None:
        settings = _trust_proxies(settings, forwarded_allow_ips)
    db = state.database()
    app = create_app(settings, db=db)
    worker = None
    if settings.worker.backend == "inprocess":
        config = dispatch_config(settings, app.state.secret_key)
        worker = InProcessWorker(
            db,
            senders_from_settings(settings),
            config,
            interval=settings.worker.dispatch_interval_seconds,
            analysis=analysis_config(settings),
            changes_interval=changes_interval(settings),
        ).start()
    out.print(f"Journeyscope on http://{host}:{port}  (API docs: http://{host}:{port}/v1/docs)")
    if worker is not None:
        out.print(
            f"Sending due invitations and analysing queued interviews in this process "
            f"({_email_route(settings)})."
        )
    else:
        out.print(
            "Due invitations are sent and queued interviews analysed by `journeyscope worker` "
            "processes (Celery)."
        )
    try:
        run_server(
            app,
            host=host,
            port=port,
            log_level=settings.log_level.lower(),
            forwarded_allow_ips=settings.web.forwarded_allow_ips,
        )
    finally:
        if worker is not None:
            worker.stop()


def _trust_proxies(settings: Settings, addresses: str) -> Settings:
    """``settings`` with ``--forwarded-allow-ips`` in place of the variable; exit 2 if bad."""
    from journeyscope.settings import check_proxy_addresses

    try:
        checked = check_proxy_addresses(addresses)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--forwarded-allow-ips") from None
    return settings.updated(web={"forwarded_allow_ips": checked})


def _email_route(settings: Settings) -> str:
    """Where invitation emails go, in words for the start-up lines."""
    if settings.mail.delivery == "console":
        return (
            "emails are printed here and kept in "
            f"{settings.data_dir / 'console-mail'}, not sent: JOURNEYSCOPE_EMAIL_DELIVERY=console"
        )
    return f"SMTP {settings.mail.smtp_host}:{settings.mail.smtp_port}"


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database schema to the version this code needs."""
    db = state.database(check_schema=False)
    before = current_revision(db.engine)
    copy = backup_before_upgrade(db.engine)
    if copy is not None:
        out.print(f"Backed up the database to {copy}.", markup=False)
    upgrade(db.engine)
    after = current_revision(db.engine)
    if before == after:
        out.print(f"Database already at {after}.")
    else:
        out.print(f"Database upgraded from {before or 'empty'} to {after}.")


@db_app.command("current")
def db_current() -> None:
    """Show the schema version of the database and the one this code needs."""
    db = state.database(check_schema=False)
    out.print(f"database: {current_revision(db.engine) or 'empty'}  code: {head_revision()}")


def config() -> None:
    """Print the effective settings (secrets masked)."""
    for name, value in state.settings.masked().items():
        out.print(f"{name}={value}", markup=False)


def list_workspaces() -> None:
    """List the workspaces in the database."""
    spaces = workspaces.list_workspaces(state.database())
    print_table(
        ("slug", "name", "created"), ((w.slug, w.name, f"{w.created_at:%Y-%m-%d}") for w in spaces)
    )
