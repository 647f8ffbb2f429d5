"""What the orchestration services take and return: rules, invitations, bounces, funnels."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from journeyscope.inputs import StrictInput
from journeyscope.orchestration.rules import RuleSpec
from journeyscope.text import StorableStr


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


BounceType = Literal["hard", "soft", "complaint"]
MessageId = Annotated[StorableStr, StringConstraints(min_length=1, max_length=255)]
BouncedAddress = Annotated[
    StorableStr, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
]


class BounceIn(StrictInput):
    """One bounce or complaint, as your mail provider reported it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    message_id: MessageId | None = Field(
        default=None,
        description="The `Message-ID` of the email that bounced, with or without angle "
        "brackets, e.g. `<0190d5f0-...@feedback.example>` (a reminder's ends in `.r1@...`).",
    )
    email: BouncedAddress | None = Field(
        default=None,
        description="The address that bounced; used when there is no `message_id` (or it "
        "names no invitation). Matched case-insensitively against contacts' emails.",
    )
    type: BounceType = Field(
        description="`hard`: the address does not exist or refuses mail for good; "
        "`complaint`: the recipient marked the email as spam; `soft`: a temporary failure "
        "(mailbox full, greylisting), only noted on the invitation."
    )
    detail: Annotated[StorableStr, StringConstraints(max_length=2000)] = Field(
        default="", description="The provider's words, e.g. `550 5.1.1 user unknown`."
    )

    @model_validator(mode="after")
    def _names_something(self) -> BounceIn:
        if self.message_id is None and self.email is None:
            raise ValueError("give the bounced email's `message_id`, its `email`, or both")
        return self


class BouncesIn(StrictInput):
    """Bounces and complaints, one item per failed email (up to 1,000)."""

    model_config = ConfigDict(extra="forbid")

    bounces: list[BounceIn] = Field(min_length=1, max_length=1000)


class BounceReport(BaseModel):
    """What the bounces changed."""

    model_config = ConfigDict(frozen=True)

    received: int = Field(description="Items in the request.")
    invitations_bounced: int = Field(
        description="Invitations newly marked `bounced` (hard bounces and complaints found by "
        "`message_id`)."
    )
    contacts_bounced: int = Field(
        description="Contacts whose email channel was marked `bounced`: no later invitation "
        "or reminder is sent to them by email."
    )
    soft_noted: int = Field(description="Soft bounces noted on their invitation.")
    unmatched: list[int] = Field(
        description="Indexes of the items that matched no invitation and no contact of the "
        "workspace (nothing was changed for them)."
    )


FunnelDimension = Literal["survey", "touchpoint", "channel"]


class FunnelCounts(BaseModel):
    """How many invitations reached each step (a step counts everyone who passed it)."""

    planned: int = Field(description="Every invitation planned, whatever became of it.")
    suppressed: int = Field(description="Not sent because a policy refused them.")
    suppressed_by_reason: dict[str, int] = Field(
        description="`suppressed` split by reason: `recontact_period`, `unsubscribed`, "
        "`bounced`, `no_consent`, `no_address`, `touchpoint_quarantine`, `cap_reached`, "
        "`sampled_out`, `survey_closed`, `expired`, `no_contact`."
    )
    pending: int = Field(description="Scheduled or being sent: not sent yet.")
    sent: int = Field(description="Sent (bounced ones included, since they went out).")
    bounced: int = Field(description="Sent, then reported bounced or as a complaint.")
    opened: int = Field(description="Sent and the personal page was opened.")
    started: int = Field(description="At least one answer saved (completed ones included).")
    completed: int = Field(description="The response was completed.")
    failed: int = Field(description="Could not be delivered (permanent failure, or retries spent).")
    expired: int = Field(description="Could not be sent before they expired.")
    reminded: int = Field(description="Got their one reminder.")


class FunnelGroup(FunnelCounts):
    """The counts of one survey, touchpoint and channel (a dimension not grouped on is null)."""

    survey: str | None = Field(description="The survey's key.")
    journey: str | None = Field(description="The touchpoint's journey key.")
    touchpoint: str | None = Field(
        description="The touchpoint's key (null also for surveys at no touchpoint)."
    )
    channel: str | None = Field(description="`email`, `sms` or `call_center`.")


class Funnel(BaseModel):
    """Invitation counts per group, and in total: the inputs of response rates."""

    group_by: list[FunnelDimension] = Field(description="The dimensions grouped on.")
    groups: list[FunnelGroup] = Field(description="One entry per group, largest first.")
    total: FunnelCounts = Field(description="All the groups together.")
