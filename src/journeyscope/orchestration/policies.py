"""Who may be asked: consent, unsubscribes, bounces, recontact period, quarantine, caps.

Checked when an invitation is planned *and again* when it is due, because a lot can change in
between (the customer unsubscribed, answered another survey, was asked elsewhere). A refusal is
a :class:`Reason` stored on the invitation, so "why wasn't this customer asked?" has an answer.
Pure code: the caller reads the :class:`History` from the database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Reason(enum.StrEnum):
    """Why an invitation was not sent."""

    NO_CONTACT = "no_contact"  # the event names no contact
    NO_ADDRESS = "no_address"  # no email address / phone number for the channel
    UNSUBSCRIBED = "unsubscribed"  # the contact opted out of this channel
    BOUNCED = "bounced"  # the address bounced hard
    NO_CONSENT = "no_consent"  # the rule requires consent the contact has not given
    RECONTACT = "recontact_period"  # asked (any survey, any channel) too recently
    QUARANTINE = "touchpoint_quarantine"  # asked at this touchpoint too recently
    CAP = "cap_reached"  # too many invitations in the cap period
    SAMPLED_OUT = "sampled_out"  # not in the rule's sample
    SURVEY_CLOSED = "survey_closed"  # the survey is unpublished or archived
    EXPIRED = "expired"  # not sendable before it expired


EXPLANATIONS = {
    Reason.NO_CONTACT: "the event named no contact",
    Reason.NO_ADDRESS: "the contact has no address for this channel",
    Reason.UNSUBSCRIBED: "the contact unsubscribed from this channel",
    Reason.BOUNCED: "the contact's address bounced",
    Reason.NO_CONSENT: "the rule requires consent, which the contact has not given",
    Reason.RECONTACT: "the contact was asked too recently (the workspace's recontact period)",
    Reason.QUARANTINE: "the contact was asked at this touchpoint too recently (quarantine)",
    Reason.CAP: "the contact reached the cap of invitations for the period",
    Reason.SAMPLED_OUT: "the contact was not in the rule's sample",
    Reason.SURVEY_CLOSED: "the survey is not published",
    Reason.EXPIRED: "the invitation could not be sent before it expired",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """The workspace's and touchpoint's settings that policies apply."""

    recontact_days: int
    cap: int
    cap_days: int
    quarantine_days: int | None = None
    require_consent: bool = False


@dataclass(frozen=True, slots=True)
class History:
    """What the database knows of the contact, read just before the check."""

    has_address: bool
    channel_status: str | None  # consented / unsubscribed / bounced, or None
    last_asked_at: dt.datetime | None  # any invitation sent or widget survey shown
    last_asked_here_at: dt.datetime | None  # the same touchpoint
    asked_in_cap_period: int


def refusal(limits: Limits, history: History, now: dt.datetime) -> Reason | None:
    """The first policy that refuses the invitation, or ``None`` if it may go."""
    if not history.has_address:
        return Reason.NO_ADDRESS
    if history.channel_status == "unsubscribed":
        return Reason.UNSUBSCRIBED
    if history.channel_status == "bounced":
        return Reason.BOUNCED
    if limits.require_consent and history.channel_status != "consented":
        return Reason.NO_CONSENT
    if _within(history.last_asked_at, limits.recontact_days, now):
        return Reason.RECONTACT
    if limits.quarantine_days and _within(history.last_asked_here_at, limits.quarantine_days, now):
        return Reason.QUARANTINE
    if limits.cap and history.asked_in_cap_period >= limits.cap:
        return Reason.CAP
    return None


def _within(when: dt.datetime | None, days: int, now: dt.datetime) -> bool:
    # In UTC: Python subtracts two times of the same zone as wall clocks, ignoring a DST change.
    if when is None or days <= 0:
        return False
    return now.astimezone(dt.UTC) - when.astimezone(dt.UTC) < dt.timedelta(days=days)
