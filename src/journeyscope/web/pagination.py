"""The list envelope every paginated endpoint returns."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ListPage(BaseModel, Generic[T]):
    """A page of items; follow ``next_cursor`` until it is ``null``."""

    data: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page.")


class ListAll(BaseModel, Generic[T]):
    """A complete (small, unpaginated) list."""

    data: list[T]
