"""Journey types: the spec a user writes (YAML or JSON) and what applying it changed.

These are plain pydantic models with no database or web imports, so the YAML format,
the API bodies and the services all share one definition of a valid journey.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    JsonValue,
    computed_field,
    field_validator,
)

from journeyscope.inputs import StrictInput, at_most
from journeyscope.text import StorableStr, check_storable_json

KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
"""Keys are lowercase slugs, so they read well in URLs, YAML and CLI arguments."""

Key = Annotated[
    str,
    Field(
        pattern=KEY_PATTERN,
        description="Lowercase slug: letters a-z, digits, '-' and '_', at most 63 characters, "
        "starting with a letter or digit. Unique within its parent.",
        examples=["purchase"],
    ),
]
Name = Annotated[
    StorableStr, Field(min_length=1, max_length=200, description="Human-readable name.")
]
Description = Annotated[StorableStr, Field(max_length=5000, description="Free text; may be empty.")]
Action = Annotated[StorableStr, Field(min_length=1, max_length=500)]
QuarantineDays = Annotated[
    int,
    Field(
        ge=0,
        le=3650,
        strict=True,
        description="Don't invite a contact again through this touchpoint within this many "
        "days (0 or left out: no quarantine; the workspace's recontact period still applies).",
        examples=[30],
    ),
]
MAX_RULE_FIELDS = 50
RuleMapping = Annotated[
    dict[str, JsonValue],
    at_most(MAX_RULE_FIELDS),
    AfterValidator(check_storable_json),
    Field(max_length=MAX_RULE_FIELDS),
]
"""One trigger rule as written in a journey file: checked for its fields by orchestration."""
MAX_RULES = 500
MAX_STAGES = 100
MAX_TOUCHPOINTS_PER_STAGE = 100
MAX_CUSTOMER_ACTIONS = 50
"""Far above any real journey; they keep a hostile body from costing one error per item."""


class Channel(enum.StrEnum):
    """Where a touchpoint meets the customer."""

    ONSITE = "onsite"  # store, restaurant, hotel, gate: kiosk or QR code
    EMAIL = "email"  # sent when the company's own systems close a ticket or a sale
    CALL_CENTER = "call_center"  # after a telesales or customer-care call
    IN_APP = "in_app"  # inside the company's mobile or web app
    WEBSITE = "website"  # on the public website
    SMS = "sms"  # a text message with a short link
    OTHER = "other"  # anything else (letters, partners, events)


class _Spec(StrictInput):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class TouchpointSpec(_Spec):
    """One place within a stage where the customer meets the company."""

    key: Key
    name: Name
    channel: Channel = Field(description="One of: " + ", ".join(c.value for c in Channel) + ".")
    description: Description = ""
    quarantine_days: QuarantineDays | None = None


class StageSpec(_Spec):
    """One step of the journey, in order, with what the customer does and where."""

    key: Key
    name: Name
    description: Description = ""
    customer_actions: list[Action] = Field(
        default_factory=list,
        max_length=MAX_CUSTOMER_ACTIONS,
        description="What the customer does in this stage, one short sentence each.",
    )
    touchpoints: list[TouchpointSpec] = Field(
        default_factory=list, max_length=MAX_TOUCHPOINTS_PER_STAGE
    )


class JourneySpec(_Spec):
    """A whole journey as written in one YAML file (journey-as-code) or one JSON body."""

    key: Key
    name: Name
    description: Description = ""
    stages: list[StageSpec] = Field(
        min_length=1,
        max_length=MAX_STAGES,
        description="The stages in the order customers go through them.",
    )
    rules: list[RuleMapping] | None = Field(
        default=None,
        max_length=MAX_RULES,
        description="The journey's trigger rules, each with the fields of `PUT /v1/rules/{key}` "
        "(see docs/journey-yaml.md#rules). Left out: the journey's rules are managed elsewhere "
        "and applying leaves them alone; `[]`: the journey has no rules (prune deletes them).",
    )


class ChangeAction(enum.StrEnum):
    """What applying a spec did to one object."""

    CREATED = "created"  # did not exist; now does
    UPDATED = "updated"  # existed; some field differed and was overwritten
    UNCHANGED = "unchanged"  # existed exactly as specified
    DELETED = "deleted"  # existed, absent from the spec, and --prune was given
    KEPT = "kept"  # existed, absent from the spec, left alone because --prune was not given


class ObjectKind(enum.StrEnum):
    """The kinds of object a journey spec describes."""

    JOURNEY = "journey"
    STAGE = "stage"
    TOUCHPOINT = "touchpoint"
    RULE = "rule"  # a trigger rule whose survey is asked at one of the journey's touchpoints


class Change(_Spec):
    """One line of an apply report."""

    kind: ObjectKind
    key: str
    action: ChangeAction


class ApplyResult(_Spec):
    """Everything one apply did, in spec order; ``changed`` is False on a repeated apply."""

    journey_key: str
    changes: list[Change]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed(self) -> bool:
        """Whether anything was created, updated or deleted."""
        return any(
            c.action in (ChangeAction.CREATED, ChangeAction.UPDATED, ChangeAction.DELETED)
            for c in self.changes
        )

    def count(self, action: ChangeAction) -> int:
        """How many objects got ``action``."""
        return sum(1 for c in self.changes if c.action is action)


class _Patch(StrictInput):
    """Partial updates: fields left out keep their value; ``null`` is refused, not stored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null; leave the field out to keep its current value")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent, ready for the service."""
        return self.model_dump(exclude_unset=True)


Position = Annotated[
    int, Field(ge=0, le=10_000, strict=True, description="0-based place among siblings.")
]


class JourneyPatch(_Patch):
    """Changes to a journey's own fields (stages have their own endpoints)."""

    name: Name | None = None
    description: Description | None = None


class StagePatch(_Patch):
    """Changes to a stage; ``position`` moves it and renumbers the others."""

    name: Name | None = None
    description: Description | None = None
    customer_actions: Annotated[list[Action], Field(max_length=MAX_CUSTOMER_ACTIONS)] | None = None
    position: Position | None = None


class TouchpointPatch(_Patch):
    """Changes to a touchpoint; ``stage_key`` moves it to another stage of the journey."""

    name: Name | None = None
    channel: Channel | None = None
    description: Description | None = None
    quarantine_days: QuarantineDays | None = None
    stage_key: Key | None = None
    position: Position | None = None


class StageCreate(StageSpec):
    """A new stage, optionally at a given ``position`` (default: last)."""

    position: Position | None = None

    def spec(self) -> StageSpec:
        """The stage without its placement."""
        return StageSpec(**self.model_dump(exclude={"position"}))


class TouchpointCreate(TouchpointSpec):
    """A new touchpoint in stage ``stage_key``, optionally at ``position`` (default: last)."""

    stage_key: Key
    position: Position | None = None

    def spec(self) -> TouchpointSpec:
        """The touchpoint without its placement."""
        return TouchpointSpec(**self.model_dump(exclude={"stage_key", "position"}))
