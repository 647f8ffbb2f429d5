"""Batch sends: one survey to the contacts of a CSV file (a relationship-NPS wave).

Every row is a contact, upserted by ``external_id`` as ``contacts import`` does, and plans one
invitation under the same policies as the event planner (consent, unsubscribes and bounces, the
recontact period, the touchpoint's quarantine, the cap per period). A refused row is stored
``suppressed`` with its reason, so "why wasn't this customer asked?" has an answer. The work is
done :data:`BATCH_SIZE` rows per transaction, with a fixed handful of queries each
(:func:`repo.histories`), never one per row.

A wave has a name: the one given, or ``file-`` and the start of the file's SHA-256. Each
invitation's ``dedup_key`` is ``batch:{survey}:{wave}:{contact id}``, so running the same wave
again (after a crash, or by mistake) plans nothing new. A dry run reads the same data, writes
nothing, and counts what the real run would do.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.orm import Session

from journeyscope import collection, surveys
from journeyscope.collection import (
    ContactIn,
    contact_from_row,
    contacts_by_external_id,
    csv_header,
    open_csv,
)
from journeyscope.errors import InvalidInput, Problem, problem_text
from journeyscope.orchestration import outbox, repo
from journeyscope.orchestration.models import ContactHistory
from journeyscope.orchestration.policies import Limits, Reason, refusal
from journeyscope.orchestration.rules import DeliveryChannel
from journeyscope.store import Database, chunks, insert_ignoring_conflicts, new_id, tables

BATCH_SIZE = 500
"""Rows per transaction."""
MAX_PROBLEMS = 20
"""Bad rows listed in an error; the message counts the rest."""
WAVE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
Invitation = tables.Invitation


@dataclass(frozen=True, slots=True)
class Wave:
    """What to send: one survey to the contacts of a CSV file, on one channel."""

    survey: str
    path: Path
    channel: DeliveryChannel = "email"
    name: str | None = None  # None: "file-" and the start of the file's SHA-256
    require_consent: bool = False  # only contacts who consented on the channel
    expires_after_days: int = 14  # an invitation not sent by then expires
    dry_run: bool = False  # write nothing, count what a real run would do


@dataclass(frozen=True, slots=True)
class WaveReport:
    """What a wave did (or, in a dry run, would do)."""

    wave: str
    survey: str
    channel: str
    dry_run: bool
    rows: int  # data rows in the file
    duplicates: int  # rows repeating an earlier row's external_id: skipped
    already: int  # planned by an earlier run of the same wave: left alone
    scheduled: int  # invitations planned to go out
    suppressed: dict[str, int]  # refused invitations by reason (Reason values)
    contacts_created: int = 0
    contacts_updated: int = 0

    @property
    def suppressed_total(self) -> int:
        """How many were refused, whatever the reason."""
        return sum(self.suppressed.values())


def send_wave(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    wave: Wave,
    on_progress: Callable[[int, int], None] | None = None,
) -> WaveReport:
    """Plan the wave's invitations; see the module docstring.

    The survey is checked first, then the whole file, so a bad row stops the wave before
    anything is written. ``on_progress(rows_just_done, total_rows)`` is called after each
    transaction.

    Raises:
        NotFound: No survey has the key ``wave.survey``.
        InvalidInput: The survey is not published or archived, the wave name is not valid, or
            the file is unreadable, lacks an ``external_id`` column or has bad rows (each
            listed with its line).
    """
    now = db.clock.now()
    target = _target(db, workspace_id, wave.survey)
    rows, digest = check_wave_file(wave.path)
    name = _wave_name(wave.name, digest)
    run = _Run(workspace_id, wave, name, target, now)
    seen: set[str] = set()
    for chunk in chunks(_contacts(wave.path), BATCH_SIZE):
        fresh = []
        for contact in chunk:
            if contact.external_id not in seen:
                seen.add(contact.external_id)
                fresh.append(contact)
        run.duplicates += len(chunk) - len(fresh)
        if fresh:
            _plan(db, run, fresh)
        if on_progress:
            on_progress(len(chunk), rows)
    return run.report(rows)


# --- the survey and the wave's name --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    survey_id: uuid.UUID
    touchpoint_id: uuid.UUID | None
    quarantine_days: int | None


def _target(db: Database, workspace_id: uuid.UUID, key: str) -> _Target:
    """The published survey ``key`` and its touchpoint, or why it cannot be sent."""
    survey = surveys.get_survey(db, workspace_id=workspace_id, key=key)
    with db.transaction() as session:
        target = repo.survey_targets(session, workspace_id, [survey.id])[survey.id]
    if target.archived_at is not None:
        raise InvalidInput(
            f"The survey {key!r} is archived: it takes no more answers.",
            field="survey",
            hint="send another survey",
        )
    if target.published_version is None:
        raise InvalidInput(
            f"The survey {key!r} is not published yet.",
            field="survey",
            hint=f"publish it first (`journeyscope survey publish {key}`), then send again",
        )
    return _Target(survey.id, target.touchpoint_id, target.quarantine_days)


def _wave_name(given: str | None, digest: str) -> str:
    name = given if given is not None else f"file-{digest[:12]}"
    if not WAVE_PATTERN.fullmatch(name):
        raise InvalidInput(
            f"{name!r} is not a valid wave name.",
            field="wave",
            hint="use letters, digits, '.', '-' and '_' (at most 63), e.g. 2026-q4",
        )
    return name


# --- reading the file ----------------------------------------------------------------------------


def check_wave_file(path: Path) -> tuple[int, str]:
    """Check every row of a wave file; ``(rows, SHA-256 of the file)``.

    Raises:
        InvalidInput: The file is unreadable, not UTF-8, has no ``external_id`` column, or has
            rows that are not valid contacts; the first :data:`MAX_PROBLEMS` are listed with
            their line, column, problem and fix.
    """
    problems: list[Problem] = []
    rows = 0
    for line, row in _rows(path):
        rows += 1
        try:
            contact_from_row(row)
        except ValidationError as error:
            problems += [_row_problem(line, e) for e in error.errors(include_url=False)]
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = f" (the first {len(shown)} are listed)" if len(problems) > len(shown) else ""
        count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
        raise InvalidInput(
            f"{path}: {count} in the file{more}; nothing was sent.",
            hint="fix or empty each cell listed (empty cells are fine except external_id), "
            "then run the command again",
            problems=shown,
        )
    with path.open("rb") as handle:
        return rows, hashlib.file_digest(handle, "sha256").hexdigest()


_COLUMN_FIXES = {
    "external_id": "give every row the contact's id in your own systems",
    "email": "write a valid address (name@example.com), or empty the cell",
    "phone": "write the number with its country code (+33612345678), or empty the cell",
    "locale": "write a language tag such as en or fr-CA, or empty the cell",
    "timezone": "write an IANA time zone such as Europe/Paris, or empty the cell",
}


def _row_problem(line: int, error: ErrorDetails) -> Problem:
    column = str(error["loc"][0]) if error["loc"] else "row"
    text = f"the {column} cell is empty" if error["type"] == "missing" else problem_text(error)
    return Problem(column, text, _COLUMN_FIXES.get(column, "correct the cell"), line)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells by lower-case column name) for every data row."""
    with open_csv(path) as handle:
        reader = csv.DictReader(handle)
        names = csv_header(reader, path)
        try:
            for raw in reader:
                cells = [v if isinstance(v, str) else "" for v in raw.values()]
                yield reader.line_num, {n: v.strip() for n, v in zip(names, cells, strict=False)}
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{path}: line {reader.line_num + 1} is not UTF-8 text.",
                hint="save the file as 'CSV UTF-8' (Excel) or convert it with iconv",
            ) from None


def _contacts(path: Path) -> Iterator[ContactIn]:
    for line, row in _rows(path):
        try:
            yield contact_from_row(row)
        except ValidationError as error:  # the file changed since it was checked
            problems = [_row_problem(line, e) for e in error.errors(include_url=False)]
            raise InvalidInput(f"{path} changed while it was sent.", problems=problems) from None


# --- planning ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    """A contact as the policies read it: stored, with the file's values over the stored ones."""

    id: uuid.UUID
    external_id: str
    email: str | None
    phone: str | None


@dataclass
class _Run:
    """One wave's fixed inputs and running counts."""

    workspace_id: uuid.UUID
    wave: Wave
    name: str
    target: _Target
    now: dt.datetime
    duplicates: int = 0
    already: int = 0
    scheduled: int = 0
    suppressed: Counter[str] = field(default_factory=Counter)
    created: int = 0
    updated: int = 0

    def dedup_key(self, person: _Person) -> str:
        return f"batch:{self.wave.survey}:{self.name}:{person.id}"

    def report(self, rows: int) -> WaveReport:
        return WaveReport(
            wave=self.name,
            survey=self.wave.survey,
            channel=self.wave.channel,
            dry_run=self.wave.dry_run,
            rows=rows,
            duplicates=self.duplicates,
            already=self.already,
            scheduled=self.scheduled,
            suppressed=dict(self.suppressed.most_common()),
            contacts_created=self.created,
            contacts_updated=self.updated,
        )


def _plan(db: Database, run: _Run, items: list[ContactIn]) -> None:
    """Upsert one chunk's contacts (unless a dry run), then plan their invitations."""
    if not run.wave.dry_run:
        counts = collection.upsert_contacts(db, workspace_id=run.workspace_id, items=items)
        run.created += counts.created
        run.updated += counts.updated
    with db.transaction() as session:
        people = _people(session, run.workspace_id, items)
        keys = {person.id: run.dedup_key(person) for person in people}
        done = _planned(session, run.workspace_id, list(keys.values()))
        fresh = [person for person in people if keys[person.id] not in done]
        run.already += len(people) - len(fresh)
        limits = repo.workspace_limits(session, run.workspace_id)
        found = repo.histories(
            session,
            run.workspace_id,
            fresh,
            touchpoint_ids=[run.target.touchpoint_id],
            since_cap=run.now - dt.timedelta(days=limits.cap_days),
        )
        policy = limits.policy(
            quarantine_days=run.target.quarantine_days, require_consent=run.wave.require_consent
        )
        rows = [_row(run, person, keys[person.id], policy, found[person.id]) for person in fresh]
        if rows and not run.wave.dry_run:
            session.execute(insert_ignoring_conflicts(session, Invitation.__table__), rows)


def _people(session: Session, workspace_id: uuid.UUID, items: Sequence[ContactIn]) -> list[_Person]:
    """Each item as a person; one not stored yet (a dry run) gets a new id and no history."""
    stored = contacts_by_external_id(session, workspace_id, [i.external_id for i in items])
    people = []
    for item in items:
        row = stored.get(item.external_id)
        people.append(
            _Person(
                id=row.id if row is not None else new_id(),
                external_id=item.external_id,
                email=item.email or (row.email if row is not None else None),
                phone=item.phone or (row.phone if row is not None else None),
            )
        )
    return people


def _planned(session: Session, workspace_id: uuid.UUID, keys: Sequence[str]) -> set[str]:
    """Which of these dedup keys an earlier run already stored."""
    stmt = select(Invitation.dedup_key).where(
        Invitation.workspace_id == workspace_id, Invitation.dedup_key.in_(keys)
    )
    return {key for key in session.scalars(stmt) if key is not None}


def _row(
    run: _Run, person: _Person, dedup_key: str, limits: Limits, history: ContactHistory
) -> dict[str, Any]:
    """One invitation row, scheduled now or suppressed with the first policy that refuses it."""
    reason: Reason | None = refusal(
        limits, history.on(run.wave.channel, run.target.touchpoint_id), run.now
    )
    if reason is None:
        run.scheduled += 1
    else:
        run.suppressed[reason.value] += 1
    return outbox.new_row(
        reason=reason,
        now=run.now,
        workspace_id=run.workspace_id,
        survey_id=run.target.survey_id,
        rule_id=None,
        contact_id=person.id,
        event_id=None,
        touchpoint_id=run.target.touchpoint_id,
        channel=run.wave.channel,
        dedup_key=dedup_key,
        due_at=run.now,
        expires_at=run.now + dt.timedelta(days=run.wave.expires_after_days),
    )
