"""Import contacts from a CSV file.

Valid rows are upserted in committed batches, invalid rows are
written to a rejects file with the reason, so a re-run (after a crash or a fix) duplicates
nothing and loses nothing already imported.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from journeyscope.collection.contacts import upsert_contacts
from journeyscope.collection.models import ContactIn
from journeyscope.errors import InvalidInput
from journeyscope.store import Database

BATCH_SIZE = 500
KNOWN_COLUMNS = ("external_id", "email", "phone", "name", "locale", "timezone")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; ``rejects_path`` is set only when some rows were rejected."""

    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejects_path: Path | None


def count_rows(path: Path) -> int:
    """Data rows in the file (for a progress bar's total); quoted newlines may overcount."""
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def open_csv(path: Path) -> TextIO:
    """The file, opened as UTF-8 text (a BOM allowed); clear errors for the usual mistakes."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        handle.read(1 << 16)
        handle.seek(0)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file.", hint="check the path") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder.", hint="give the path of a CSV file") from None
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path}: the file is not UTF-8 text.",
            hint="save it as 'CSV UTF-8' (Excel) or convert it with iconv",
        ) from None
    return handle


def contact_from_row(row: dict[str, str]) -> ContactIn:
    """Known columns become fields; every other non-empty column becomes an attribute."""
    fields: dict[str, Any] = {k: v for k, v in row.items() if k in KNOWN_COLUMNS and v.strip()}
    fields["attributes"] = {
        k: v for k, v in row.items() if k not in KNOWN_COLUMNS and k and v.strip()
    }
    return ContactIn.model_validate(fields)


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "row"
        parts.append(f"{field}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def csv_header(reader: csv.DictReader[str], path: Path) -> list[str]:
    """The column names, lower-cased; an ``external_id`` column is required."""
    names = [(n or "").strip().lower() for n in (reader.fieldnames or [])]
    if "external_id" not in names:
        raise InvalidInput(
            f"{path}: the header has no external_id column (found: {', '.join(names) or 'none'}).",
            hint="make the first line the column names, with an external_id column holding "
            "each contact's id in your own systems",
        )
    return names


def _rows(path: Path, handle: TextIO) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """(line number, normalised row, raw row) for every data row."""
    reader = csv.DictReader(handle)
    names = csv_header(reader, path)
    for raw in reader:
        values = list(raw.values())
        row = {
            n: (v or "").strip() if isinstance(v, str) else ""
            for n, v in zip(names, values, strict=False)
        }
        yield reader.line_num, row, {k: v for k, v in raw.items() if isinstance(v, str)}


class _Rejects:
    """Writes rejected rows (with line and reason) lazily: no rejects, no file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._writer: csv.DictWriter[str] | None = None
        self._handle: TextIO | None = None

    def add(self, line: int, raw: dict[str, str], reason: str) -> None:
        if self._writer is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            fields = ["line", "reason", *[k for k in raw if k]]
            self._writer = csv.DictWriter(self._handle, fieldnames=fields, extrasaction="ignore")
            self._writer.writeheader()
        self._writer.writerow({"line": line, "reason": reason, **raw})
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def import_contacts_csv(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    path: Path,
    rejects_path: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert the file's contacts by ``external_id``; see the module docstring."""
    rejects = _Rejects(rejects_path or path.with_suffix(".rejects.csv"))
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    batch: list[ContactIn] = []
    rows = 0

    def flush() -> None:
        counts = upsert_contacts(db, workspace_id=workspace_id, items=batch)
        for name in totals:
            totals[name] += getattr(counts, name)
        if on_progress:
            on_progress(len(batch))
        batch.clear()

    with open_csv(path) as handle:
        try:
            for line, row, raw in _rows(path, handle):
                rows += 1
                try:
                    batch.append(contact_from_row(row))
                except ValidationError as exc:
                    rejects.add(line, raw, _reason(exc))
                    if on_progress:
                        on_progress(1)
                if len(batch) >= BATCH_SIZE:
                    flush()
            if batch:
                flush()
        finally:
            rejects.close()
    return ImportReport(
        rows=rows,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count else None,
        **totals,
    )
