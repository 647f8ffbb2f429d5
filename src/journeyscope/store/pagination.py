"""Cursor pagination over time-ordered ids: stable under inserts, unlike offsets."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import InstrumentedAttribute

from journeyscope.errors import InvalidInput

T = TypeVar("T")
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the cursor of the next one (``None`` on the last page)."""

    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(last_id: uuid.UUID) -> str:
    """An opaque cursor: clients must not build or parse it."""
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    """Reverse :func:`encode_cursor`, refusing anything else with a clear error."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return uuid.UUID(bytes=raw)
    except (ValueError, binascii.Error):
        raise InvalidInput(
            "The cursor is not one this server gave out.",
            field="cursor",
            hint="pass the next_cursor value of the previous page unchanged, or omit it",
        ) from None


SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


def page_query(
    stmt: SelectT,
    id_column: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID],
    cursor: str | None,
    limit: int,
    *,
    newest_first: bool = False,
) -> SelectT:
    """Restrict ``stmt`` to the page after ``cursor``; fetches one extra row to detect the end.

    Ids are time-ordered, so ``newest_first`` walks them backwards (the cursor then names the
    last, oldest id of the page before).
    """
    if newest_first:
        if cursor is not None:
            stmt = stmt.where(id_column < decode_cursor(cursor))
        return stmt.order_by(id_column.desc()).limit(limit + 1)
    if cursor is not None:
        stmt = stmt.where(id_column > decode_cursor(cursor))
    return stmt.order_by(id_column).limit(limit + 1)


def make_page(rows: Sequence[T], limit: int, id_of: Any) -> Page[T]:
    """Build the page from the ``limit + 1`` rows :func:`page_query` fetched."""
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    kept = rows[:limit]
    return Page(items=kept, next_cursor=encode_cursor(id_of(kept[-1])))
