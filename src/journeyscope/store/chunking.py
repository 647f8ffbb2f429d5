"""Long ``IN (...)`` lists and batches cut into chunks of a bounded size."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
CHUNK = 500
"""Keys per ``IN (...)`` list: far below SQLite's and PostgreSQL's parameter limits."""


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``, read lazily (a generator is never listed whole)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    rest = iter(items)
    while chunk := list(itertools.islice(rest, size)):
        yield chunk
