"""Text every store can keep: no NUL characters, no unpaired surrogates.

PostgreSQL refuses NUL in text and JSONB, and no database can encode a lone surrogate as
UTF-8; such input is refused at the door with a 422 naming the field instead of a 500.
Imports nothing from the project.
"""

from __future__ import annotations

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


def check_storable_json(value: Any) -> Any:
    """:func:`check_storable` on every key and string inside a JSON value."""
    if isinstance(value, str):
        check_storable(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(str(key))
            check_storable_json(item)
    elif isinstance(value, list):
        for item in value:
            check_storable_json(item)
    return value


StorableStr = Annotated[str, AfterValidator(check_storable)]
"""A string that every supported database can store."""


def slugify(text: str) -> str:
    """A key-shaped slug of free text: accents dropped, other characters become ``-``.

    At most 63 characters; may be empty (the caller picks a fallback), e.g. for suggesting a
    journey key or turning a SurveyJS name into a question id.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_-]+", "-", plain).strip("-_")[:63].rstrip("-_")
