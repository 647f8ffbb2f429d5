"""`journeyscope interviews`: import transcripts, analyse them, read reports, guides and exports."""

from __future__ import annotations

import dataclasses
import enum
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from journeyscope import interviews, nlp
from journeyscope.cli.context import WorkspaceOption, counted, err, out, state
from journeyscope.errors import InvalidInput, JourneyscopeError
from journeyscope.interviews import Document, Format, InterviewDetail, InterviewImport

app = typer.Typer(
    help="Interviews: import transcripts, analyse them, reports, exports and guides.",
    no_args_is_help=True,
)

TRANSCRIPT_SUFFIXES = (".txt", ".md", ".vtt", ".srt", ".docx", ".json")
"""The files a folder given to ``import`` contributes; others (notes, audio) are skipped."""

IdArg = Annotated[uuid.UUID, typer.Argument(help="The interview's id (see `interviews list`).")]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Write to this file (default: stdout for text, a file name for binary)."
    ),
]


class ReportFormat(enum.StrEnum):
    """Formats of the coaching report."""

    HTML = "html"  # a page to open in a browser
    MD = "md"  # Markdown
    JSON = "json"  # for scripts


class ExportFormat(enum.StrEnum):
    """Formats of an interview export."""

    CSV = "csv"  # one row per utterance, with its annotation
    QDPX = "qdpx"  # REFI-QDA project for NVivo, ATLAS.ti, MAXQDA


class GuideFormat(enum.StrEnum):
    """Formats of an interview guide."""

    MD = "md"  # Markdown
    DOCX = "docx"  # Word
    PDF = "pdf"  # PDF


def transcript_files(paths: list[Path]) -> list[Path]:
    """The files to import: files as given, and each folder's transcripts by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
            )
        else:
            found.append(path)
    if not found:
        raise InvalidInput(
            "No transcript files were found.",
            field="FILE",
            hint=f"give files or folders holding {', '.join(TRANSCRIPT_SUFFIXES)} files",
        )
    return found


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"{path}: cannot be read ({exc.strerror or exc}).",
            field="FILE",
            hint="check the path and that you may read the file",
        ) from None


class Analysis(enum.StrEnum):
    """When an imported interview is analysed."""

    NOW = "now"  # here, before the command moves on (the default)
    QUEUE = "queue"  # by the worker (journeyscope serve or journeyscope worker), later
    NONE = "none"  # not at all: import only (analyse later)


def _import_each(
    files: list[Path], options: InterviewImport, *, analysis: Analysis, workspace_id: uuid.UUID
) -> Iterator[tuple[Path, InterviewDetail | JourneyscopeError]]:
    db = state.database()
    for path in files:
        try:
            given = options.model_copy(update={"filename": path.name})
            stored = interviews.import_interview(
                db,
                workspace_id=workspace_id,
                source=_read(path),
                options=given,
                analyze=analysis is Analysis.QUEUE,
            )
            if analysis is Analysis.NOW:  # claimed here, so no worker analyses it meanwhile
                done = interviews.analyze_interview(
                    db, workspace_id=workspace_id, interview_id=stored.id
                )
            else:
                done = interviews.get_interview(
                    db, workspace_id=workspace_id, interview_id=stored.id
                )
            yield path, done
        except JourneyscopeError as exc:
            yield path, exc


def _progress(label: str) -> Progress:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    return Progress(*columns, console=err, transient=True)


def _print_imported(path: Path, result: InterviewDetail | JourneyscopeError) -> bool:
    if isinstance(result, JourneyscopeError):
        said = result.message.removeprefix(f"{path.name}: ")  # the importer names the file
        err.print(f"{path}: error: {said}", markup=False)
        if result.hint:
            err.print(f"  hint: {result.hint}", markup=False)
        return False
    findings = (
        f", {counted(result.finding_count, 'finding')}"
        if result.analyzed_at
        else f", {result.status.value}"
    )
    out.print(
        f"{path}: {result.id} {result.title!r} — {result.format.value}, "
        f"{counted(result.utterance_count, 'utterance')}{findings}",
        markup=False,
    )
    for warning in result.warnings:
        out.print(f"  warning: {warning}", markup=False)
    return True


@app.command("import")
def import_files(
    files: Annotated[
        list[Path], typer.Argument(help="Transcript files, or folders of them.", exists=True)
    ],
    journey: Annotated[
        str, typer.Option("--journey", help="The key of the journey the interviews explore.")
    ],
    participant: Annotated[str | None, typer.Option(help="Who was interviewed.")] = None,
    title: Annotated[str | None, typer.Option(help="Title (default: the file name).")] = None,
    format: Annotated[Format | None, typer.Option(help="Format (default: detected).")] = None,
    interviewer: Annotated[
        str | None, typer.Option(help="The interviewer's speaker label.")
    ] = None,
    redact: Annotated[
        bool, typer.Option("--redact/--no-redact", help="Take PII out before storing.")
    ] = True,
    redact_names: Annotated[
        list[str] | None, typer.Option("--redact-name", help="A name to take out (repeatable).")
    ] = None,
    no_analyze: Annotated[
        bool, typer.Option("--no-analyze", help="Import only; analyse later.")
    ] = False,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue", help="Leave the analysis to the worker (serve or worker) and return."
        ),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Import interview transcripts (files or folders) and analyse them, with a progress bar.

    Each file becomes one interview, analysed here before the command goes on (so the
    command waits for the analysis), or with --queue by the worker later. A file that cannot
    be imported is reported and skipped; the command then exits 1 after importing the others.
    """
    if queue and no_analyze:
        raise typer.BadParameter("give --queue or --no-analyze, not both", param_hint="--queue")
    space = state.workspace(workspace)
    # Refuse an unknown journey once, not once per file.
    interviews.list_interviews(
        state.database(), workspace_id=space.id, journey_key=journey, limit=1
    )
    options = InterviewImport(
        journey_key=journey,
        participant=participant,
        title=title,
        format=format,
        interviewer=interviewer,
        redact=redact,
        redact_names=tuple(redact_names or ()),
    )
    paths = transcript_files(files)
    failed = 0
    with _progress("importing") as progress:
        task = progress.add_task("import", total=len(paths))
        for path, result in _import_each(
            paths,
            options,
            analysis=Analysis.NONE if no_analyze else Analysis.QUEUE if queue else Analysis.NOW,
            workspace_id=space.id,
        ):
            failed += not _print_imported(path, result)
            progress.advance(task)
    if failed:
        err.print(f"{failed} of {len(paths)} files were not imported", markup=False)
        raise typer.Exit(code=1)


@app.command("list")
def list_interviews(
    journey: Annotated[str | None, typer.Option(help="Only this journey's interviews.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """List the workspace's interviews, oldest import first."""
    space = state.workspace(workspace)
    found: list[interviews.Interview] = []
    cursor: str | None = None
    while True:
        page = interviews.list_interviews(
            state.database(), workspace_id=space.id, journey_key=journey, cursor=cursor
        )
        found += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    out.print(_interview_table(found, wide=out.width >= WIDE))


WIDE = 110
"""From this many columns on, participant and analysis time get columns of their own."""


def _interview_table(found: list[interviews.Interview], *, wide: bool) -> Table:
    """The list as a table that reads at 80 columns: whole ids and keys, titles wrapped by word.

    Narrower than :data:`WIDE`, the participant joins the title and the analysis time is left
    out (``findings`` says ``-`` for an interview never analysed).
    """
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", no_wrap=True, min_width=36)  # whole, to copy into other commands
    table.add_column("title", overflow="fold", ratio=1, min_width=12)
    if wide:
        table.add_column("participant", overflow="fold")
    table.add_column("journey", no_wrap=True)
    table.add_column("turns", justify="right", no_wrap=True)
    table.add_column("findings", justify="right", no_wrap=True)
    if wide:
        table.add_column("analysed", no_wrap=True)
    for i in found:
        title = i.title if wide or not i.participant else f"{i.title} ({i.participant})"
        findings = str(i.finding_count) if i.analyzed_at else "-"
        cells = [str(i.id), title, i.journey_key or "", str(i.utterance_count), findings]
        if wide:
            cells.insert(2, i.participant or "")
            cells.append(f"{i.analyzed_at:%Y-%m-%d %H:%M}" if i.analyzed_at else i.status.value)
        table.add_row(*cells)
    return table


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}] "


@app.command()
def show(interview_id: IdArg, workspace: WorkspaceOption = None) -> None:
    """Show an interview: its utterances with roles, stages and emotions, then its findings."""
    space = state.workspace(workspace)
    detail = interviews.get_interview(
        state.database(), workspace_id=space.id, interview_id=interview_id
    )
    out.print(f"{detail.title} ({detail.id})", markup=False)
    out.print(
        f"journey: {detail.journey_key or '-'}; participant: {detail.participant or '-'}; "
        f"format: {detail.format.value}; redacted: {'yes' if detail.redacted else 'no'}",
        markup=False,
    )
    for u in detail.utterances:
        notes = []
        if u.stage is not None:
            notes.append(f"stage {u.stage.stage}")
        if u.annotation is not None and u.annotation.emotions:
            notes.append(", ".join(f"{k} {v:.2f}" for k, v in u.annotation.emotions.items()))
        if u.question is not None:
            notes.append(f"{u.question.value} question")
        tail = f"  ({'; '.join(notes)})" if notes else ""
        out.print(
            f"{_clock(u.start)}{u.speaker or '?'} [{u.role.value}]: {u.text}{tail}", markup=False
        )
    for f in detail.findings:
        out.print(f"- {f.kind.value}: {f.summary}", markup=False)
        for quote in f.quotes:
            out.print(f'    "{quote.text}" (#{quote.position})', markup=False)


def _all_ids(workspace_id: uuid.UUID) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    cursor: str | None = None
    while True:
        page = interviews.list_interviews(
            state.database(), workspace_id=workspace_id, cursor=cursor
        )
        ids += [i.id for i in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


@app.command()
def analyze(
    interview_id: Annotated[
        uuid.UUID | None, typer.Argument(help="The interview's id.", show_default=False)
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Analyse every interview.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Analyse one interview (or all with --all) again, here; the new analysis replaces the old.

    The command waits for each analysis (a worker holding one of them loses it to this one).
    """
    if (interview_id is None) == (not all_):
        raise typer.BadParameter("give an interview id or --all, not both", param_hint="ID")
    space = state.workspace(workspace)
    ids = _all_ids(space.id) if all_ else [interview_id] if interview_id else []
    with _progress("analysing") as progress:
        task = progress.add_task("analyze", total=len(ids))
        for one in ids:
            done = interviews.analyze_interview(
                state.database(), workspace_id=space.id, interview_id=one
            )
            found = counted(done.finding_count, "finding")
            out.print(f"{done.id} {done.title!r}: {found}", markup=False)
            progress.advance(task)


def _write(document: Document, path: Path | None, *, binary: bool) -> None:
    if path is None and not binary:
        typer.echo(document.content.decode("utf-8"), nl=False)
        return
    target = path or Path(document.filename)
    target.write_bytes(document.content)
    out.print(f"wrote {target}", markup=False)


@app.command()
def report(
    interview_id: IdArg,
    format: Annotated[ReportFormat, typer.Option(help="html, md or json.")] = ReportFormat.HTML,
    out_path: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the interviewer coaching report of an analysed interview."""
    space = state.workspace(workspace)
    document = interviews.coaching_report(
        state.database(), workspace_id=space.id, interview_id=interview_id, fmt=format.value
    )
    _write(document, out_path, binary=False)


@app.command()
def export(
    interview_id: IdArg,
    format: Annotated[ExportFormat, typer.Option(help="csv or qdpx.")] = ExportFormat.CSV,
    out_path: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export an interview: utterances as CSV, or a REFI-QDA project (.qdpx)."""
    space = state.workspace(workspace)
    document = interviews.export_interview(
        state.database(), workspace_id=space.id, interview_id=interview_id, fmt=format.value
    )
    _write(document, out_path, binary=format is ExportFormat.QDPX)


@app.command()
def guide(
    journey: Annotated[str, typer.Argument(help="The journey's key.")],
    format: Annotated[GuideFormat, typer.Option(help="md, docx or pdf.")] = GuideFormat.MD,
    out_path: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write an interview guide for a journey: open questions stage by stage."""
    space = state.workspace(workspace)
    document = interviews.interview_guide(
        state.database(), workspace_id=space.id, journey_key=journey, fmt=format.value
    )
    _write(document, out_path, binary=format is not GuideFormat.MD)


@app.command()
def insights(
    journey: Annotated[str | None, typer.Option(help="Only this journey's interviews.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Across analysed interviews: emotions per journey stage, and recurring themes."""
    space = state.workspace(workspace)
    found = interviews.interview_insights(
        state.database(), workspace_id=space.id, journey_key=journey
    )
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(found), indent=2, ensure_ascii=False))
        return
    out.print(f"{counted(found.interviews, 'analysed interview')}", markup=False)
    for stage in found.stages:  # in the journey's order
        feelings = ", ".join(f"{k} x{n}" for k, (n, _) in list(stage.emotions.items())[:4])
        out.print(
            f"{stage.stage}: {counted(stage.turns, 'turn')}, valence {stage.valence:+.2f}, "
            f"{stage.minimized} played down; {feelings or 'no emotion'}",
            markup=False,
        )
    for theme in found.themes:
        sizes = f"{counted(theme.size, 'quote')}, {counted(theme.interviews, 'interview')}"
        out.print(f"\ntheme: {theme.label} ({sizes})", markup=False)
        for quote in theme.quotes:
            out.print(f'  "{quote.text}"', markup=False)


@app.command("check-question")
def check_question(
    text: Annotated[str, typer.Argument(help="The question, in quotes.")],
) -> None:
    """Say what kind of question TEXT is (open, closed, leading, ...) and suggest a rewrite."""
    check = nlp.classify_question(text)
    out.print(f"{check.kind.value}: {check.reason}", markup=False)
    if check.rewrite:
        out.print(f"try: {check.rewrite}", markup=False)
