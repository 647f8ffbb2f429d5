"""What the orchestration services return: stored rules and invitations."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

from journeyscope.orchestration.rules import RuleSpec


class RuleView(RuleSpec):
    """A stored trigger rule."""

    id: uuid.UUID
    updated_at: dt.datetime


class InvitationView(BaseModel):
    """One invitation and what became of it."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    survey_key: str
    channel: str
    state: str
    reason: str | None
    explanation: str
    due_at: dt.datetime
    sent_at: dt.datetime | None
    created_at: dt.datetime
