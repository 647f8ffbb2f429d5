"""Set-up commands: init, demo, serve, db, config, workspaces."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer

from journeyscope import interviews, journey, surveys, workspaces
from journeyscope.cli.context import out, print_table, state
from journeyscope.collection import urls
from journeyscope.errors import NotFound
from journeyscope.store import (
    Database,
    backup_before_upgrade,
    current_revision,
    head_revision,
    upgrade,
)

db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
DEMO_WORKSPACE = "demo"

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="TCP port to listen on.", min=1, max=65535)]


def init(
    workspace: Annotated[
        str, typer.Option("--workspace", "-w", help="Slug of the workspace to create.")
    ] = "default",
    name: Annotated[str | None, typer.Option(help="Display name (default: the slug).")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"workspace": ..., "api_key": ...} for scripts.')
    ] = False,
) -> None:
    """Create a workspace and an API key; the key is printed once, store it now."""
    db = state.database()
    created = workspaces.create_workspace(db, slug=workspace, name=name)
    issued = workspaces.issue_key(db, workspace_id=created.id, name="init")
    if as_json:
        out.print_json(json.dumps({"workspace": created.slug, "api_key": issued.token}))
        return
    out.print(f"Created workspace {created.slug!r}.")
    out.print(f"API key (shown once, store it now): {issued.token}")


def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Start the API server (a SQLite database is upgraded first; PostgreSQL must be current)."""
    from journeyscope.orchestration.channels import senders_from_settings
    from journeyscope.web.app import create_app
    from journeyscope.web.server import run_server
    from journeyscope.worker import InProcessWorker, dispatch_config

    state.listen_on(host, port)
    settings = state.settings
    db = state.database()
    app = create_app(settings, db=db)
    worker = None
    if settings.worker_backend == "inprocess":
        config = dispatch_config(settings, app.state.secret_key)
        worker = InProcessWorker(
            db, senders_from_settings(settings), config, interval=settings.dispatch_interval_seconds
        ).start()
    out.print(f"Journeyscope on http://{host}:{port}  (API docs: http://{host}:{port}/v1/docs)")
    if worker is not None:
        out.print(
            f"Sending due invitations in this process "
            f"(SMTP {settings.smtp_host}:{settings.smtp_port})."
        )
    else:
        out.print("Due invitations are sent by `journeyscope worker` processes (Celery).")
    try:
        run_server(app, host=host, port=port, log_level=settings.log_level.lower())
    finally:
        if worker is not None:
            worker.stop()


def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Set up the demo data, then exit.")
    ] = False,
) -> None:
    """Set up a 'demo' workspace with the example journeys and a fresh API key, then serve."""
    state.listen_on(host, port)
    db = state.database()
    try:
        space = workspaces.find_workspace(db, DEMO_WORKSPACE)
    except NotFound:
        space = workspaces.create_workspace(db, slug=DEMO_WORKSPACE, name="Demo")
    for path in journey.example_paths():
        result = journey.apply_journey(
            db, workspace_id=space.id, spec=journey.load_journey_file(path)
        )
        out.print(f"journey {result.journey_key}: {_summary(result)}")
    for key in workspaces.list_keys(db, workspace_id=space.id):
        if key.name == "demo" and key.revoked_at is None:
            workspaces.revoke_key(db, workspace_id=space.id, key_id=key.id)
    issued = workspaces.issue_key(db, workspace_id=space.id, name="demo")
    out.print(f"Demo API key (earlier demo keys revoked): {issued.token}")
    _demo_surveys(db, space.id)
    _demo_interview(db, space.id)
    if not no_serve:
        serve(host=host, port=port)


DEMO_INTERVIEW_TITLE = "Example: SaaS customer interview"


def _demo_interview(db: Database, workspace_id: uuid.UUID) -> None:
    """Import and analyse the example interview once, and say how to read its results."""
    found = interviews.list_interviews(db, workspace_id=workspace_id, journey_key="saas-app")
    existing = [i for i in found.items if i.title == DEMO_INTERVIEW_TITLE]
    if existing:
        interview_id = existing[0].id
    else:
        options = interviews.InterviewImport(
            filename=interviews.EXAMPLE_INTERVIEW.name,
            journey_key="saas-app",
            title=DEMO_INTERVIEW_TITLE,
            participant="P01",
            interviewer="Maya Chen",
        )
        source = interviews.EXAMPLE_INTERVIEW.read_bytes()
        stored = interviews.import_interview(
            db, workspace_id=workspace_id, source=source, options=options
        )
        interview_id = interviews.analyze_interview(
            db, workspace_id=workspace_id, interview_id=stored.id
        ).id
    out.print(
        f"interview {interview_id}: journeyscope interviews report {interview_id} -w demo",
        markup=False,
    )


DEMO_SURVEYS = (
    # survey key, template, retail touchpoint, widget targeting
    ("kiosk", "kiosk-smiley-csat", "checkout-kiosk", None),
    ("why-us", "post-purchase-why-us", "email-receipt", None),
    ("found-it", "website-found-it", "product-page", {"enabled": True, "delay_seconds": 3}),
)
DEMO_PLACEHOLDERS = {
    "Edit this list to name your competitors.": None,
    "Competitor A": "Northwind Outdoor",
    "Competitor B": "Harbor & Pine",
    "Competitor C": "An online marketplace",
}
"""The demo shop's own words for the templates' placeholders (which publishing refuses)."""


def _demo_surveys(db: Database, workspace_id: uuid.UUID) -> None:
    """Publish a survey on three retail touchpoints and print where to answer them."""
    base = state.settings.base_url
    for key, template_key, point, targeting in DEMO_SURVEYS:
        template = surveys.get_template(template_key)
        try:
            found = surveys.get_survey(db, workspace_id=workspace_id, key=key)
        except NotFound:
            create = {
                "key": key,
                "name": template.name,
                "template": template_key,
                "touchpoint": {"journey_key": "retail", "touchpoint_key": point},
                "targeting": targeting or {},
            }
            data = surveys.SurveyCreate.model_validate(create)
            found = surveys.create_survey(db, workspace_id=workspace_id, data=data)
        if surveys.placeholders_left(template, found.draft):
            filled = surveys.fill_placeholders(template, DEMO_PLACEHOLDERS)
            surveys.replace_draft(db, workspace_id=workspace_id, key=key, definition=filled)
        surveys.publish_survey(db, workspace_id=workspace_id, key=key)
        out.print(f"survey {key}: {urls.survey_url(base, found.public_id)}", markup=False)
    kiosk = journey.get_touchpoint(
        db, workspace_id=workspace_id, journey_key="retail", key="checkout-kiosk"
    )
    out.print(f"kiosk at retail/checkout-kiosk: {urls.kiosk_url(base, kiosk.public_id)}")
    out.print(
        f'widget: <script src="{base}/static/widget/journeyscope.js"></script> then '
        f'journeyscope.init({{workspace: "{DEMO_WORKSPACE}", host: "{base}"}}) '
        "(see docs/channels/widget.md)",
        markup=False,
    )


def _summary(result: journey.ApplyResult) -> str:
    counts = [f"{result.count(a)} {a.value}" for a in journey.ChangeAction if result.count(a)]
    return ", ".join(counts)


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
