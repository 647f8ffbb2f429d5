"""`journeyscope send`: one survey to the contacts of a CSV file (a relationship-NPS wave)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from journeyscope import orchestration
from journeyscope.cli.context import WorkspaceOption, counted, err, out, state
from journeyscope.orchestration import EXPLANATIONS, Reason, Wave, WaveReport


class SendChannel(enum.StrEnum):
    """Channels a wave can be sent on."""

    EMAIL = "email"  # the contact's email address
    SMS = "sms"  # a text message with the link, to the contact's phone
    CALL_CENTER = "call_center"  # an automated phone survey


def send(
    survey: Annotated[str, typer.Argument(help="The key of the (published) survey to send.")],
    contacts: Annotated[
        Path,
        typer.Option(
            "--contacts",
            help="CSV with an external_id column (email, phone, name, locale, timezone; "
            "other columns become attributes).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    channel: Annotated[SendChannel, typer.Option(help="How to send it.")] = SendChannel.EMAIL,
    wave: Annotated[
        str | None,
        typer.Option(
            help="The wave's name; running a wave again invites no one twice "
            "(default: from the file's content).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; count what would be sent.")
    ] = False,
    require_consent: Annotated[
        bool,
        typer.Option("--require-consent", help="Only contacts who consented on the channel."),
    ] = False,
    expires_after_days: Annotated[
        int, typer.Option(min=1, max=365, help="Invitations not sent by then expire.")
    ] = 14,
    workspace: WorkspaceOption = None,
) -> None:
    """Send a survey to the contacts of a CSV file, under the contact policies.

    Contacts are upserted by external_id (not in a dry run); each row plans one invitation,
    or a suppressed one with the reason (recontact period, quarantine, cap, unsubscribed,
    bounced, no consent, no address). The dispatcher sends them (serve or worker).
    """
    space = state.workspace(workspace)
    request = Wave(
        survey=survey,
        path=contacts,
        channel=channel.value,
        name=wave,
        require_consent=require_consent,
        expires_after_days=expires_after_days,
        dry_run=dry_run,
    )
    columns = (TextColumn("planning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("send", total=None)
        report = orchestration.send_wave(
            state.database(),
            workspace_id=space.id,
            wave=request,
            on_progress=lambda done, total: progress.update(task, advance=done, total=total),
        )
    _print(report)


def _print(report: WaveReport) -> None:
    head = "dry run of wave" if report.dry_run else "wave"
    out.print(
        f"{head} {report.wave}: survey {report.survey} by {report.channel}, "
        f"{counted(report.rows, 'row')}",
        markup=False,
    )
    sent = "would be sent" if report.dry_run else "scheduled to be sent"
    out.print(f"  {sent}: {report.scheduled}", markup=False)
    suppressed = "would be suppressed" if report.dry_run else "suppressed"
    out.print(f"  {suppressed}: {report.suppressed_total}", markup=False)
    for reason, count in report.suppressed.items():
        words = EXPLANATIONS[Reason(reason)] if reason in set(Reason) else reason
        out.print(f"    {reason}: {count} — {words}", markup=False)
    if report.already:
        out.print(f"  planned by an earlier run of this wave: {report.already}", markup=False)
    if report.duplicates:
        out.print(f"  rows repeating an external_id, skipped: {report.duplicates}", markup=False)
    if report.dry_run:
        out.print("nothing was written; run it again without --dry-run to send", markup=False)
    else:
        out.print(
            f"contacts: {report.contacts_created} created, {report.contacts_updated} updated; "
            "the dispatcher (journeyscope serve or worker) sends the invitations when due",
            markup=False,
        )
