"""`journeyscope demo`: a workspace to try everything on, then the server.

It applies the example journeys, publishes three surveys on retail touchpoints, adds the
trigger rule that makes the README's ``sale.completed`` event invite its contact, imports
and analyses the example interview, fills the workspace with a year of simulated traffic on
the retail journey (with one planted regression, which the change detection then finds),
prints a fresh API key, the dashboard's address, the owner's sign-in (a new password each
run) and the links, and serves.
Invitation emails go to the console (:mod:`journeyscope.orchestration.channels.console`)
unless ``JOURNEYSCOPE_EMAIL_DELIVERY`` says otherwise: a demo never mails anyone by surprise.
Running it again changes nothing but the key and the owner's password, and adds the simulated
days since the last run: the simulated year is anchored on the day the demo workspace was
made (ids derive from the seed and the day), so a rerun writes only what is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from journeyscope import (
    analytics,
    interviews,
    journey,
    orchestration,
    simulation,
    surveys,
    workspaces,
)
from journeyscope.cli.context import counted, err, out, state
from journeyscope.cli.setup import Host, Port, serve
from journeyscope.collection import kiosk_url, survey_url
from journeyscope.errors import NotFound
from journeyscope.store import Database

DEMO_WORKSPACE = "demo"


def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Set up the demo data, then exit.")
    ] = False,
) -> None:
    """Set up a 'demo' workspace with the example journeys and a fresh API key, then serve."""
    state.default_to(mail={"delivery": "console"})
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
    _demo_owner(db, space.id)
    _demo_surveys(db, space.id)
    _demo_rules(db, space.id)
    _demo_interview(db, space.id)
    _demo_traffic(db, space)
    out.print(f"Dashboard: {state.settings.web.base_url}/app/overview", markup=False)
    if not no_serve:
        serve(host=host, port=port)


DEMO_DAYS = 365
"""Days of simulated traffic before the day the demo workspace was made."""
DEMO_PER_DAY = 60.0
"""Completed responses on an average simulated day (about 22,000 a year)."""
DEMO_SEED = 1
DEMO_REGRESSION = ("nps", -30.0)
"""The planted regression: the busiest touchpoint's NPS falls 30 points six weeks before the
end of the simulated year."""
REGRESSION_WEEKS = 6


def _demo_traffic(db: Database, space: workspaces.Workspace) -> None:
    """Simulate the retail journey's year (what is missing of it), then detect its changes."""
    start = space.created_at.date() - dt.timedelta(days=DEMO_DAYS)
    days = (db.clock.now().date() - start).days
    metric, size = DEMO_REGRESSION
    touchpoint = simulation.busiest_touchpoint(
        db, workspace_id=space.id, seed=DEMO_SEED, journey_key="retail"
    )
    planted = simulation.PlantedChange(
        touchpoint, metric, start_day=max(0, DEMO_DAYS - 7 * REGRESSION_WEEKS), size=size
    )
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def show(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(f"simulated {step}", total=total)
            progress.update(tasks[step], completed=done)

        report = simulation.simulate(
            db,
            workspace_id=space.id,
            journey_key="retail",
            start=start,
            days=days,
            responses_per_day=DEMO_PER_DAY,
            seed=DEMO_SEED,
            planted=[planted],
            on_progress=show,
        )
        found = analytics.detect_metric_changes(db, workspace_id=space.id)
    last = start + dt.timedelta(days=days - 1)
    out.print(
        f"traffic {start} to {last} (UTC): {counted(report.responses, 'new response')}, "
        f"{counted(report.invitations, 'new invitation')} "
        f"({counted(report.days_skipped, 'day')} there already); "
        f"{counted(found.changes, 'change')} detected",
        markup=False,
    )


DEMO_OWNER = "owner@demo.localhost"


def _demo_owner(db: Database, workspace_id: uuid.UUID) -> None:
    """Make (or keep) the demo's owner, with a new password each run, and say how to sign in."""
    password = workspaces.generate_password()
    try:
        owner = workspaces.find_user(db, workspace_id=workspace_id, email=DEMO_OWNER)
    except NotFound:
        workspaces.add_user(
            db,
            workspace_id=workspace_id,
            email=DEMO_OWNER,
            role=workspaces.Role.OWNER,
            password=password,
            name="Demo owner",
        )
    else:
        workspaces.set_role(
            db, workspace_id=workspace_id, user_id=owner.id, role=workspaces.Role.OWNER
        )
        workspaces.set_password(db, workspace_id=workspace_id, user_id=owner.id, password=password)
    out.print(
        f"Sign in at {state.settings.web.base_url}/login as {DEMO_OWNER} with the password "
        f"{password} (new on every demo run; the previous one no longer works).",
        markup=False,
    )


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
            db, workspace_id=workspace_id, source=source, options=options, analyze=False
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
    base = state.settings.web.base_url
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
        out.print(f"survey {key}: {survey_url(base, found.public_id)}", markup=False)
    kiosk = journey.get_touchpoint(
        db, workspace_id=workspace_id, journey_key="retail", key="checkout-kiosk"
    )
    out.print(f"kiosk at retail/checkout-kiosk: {kiosk_url(base, kiosk.public_id)}")
    out.print(
        f'widget: <script src="{base}/static/widget/journeyscope.js"></script> then '
        f'journeyscope.init({{workspace: "{DEMO_WORKSPACE}", host: "{base}"}}) '
        "(see docs/channels/widget.md)",
        markup=False,
    )


DEMO_RULES = (
    {
        "key": "why-us-after-sale",
        "event_type": "sale.completed",
        "survey": "why-us",
        "channel": "email",
    },
)
"""The demo's trigger rules: a sale invites its contact at once, by email, to say why us."""


def _demo_rules(db: Database, workspace_id: uuid.UUID) -> None:
    """Create (or reset) the demo's rules and say what each does."""
    for raw in DEMO_RULES:
        rule, _ = orchestration.put_rule(
            db, workspace_id=workspace_id, spec=orchestration.RuleSpec.model_validate(raw)
        )
        out.print(
            f"rule {rule.key}: a {rule.event_type} event invites its contact to survey "
            f"{rule.survey} by {rule.channel}",
            markup=False,
        )


def _summary(result: journey.ApplyResult) -> str:
    counts = [f"{result.count(a)} {a.value}" for a in journey.ChangeAction if result.count(a)]
    return ", ".join(counts)
