"""Text and JSON every store can keep: no NUL characters, no unpaired surrogates, no NaN.

PostgreSQL refuses NUL in text and JSONB, and no database can encode a lone surrogate as
UTF-8; JSONB refuses ``NaN`` and ``Infinity``. Such input is refused at the door with a 422
naming the field instead of a 500.
Imports nothing from the project.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator


def check_storable(value: str) -> str:
    """Return ``value`` if it can be stored, else raise ``ValueError`` saying why."""
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\u0000), which cannot be stored; remove it")
    if value.isascii():  # the common case, and no surrogate is ASCII
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            "contains an unpaired UTF-16 surrogate, which is not valid text; fix the encoding"
        ) from None
    return value


class _NotFinite(ValueError):
    """A NaN or infinity inside a JSON value; ``where`` is filled in on the way back up."""

    def __init__(self, value: float) -> None:
        super().__init__(value)
        self.value = value
        self.where: list[str | int] = []


def check_storable_json(value: Any) -> Any:
    """:func:`check_storable` on every key and string inside a JSON value; finite numbers only.

    ``NaN`` and ``Infinity`` are not JSON (RFC 8259), though Python's parser reads them:
    PostgreSQL's JSONB refuses them (a 500) and SQLite's JSON stored ``null`` in their place,
    silently. They are refused here, naming where they are (``a.b[2]``).
    """
    try:
        _check_json(value)
    except _NotFinite as exc:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in reversed(exc.where))
        where = f" at {path.lstrip('.')}" if path else ""
        raise ValueError(
            f"contains {_json_spelling(exc.value)}{where}, which JSON cannot carry; send a "
            "finite number or null"
        ) from None
    return value


def _json_spelling(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    return "Infinity" if number > 0 else "-Infinity"


def _check_json(value: Any) -> None:
    """Walk ``value``; the path of a bad number is only built when there is one."""
    if isinstance(value, str):
        check_storable(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raise _NotFinite(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(str(key))
            try:
                _check_json(item)
            except _NotFinite as exc:
                exc.where.append(str(key))
                raise
    elif isinstance(value, list):
        for index, item in enumerate(value):
            try:
                _check_json(item)
            except _NotFinite as exc:
                exc.where.append(index)
                raise


StorableStr = Annotated[str, AfterValidator(check_storable)]
"""A string that every supported database can store."""


def slugify(text: str) -> str:
    """A key-shaped slug of free text: accents dropped, other characters become ``-``.

    At most 63 characters; may be empty (the caller picks a fallback), e.g. for suggesting a
    journey key or turning a SurveyJS name into a question id.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_-]+", "-", plain).strip("-_")[:63].rstrip("-_")
