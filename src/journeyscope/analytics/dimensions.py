"""The dimensions metrics are grouped and filtered by, and which rollup holds each.

Two narrow rollups answer every query (DESIGN.md §6: a rollup keyed on every dimension at
once is hundreds of times slower): ``metric_rollup`` holds ``stage`` (derived from the
touchpoint when queried), ``touchpoint``, ``channel``, ``survey`` and ``question``;
``segment_rollup`` holds ``stage`` and ``touchpoint`` with **one** of ``segment:<attribute>``,
``language`` or ``device_class``. A query's groups and filters together must fit one of
them; ``segment:tier`` by ``channel`` is refused, with the reason.

Also how a contact attribute's value becomes a segment value. Pure: imports nothing of the
project but ``errors``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final, Literal

from journeyscope.errors import InvalidInput

Rollup = Literal["metric", "segment"]
SEGMENT_PREFIX: Final = "segment:"
COMMON: Final = ("stage", "touchpoint")
METRIC_ONLY: Final = ("channel", "survey", "question")
RESPONSE_DIMENSIONS: Final = ("language", "device_class")
"""Dimensions the segment rollup takes from the response itself, not the contact."""
SEGMENT_NAME: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")
MAX_SEGMENTS: Final = 20
MAX_VALUE: Final = 200


def is_segment_dimension(name: str) -> bool:
    """Whether ``name`` is held by the segment rollup (and is not stage or touchpoint)."""
    return name in RESPONSE_DIMENSIONS or name.startswith(SEGMENT_PREFIX)


def _check_name(name: str, field: str) -> None:
    if name in COMMON or name in METRIC_ONLY or name in RESPONSE_DIMENSIONS:
        return
    attribute = name.removeprefix(SEGMENT_PREFIX)
    if name.startswith(SEGMENT_PREFIX) and SEGMENT_NAME.match(attribute):
        return
    known = (*COMMON, *METRIC_ONLY, *RESPONSE_DIMENSIONS, "segment:<attribute>")
    raise InvalidInput(f"There is no dimension {name!r}.", field=field, hint=f"use {known}")


def rollup_for(by: Iterable[str], filters: Iterable[str]) -> Rollup:
    """Which rollup answers a query grouped ``by`` and filtered on ``filters``.

    Raises InvalidInput naming the field when no single rollup holds them all.
    """
    by, filters = list(by), list(filters)
    for name in by:
        _check_name(name, "by")
    for name in filters:
        _check_name(name, f"filters.{name}")
    used = [*by, *filters]
    segment = sorted({n for n in used if is_segment_dimension(n)})
    if not segment:
        return "metric"
    if len(segment) > 1 or any(n in METRIC_ONLY for n in used):
        field = "filters" if any(is_segment_dimension(n) for n in filters) else "by"
        raise InvalidInput(
            f"{', '.join(sorted(set(used)))} cannot be combined in one query.",
            field=field,
            hint="a segment, language or device_class combines only with stage and "
            "touchpoint, one at a time",
        )
    return "segment"


def segment_value(value: Any) -> str | None:
    """A contact attribute as a segment value: text, numbers and booleans; else ``None``.

    Lists, objects and null are not segment values (the response gets no row for them).
    Longer text is cut to 200 characters.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str) and value:
        return value[:MAX_VALUE]
    return None


def check_segments(names: Iterable[str]) -> list[str]:
    """A workspace's segment attribute names, checked: unique, at most 20, simple names."""
    checked: list[str] = []
    for name in names:
        if not SEGMENT_NAME.match(name):
            raise InvalidInput(
                f"{name!r} cannot name a segment.",
                field="segments",
                hint="use letters, digits, '_', '.' or '-' (at most 63)",
            )
        if name not in checked:
            checked.append(name)
    if len(checked) > MAX_SEGMENTS:
        raise InvalidInput(
            f"{len(checked)} segments are too many.",
            field="segments",
            hint=f"declare at most {MAX_SEGMENTS}: each one is a rollup dimension",
        )
    return checked
