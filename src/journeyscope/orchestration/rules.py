"""Trigger rules: which event invites whom, to which survey, on which channel, and when.

Conditions are written in CEL (the Common Expression Language of Kubernetes and Google Cloud):
``event.properties.amount > 50 && contact.attributes.segment == "gold"``. CEL is not Turing
complete and has no access to the host: a rule can only read the event and the contact it is
given. Programs are compiled once and cached. Pure code: no database, no web.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import cel
from pydantic import ConfigDict, Field, StringConstraints, field_validator

from journeyscope.inputs import StrictInput
from journeyscope.text import StorableStr

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
EventType = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")]
DeliveryChannel = Literal["email", "sms", "call_center"]
"""Channels an invitation is pushed on; the widget and kiosks pull instead."""


class Weekday(enum.StrEnum):
    """Days of the week, as a send window lists them."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEKDAYS = list(Weekday)


class SendWindow(StrictInput):
    """Hours and days invitations may go out, in the contact's own time zone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.time = Field(default=dt.time(9), description="Earliest local time, e.g. 09:00.")
    end: dt.time = Field(default=dt.time(20), description="Latest local time, e.g. 20:00.")
    days: list[Weekday] = Field(
        default_factory=lambda: list(WEEKDAYS),
        min_length=1,
        max_length=len(WEEKDAYS),
        description="Allowed days.",
    )

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError(
                "give a local time without a zone (e.g. 09:00): the contact's time zone applies"
            )
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: dt.time, info: Any) -> dt.time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("the window must end after it starts (e.g. 09:00 to 20:00)")
        return end


class RuleSettings(StrictInput):
    """When and how a rule's invitations go out (stored as one JSON column)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delay_minutes: int = Field(
        default=0,
        strict=True,
        ge=0,
        le=366 * 24 * 60,
        description="Wait after the event (60: one hour).",
    )
    window: SendWindow | None = Field(
        default=None, description="When invitations may go out; none: any time."
    )
    expires_after_days: int = Field(
        default=14, strict=True, ge=1, le=365, description="An invitation not sent by then expires."
    )
    sampling_percent: float = Field(default=100, ge=0, le=100)
    require_consent: bool = Field(
        default=False, description="Only invite contacts who consented on this channel."
    )
    reminder_after_days: int | None = Field(
        default=None,
        strict=True,
        ge=1,
        le=29,  # the link works 30 days: a later reminder would point at an expired link
        description="Send one reminder this many days after the invitation (moved into the "
        "send window) if the survey was not started by then; none: no reminder. At most 29: "
        "the link works 30 days after the invitation.",
    )


class RuleSpec(RuleSettings):
    """A trigger rule as written in the API or in journey YAML."""

    key: Key
    event_type: EventType = Field(description="The event that triggers it, e.g. ticket.closed.")
    condition: Annotated[StorableStr, StringConstraints(max_length=2000)] = Field(
        default="",
        description="A CEL expression over `event` and `contact`, e.g. `event.properties.amount "
        "> 50`; empty: every event of the type.",
    )
    survey: Key = Field(description="The key of the (published) survey to invite to.")
    channel: DeliveryChannel = "email"
    enabled: bool = True

    @field_validator("condition")
    @classmethod
    def _compiles(cls, condition: str) -> str:
        if condition.strip():
            try:
                compiled(condition)
            except ValueError as error:
                first = str(error).splitlines()[0]
                raise ValueError(f"the condition is not valid CEL: {first}") from None
        return condition

    def settings(self) -> RuleSettings:
        """The part stored as the rule's settings."""
        return RuleSettings.model_validate(self.model_dump(include=set(RuleSettings.model_fields)))


RETIRED_SETTINGS: frozenset[str] = frozenset()
"""Settings older versions stored that no longer apply (none today: dropped when loading)."""


def stored_settings(raw: Mapping[str, Any]) -> RuleSettings:
    """A rule's settings as stored, without the retired keys older versions may have written."""
    return RuleSettings.model_validate({k: v for k, v in raw.items() if k not in RETIRED_SETTINGS})


@functools.lru_cache(maxsize=1024)
def compiled(condition: str) -> Any:
    """The compiled CEL program of ``condition`` (cached: rules run on every event)."""
    return cel.compile(condition)


def condition_holds(condition: str, context: Mapping[str, Any]) -> bool:
    """Whether ``condition`` is true for ``context`` (``event`` and ``contact``).

    An empty condition always holds. A condition reading a field the event or contact lacks
    is false, not an error (write ``has(event.properties.x)`` to test for it explicitly).
    """
    if not condition.strip():
        return True
    try:
        return compiled(condition).execute(dict(context)) is True
    except (KeyError, ValueError, TypeError, RuntimeError):
        return False
