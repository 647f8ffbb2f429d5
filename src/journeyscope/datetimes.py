"""Date-times every door accepts the same way: ISO 8601 text with a zone, storable in UTC.

Every date-time a client sends is stored (and compared) in UTC. Python's ``datetime`` ends at
years 1 and 9999, so an offset can push a valid-looking value past either end
(``0001-01-01T00:00:00+14:00`` is in year 0 in UTC): converting it raised ``OverflowError``
deep in a query or an insert, a 500. The shared type converts once, at the door, and refuses
such values with a 422 naming the field. Imports nothing from the project.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def _require_iso_8601(value: Any) -> Any:
    """Refuse numbers: pydantic would read 0 or "0.5" as Unix timestamps, silently."""
    if isinstance(value, str) and not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?", value.strip()):
        return value
    if isinstance(value, dt.datetime):
        return value
    raise ValueError("must be an ISO 8601 date-time string with a time zone")


def in_utc(value: dt.datetime) -> dt.datetime:
    """``value`` (aware) converted to UTC, or ``ValueError`` when UTC has no such time.

    Raises:
        ValueError: The value falls before 0001-01-01 or after 9999-12-31 in UTC.
    """
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(
            f"{value.isoformat()} is outside the dates that can be stored: in UTC it falls "
            f"before {EARLIEST:%Y-%m-%d} or after {LATEST:%Y-%m-%d}; send a date-time "
            "between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
        ) from None


IsoDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_require_iso_8601),
    AfterValidator(in_utc),
    Field(examples=["2026-11-24T09:30:00Z"]),
]
"""An aware date-time given as ISO 8601 text (e.g. 2026-11-24T09:30:00Z), handed on in UTC."""
