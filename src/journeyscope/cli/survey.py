"""`journeyscope survey`: the template library and surveys on the configured database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from journeyscope import surveys
from journeyscope.cli.context import WorkspaceOption, out, print_table, state
from journeyscope.collection import PersonalLink, anonymous_link, published_survey, snippet_words
from journeyscope.settings import ensure_secret_key
from journeyscope.surveys import SurveyCreate, TouchpointRef

app = typer.Typer(
    help="Surveys: templates, create from a template, publish, links and invitations.",
    no_args_is_help=True,
)


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
    allow_placeholders: Annotated[
        bool,
        typer.Option(
            "--allow-placeholders",
            help="Publish even if the draft still shows its template's placeholders.",
        ),
    ] = False,
) -> None:
    """Freeze the survey's draft as its next version."""
    space = state.workspace(workspace)
    version, created = surveys.publish_survey(
        state.database(), workspace_id=space.id, key=key, allow_placeholders=allow_placeholders
    )
    verb = "published" if created else "unchanged since"
    out.print(f"survey {key!r}: {verb} version {version.number}", markup=False)


@app.command()
def link(
    key: Annotated[str, typer.Argument(help="The survey's key.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Print the survey's anonymous link (the same for everyone)."""
    space = state.workspace(workspace)
    survey = published_survey(state.database(), workspace_id=space.id, key=key)
    typer.echo(anonymous_link(state.link_base(), survey.public_id))


ContactOption = Annotated[
    str | None, typer.Option("--contact", help="External id of the contact the link is for.")
]
DaysOption = Annotated[int, typer.Option("--days", min=1, max=365, help="Days the link works.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Language, e.g. fr.")]


def _personal_link(
    key: str, workspace: str | None, contact: str | None, days: int, lang: str | None
) -> PersonalLink:
    from journeyscope import orchestration  # only the commands that make links load it

    space = state.workspace(workspace)
    return orchestration.make_personal_link(
        state.database(),
        workspace_id=space.id,
        survey_key=key,
        secret_key=ensure_secret_key(state.settings).get_secret_value(),
        base_url=state.link_base(),
        contact_external_id=contact,
        lifetime=dt.timedelta(days=days),
        lang=lang,
    )


@app.command()
def invite(
    key: Annotated[str, typer.Argument(help="The survey's key.")],
    contact: ContactOption = None,
    days: DaysOption = 30,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Print a personal link: one response, expires after --days."""
    made = _personal_link(key, workspace, contact, days, lang)
    typer.echo(made.url)


@app.command()
def snippet(
    key: Annotated[str, typer.Argument(help="The survey's key.")],
    contact: ContactOption = None,
    days: DaysOption = 30,
    lang: LangOption = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the HTML here (default: print it).")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Make a personal link and print (or --out) the email HTML with the first question."""
    made = _personal_link(key, workspace, contact, days, lang)
    email = made.email(snippet_words(made.lang))
    if out_file is None:
        typer.echo(email.html, nl=False)
        return
    out_file.write_text(email.html, encoding="utf-8")
    out.print(f"wrote {out_file} (link expires {made.expires_at:%Y-%m-%d})", markup=False)
