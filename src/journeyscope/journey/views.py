"""What the journey service returns: stored journeys with ids, order and timestamps."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from journeyscope.journey.models import Channel


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class TouchpointView(_View):
    """A stored touchpoint."""

    id: uuid.UUID
    key: str
    name: str
    channel: Channel
    description: str
    stage_key: str
    position: int
    public_id: str = Field(
        description="The touchpoint's kiosk page is `/k/{public_id}`; hard to guess, safe to share."
    )
    quarantine_days: int | None = Field(
        default=None,
        description="Days during which a contact asked here is not invited here again; "
        "null: no quarantine.",
    )


class StageView(_View):
    """A stored stage with its touchpoints in order."""

    id: uuid.UUID
    key: str
    name: str
    description: str
    customer_actions: list[str]
    position: int
    touchpoints: list[TouchpointView]


class JourneyView(_View):
    """A stored journey with its stages in order."""

    id: uuid.UUID
    key: str
    name: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    stages: list[StageView]


class JourneySummary(_View):
    """One line of a journey list."""

    id: uuid.UUID
    key: str
    name: str
    description: str
    stage_count: int
    touchpoint_count: int
    updated_at: dt.datetime
