"""What the orchestration services take and return: rules, invitations, bounces, funnels.

Also the typed rows its queries (:mod:`~journeyscope.orchestration.repo`) hand back, so no
ORM object, bare tuple or ``dict[..., Any]`` leaves the repository.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from journeyscope.inputs import StrictInput
from journeyscope.orchestration.policies import History, Limits
from journeyscope.orchestration.rules import RuleSettings, RuleSpec
from journeyscope.text import StorableStr


class InvitationState(enum.StrEnum):
    """Where an invitation stands; the database refuses any other value (a CHECK constraint).

    The way forward is scheduled → sending → sent → opened → started → completed; the other
    states are ends, with the ``reason`` on the row saying why.
    """

    SCHEDULED = "scheduled"  # planned: the dispatcher claims it when due
    SENDING = "sending"  # claimed by a worker; a lease runs out if the worker dies
    SENT = "sent"  # accepted by the mail server or the SMS/voice provider
    OPENED = "opened"  # the personal page was opened
    STARTED = "started"  # at least one answer was saved through the personal link
    COMPLETED = "completed"  # the response was completed
    SUPPRESSED = "suppressed"  # a policy refused it, when planned or when due (see reason)
    FAILED = "failed"  # could not be delivered (a permanent refusal, or retries spent)
    EXPIRED = "expired"  # could not be sent before it expired
    BOUNCED = "bounced"  # sent, then reported bounced or marked as spam


ASKED_STATES = (
    InvitationState.SENT,
    InvitationState.OPENED,
    InvitationState.STARTED,
    InvitationState.COMPLETED,
)
"""The states of an invitation that reached the contact, in the order it goes through them."""
PENDING_STATES = (InvitationState.SCHEDULED, InvitationState.SENDING)
"""Not sent yet, but still meant to be."""
UNANSWERED_STATES = (InvitationState.SENT, InvitationState.OPENED)
"""Sent, and nobody answered through its link yet: it may be reminded, or bounce."""


class WorkspaceLimits(NamedTuple):
    """The workspace's contact-fatigue settings, as stored."""

    recontact_days: int  # no invitation within this many days of the last ask (0: none)
    cap: int  # at most this many invitations ...
    cap_days: int  # ... per this many days

    def policy(self, *, quarantine_days: int | None, require_consent: bool) -> Limits:
        """The :class:`~.policies.Limits` of one invitation: these, its touchpoint's, its rule's."""
        return Limits(
            self.recontact_days, self.cap, self.cap_days, quarantine_days, require_consent
        )


@dataclass(frozen=True, slots=True)
class SurveyTarget:
    """What planning needs of a survey: is it open, and its touchpoint's quarantine."""

    published_version: int | None
    archived_at: dt.datetime | None
    touchpoint_id: uuid.UUID | None
    quarantine_days: int | None

    @property
    def is_open(self) -> bool:
        """Published and not archived: it takes answers."""
        return self.published_version is not None and self.archived_at is None


class Person(Protocol):
    """Whom a contact's history is read for: a stored contact, or a wave file's row."""

    @property
    def id(self) -> uuid.UUID:
        """The contact's id (a wave's new contact gets one before it is stored)."""
        ...  # pragma: no cover - protocol

    @property
    def external_id(self) -> str:
        """The contact's id in the company's systems."""
        ...  # pragma: no cover - protocol

    @property
    def email(self) -> str | None:
        """The address the email channel uses."""
        ...  # pragma: no cover - protocol

    @property
    def phone(self) -> str | None:
        """The number the SMS and phone channels use."""
        ...  # pragma: no cover - protocol


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """A stored contact, as rules read it and as a delivery addresses it."""

    id: uuid.UUID
    external_id: str
    email: str | None
    phone: str | None
    name: str | None
    locale: str | None
    timezone: str | None
    attributes: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredRule:
    """An enabled trigger rule, as planning applies it."""

    id: uuid.UUID
    survey_id: uuid.UUID
    event_type: str
    condition: str
    channel: str
    settings: RuleSettings


@dataclass(frozen=True, slots=True)
class StoredInvitation:
    """An invitation row as the dispatcher, reminders and bounces read it."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    survey_id: uuid.UUID
    rule_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    touchpoint_id: uuid.UUID | None
    channel: str
    state: InvitationState
    nonce: str
    expires_at: dt.datetime
    sent_at: dt.datetime | None
    reminder_due_at: dt.datetime | None
    message_id: str | None


Guard = TypeVar("Guard", int, dt.datetime)


@dataclass(frozen=True, slots=True)
class Claim(Generic[Guard]):
    """One row a dispatch pass claimed, and the guard every later change to it carries.

    ``guard`` is what the claim wrote: the attempt number of a first send, the lease of a
    reminder. A change guarded by an old claim finds nothing to change once another claim
    took the row over.
    """

    id: uuid.UUID
    workspace_id: uuid.UUID
    guard: Guard


@dataclass(frozen=True, slots=True)
class ContactHistory:
    """What the database knows of one contact, for any channel and touchpoint."""

    email: str | None
    phone: str | None
    last_asked_at: dt.datetime | None = None  # any invitation sent or widget survey shown
    asked_in_cap_period: int = 0
    asked_here_at: dict[uuid.UUID, dt.datetime] = dataclasses.field(default_factory=dict)
    statuses: dict[str, str] = dataclasses.field(default_factory=dict)  # by channel

    def on(self, channel: str, touchpoint_id: uuid.UUID | None) -> History:
        """The :class:`History` policies check for one channel and touchpoint."""
        address = self.email if channel == "email" else self.phone
        return History(
            has_address=bool(address),
            channel_status=self.statuses.get(channel),
            last_asked_at=self.last_asked_at,
            last_asked_here_at=self.asked_here_at.get(touchpoint_id) if touchpoint_id else None,
            asked_in_cap_period=self.asked_in_cap_period,
        )


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
    state: InvitationState
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
