"""Whether the widget may show a survey to a visitor now: the targeting rules, as pure code.

The widget (or a native app) only reports what happened: a page view with its URL, or a
tracked event. These rules pick at most one survey, so that a host page can never ask a
customer more often than the workspace allows. Everything they need (targeting, the visitor's
display history, the clock) is passed in; nothing here reads the database or the web.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from journeyscope.journey import Channel
from journeyscope.surveys import Targeting

WIDGET_CHANNELS = frozenset({Channel.WEBSITE, Channel.IN_APP})
"""The channels the widget and native apps report; a survey placed at a touchpoint on one of
them is only offered there."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A published survey the widget might show, with its rules and where it is asked."""

    survey_id: uuid.UUID
    targeting: Targeting
    touchpoint_channel: Channel | None = None


@dataclass(frozen=True, slots=True)
class Trigger:
    """What just happened in the visitor's browser or app: a page view or a tracked event."""

    channel: Channel
    url: str | None = None
    event: str | None = None


@dataclass(frozen=True, slots=True)
class SurveyHistory:
    """One survey's displays to one visitor (under any of their visitor keys).

    With ``is_invitation``, ``last_shown_at`` is when the identified visitor was last *sent*
    an invitation to the survey (email, SMS, call): that counts toward the recontact period,
    which is shared by every channel, but is not a display, so ``show_once`` ignores it.
    """

    survey_id: uuid.UUID
    last_shown_at: dt.datetime
    last_dismissed_at: dt.datetime | None = None
    is_invitation: bool = False


@dataclass(frozen=True, slots=True)
class Visit:
    """Who is asking and when: the sampling key, the history and the recontact period."""

    visitor_key: str
    now: dt.datetime
    history: Sequence[SurveyHistory] = ()
    recontact_days: int = 14


def matches_url(url: str | None, patterns: Sequence[str]) -> bool:
    """Whether ``url`` matches one of the glob ``patterns`` (``*`` matches anything).

    No patterns means any page. Matching is case-sensitive (paths are), via ``fnmatchcase``.
    """
    if not patterns:
        return True
    return url is not None and any(fnmatch.fnmatchcase(url, p) for p in patterns)


def matches_trigger(targeting: Targeting, trigger: Trigger) -> bool:
    """Whether the trigger fits: events for event surveys, page views (by URL) for the rest.

    A survey listing events is only shown after one of them; one listing none only on page
    views. URL patterns apply to page views only: an event is the more specific signal.
    """
    if trigger.event is not None:
        return trigger.event in targeting.events
    return not targeting.events and matches_url(trigger.url, targeting.url_patterns)


def sample_point(visitor_key: str, survey_id: uuid.UUID) -> float:
    """A stable number in [0, 100) for this visitor and survey (SHA-256 of both).

    The same visitor always lands on the same point, so reloading a page cannot re-roll the
    sample; different surveys sample independently.
    """
    digest = hashlib.sha256(f"{survey_id}:{visitor_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


def is_sampled(visitor_key: str, survey_id: uuid.UUID, percent: float) -> bool:
    """Whether this visitor is in the ``percent`` share of visitors offered the survey."""
    return percent >= 100 or sample_point(visitor_key, survey_id) < percent


def last_contact(history: Iterable[SurveyHistory]) -> dt.datetime | None:
    """When the visitor was last shown (or last dismissed, or sent an invitation to) any survey."""
    times = [t for h in history for t in (h.last_shown_at, h.last_dismissed_at) if t]
    return max(times, default=None)


def in_recontact_period(visit: Visit) -> bool:
    """Whether the visitor saw any survey less than ``recontact_days`` ago (0: no period)."""
    latest = last_contact(visit.history)
    if latest is None or visit.recontact_days <= 0:
        return False
    return visit.now - latest < dt.timedelta(days=visit.recontact_days)


def fits_channel(candidate: Candidate, channel: Channel) -> bool:
    """Surveys at a website or in-app touchpoint stay on it; the others show on both."""
    placed = candidate.touchpoint_channel
    return placed not in WIDGET_CHANNELS or placed == channel


def is_eligible(candidate: Candidate, trigger: Trigger, visit: Visit) -> bool:
    """Whether one survey may be shown, ignoring the workspace-wide recontact period.

    A dismissed survey is never shown again, whatever ``show_once`` says; one already shown
    is not shown again when ``show_once`` is on.
    """
    rules = candidate.targeting
    seen = next(
        (h for h in visit.history if h.survey_id == candidate.survey_id and not h.is_invitation),
        None,
    )
    if seen is not None and (rules.show_once or seen.last_dismissed_at is not None):
        return False
    return (
        rules.enabled
        and fits_channel(candidate, trigger.channel)
        and matches_trigger(rules, trigger)
        and is_sampled(visit.visitor_key, candidate.survey_id, rules.sampling_percent)
    )


def choose_survey(
    candidates: Sequence[Candidate], trigger: Trigger, visit: Visit
) -> Candidate | None:
    """The first eligible survey in ``candidates`` order, or ``None``.

    Nothing is shown during the recontact period, which counts displays of *every* survey and
    the invitations sent to the identified visitor on any channel, so no customer is asked too
    often however many surveys and channels target them.
    """
    if in_recontact_period(visit):
        return None
    return next((c for c in candidates if is_eligible(c, trigger, visit)), None)
