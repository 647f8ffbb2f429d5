"""Bounds every input model shares, so a hostile body costs one error, not one per item.

Pydantic reports every unknown field of an ``extra="forbid"`` model, and every bad key or
value of a dict, one error each, before any size limit; turning 300,000 of them into Python
objects took seconds (a 4 MB body of unknown keys answered with a 43 MB error list). These
checks run first and refuse such floods with a single error. Lists need nothing more than a
``max_length``: pydantic stops at the first item over it. Imports nothing from the project.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

MAX_UNKNOWN_FIELDS = 10
"""Up to this many unknown fields are reported one by one; more are refused together."""


@functools.cache
def _accepted_names(model: type[BaseModel]) -> frozenset[str]:
    names = set()
    for name, field in model.model_fields.items():
        names |= {name, field.alias or name}
        if isinstance(field.validation_alias, str):
            names.add(field.validation_alias)
    return frozenset(names)


class StrictInput(BaseModel):
    """Base of input models: unknown fields are refused, and a flood of them at once."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_floods_of_unknown_fields(cls, data: Any) -> Any:
        """One error for many unknown fields; a few are left to ``extra="forbid"``, by name."""
        if not isinstance(data, dict) or len(data) <= len(cls.model_fields) + MAX_UNKNOWN_FIELDS:
            return data  # the common case: too few keys for a flood, nothing to count
        accepted = _accepted_names(cls)
        unknown = [key for key in data if key not in accepted]
        if len(unknown) > MAX_UNKNOWN_FIELDS:
            named = ", ".join(repr(key) for key in unknown[:3])
            raise ValueError(
                f"has {len(unknown):,} fields it does not take ({named}, ...); remove them "
                "(the reference lists the fields it takes)"
            )
        return data


def _refuse_more_than(limit: int, value: Any) -> Any:
    if isinstance(value, dict | list) and len(value) > limit:
        kind = "entries" if isinstance(value, dict) else "items"
        raise ValueError(f"has {len(value):,} {kind}; at most {limit:,} are allowed")
    return value


def at_most(limit: int) -> BeforeValidator:
    """Refuse a dict (or list) of more than ``limit`` entries before any of them is checked.

    For dicts whose keys or values are constrained: their own ``max_length`` is only checked
    after every entry, each bad one an error.
    """
    return BeforeValidator(functools.partial(_refuse_more_than, limit))
