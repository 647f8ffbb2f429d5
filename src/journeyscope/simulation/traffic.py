"""One simulated day of traffic as table rows: pure NumPy, no database.

The model, per response (units: standard deviations of a latent satisfaction):

- a common level = the touchpoint's base + the contact's segment effect + the season (a
  dip around 22 December, the holiday rush, repeating every year) + the weekday (weekends a
  little happier, Mondays a little less) + noise;
- three drivers (``ease``, ``speed``, ``value``) = the common level + the touchpoint's own
  offset for each + noise; rated 1-5;
- likelihood to recommend = 0.5 ease + 0.3 speed + 0.2 value + noise, so key-driver analysis
  finds ease first; NPS 0-10, CSAT 1-5 follow it, CES 1-7 follows ease;
- planted changes move one touchpoint's metric from their day on (see ``PlantedChange``).

Volume follows the channel's week (kiosks busiest on Saturdays, call centres on Mondays) and
the year (more traffic from mid-November to Christmas). Email, SMS and call-centre
touchpoints ask by invitation, each caused by an event, through a funnel (suppressed,
failed, sent, bounced, opened, started, completed); kiosks, websites and apps ask in place.

Everything comes from a generator seeded with (seed, workspace, journey, day), so a day is
the same whichever run, chunk or resume writes it, and ids (time-ordered, like ``new_id``)
are derived from it: a second run finds them stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from journeyscope.simulation.models import PlantedChange

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

PUSH_CHANNELS = ("email", "sms", "call_center")
"""Channels that ask by invitation; the others ask in place (kiosk, widget, app)."""
FUNNEL = {
    # channel: (bounce, open, start | open, complete | start)
    "email": (0.02, 0.45, 0.70, 0.85),
    "sms": (0.01, 0.55, 0.60, 0.80),
    "call_center": (0.0, 0.35, 0.80, 0.90),
}
SUPPRESSED = 0.05
"""Share of invitations a contact policy refuses, besides the unsubscribed contacts'."""
SUPPRESSION_REASONS = ("recontact_period", "cap_reached", "touchpoint_quarantine", "sampled_out")
SUPPRESSION_SHARES = (0.6, 0.2, 0.1, 0.1)
FAILED = 0.01
WEEKLY_VOLUME = {  # Monday first
    "onsite": (0.8, 0.8, 0.9, 0.95, 1.1, 1.45, 1.0),
    "call_center": (1.25, 1.15, 1.1, 1.1, 1.05, 0.75, 0.6),
}
OTHER_WEEKLY_VOLUME = (1.05, 1.05, 1.0, 1.0, 0.95, 0.95, 1.0)
WEEKLY_MOOD = (-0.08, 0.0, 0.0, 0.0, 0.0, 0.08, 0.08)
HOLIDAY = (12, 22)
"""The yearly dip's centre (month, day): crowded shops and late parcels before Christmas."""
HOLIDAY_DIP = 0.5
HOLIDAY_WIDTH_DAYS = 6.0
RUSH = (12, 8)
RUSH_VOLUME = 0.35
RUSH_WIDTH_DAYS = 18.0
DRIVER_WEIGHTS = np.array([0.5, 0.3, 0.2])
COMMENT_SHARE = 0.12
COMMENTS = (
    ("It took far too long.", "Nobody could answer my question.", "Not what I was promised."),
    ("Fine, nothing special.", "Good, but it could be quicker.", "OK overall."),
    ("Quick and friendly, thank you!", "Exactly what I needed.", "Great service as always."),
)
DEVICES = ("mobile", "desktop", "tablet")
DEVICE_SHARES = (0.6, 0.35, 0.05)


@dataclass(frozen=True, slots=True)
class Point:
    """One touchpoint as the simulator sees it: where, its survey, and its character."""

    key: str
    id: uuid.UUID
    stage_key: str
    channel: str
    survey_id: uuid.UUID
    version_id: uuid.UUID
    share: float
    base: float
    offsets: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Population:
    """The simulated contacts: ids, locales, segment effect, and who unsubscribes when."""

    ids: Sequence[uuid.UUID]
    locales: Sequence[str]
    effect: Floats
    unsubscribed_on: Ints
    attributes: dict[str, npt.NDArray[np.object_]] = field(default_factory=dict)
    """Each segment attribute's value per contact (what ``attributes`` holds in the table)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a day needs; ``entropy`` seeds its generator (seed, workspace, journey)."""

    workspace_id: uuid.UUID
    entropy: tuple[int, ...]
    start: dt.date
    responses_per_day: float
    points: Sequence[Point]
    population: Population
    planted: Sequence[PlantedChange] = ()


@dataclass(slots=True)
class Day:
    """One day's rows, in the columns of their tables."""

    events: list[dict[str, Any]] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    unsubscribed: list[uuid.UUID] = field(default_factory=list)


def day_generator(plan: Plan, day: int) -> np.random.Generator:
    """The generator of ``day``: the same for every run with the same seed."""
    return np.random.default_rng([*plan.entropy, day])


def time_ids(rng: np.random.Generator, seconds: Floats) -> list[uuid.UUID]:
    """Time-ordered UUIDv7s for times given in seconds since the epoch, random bits from ``rng``."""
    n = len(seconds)
    millis = (seconds * 1000).astype(np.int64).tolist()
    high = rng.integers(0, 1 << 12, n).tolist()
    low = rng.integers(0, 1 << 62, n, dtype=np.int64).tolist()
    return [
        uuid.UUID(int=(t << 80) | (0x7 << 76) | (a << 64) | (0b10 << 62) | b)
        for t, a, b in zip(millis, high, low, strict=True)
    ]


def _bump(date: dt.date, centre: tuple[int, int], width: float) -> float:
    """A bell over the days around ``centre`` (month, day), the same every year."""
    peak = dt.date(date.year, *centre)
    distance = min(abs((date - peak.replace(year=y)).days) for y in (date.year - 1, date.year))
    distance = min(distance, abs((date - peak.replace(year=date.year + 1)).days))
    return float(np.exp(-0.5 * (distance / width) ** 2))


def season(date: dt.date) -> float:
    """The season's and the weekday's shift of the latent level on ``date``."""
    return WEEKLY_MOOD[date.weekday()] - HOLIDAY_DIP * _bump(date, HOLIDAY, HOLIDAY_WIDTH_DAYS)


def volume(date: dt.date, channel: str) -> float:
    """How busy ``channel`` is on ``date`` relative to an average day (weekday and year)."""
    weekly = WEEKLY_VOLUME.get(channel, OTHER_WEEKLY_VOLUME)
    factor = weekly[date.weekday()] / (sum(weekly) / 7)
    return factor * (1 + RUSH_VOLUME * _bump(date, RUSH, RUSH_WIDTH_DAYS))


def _diurnal_seconds(rng: np.random.Generator, n: int) -> Floats:
    """Seconds after midnight UTC, busiest from late morning to evening."""
    hours = np.clip(rng.normal(14.0, 3.5, n), 0.0, 23.99)
    seconds: Floats = hours * 3600.0
    return seconds


def simulate_day(plan: Plan, day: int) -> Day:
    """The rows of simulated day ``day`` (0 is ``plan.start``)."""
    rng = day_generator(plan, day)
    date = plan.start + dt.timedelta(days=day)
    midnight = dt.datetime.combine(date, dt.time(), dt.UTC).timestamp()
    expected = np.array(
        [plan.responses_per_day * p.share * volume(date, p.channel) for p in plan.points]
    )
    out = Day()
    unsubscribed = np.flatnonzero(plan.population.unsubscribed_on == day)
    out.unsubscribed = [plan.population.ids[i] for i in unsubscribed.tolist()]
    asked = _invitations(plan, rng, out, expected=expected, midnight=midnight, day=day)
    in_place = _in_place(plan, rng, expected=expected, midnight=midnight)
    _responses(plan, rng, out, asked=asked, in_place=in_place, date=date, day=day)
    return out


@dataclass(frozen=True, slots=True)
class _Asked:
    """Rows that will become responses: touchpoint and contact index, start and end times."""

    point: Ints
    contact: Ints
    started: Floats
    completed: Floats


def _in_place(plan: Plan, rng: np.random.Generator, *, expected: Floats, midnight: float) -> _Asked:
    pull = np.array([p.channel not in PUSH_CHANNELS for p in plan.points])
    counts = rng.poisson(np.where(pull, expected, 0.0))
    point = np.repeat(np.arange(len(plan.points)), counts)
    completed = midnight + _diurnal_seconds(rng, len(point))
    started = completed - rng.uniform(20.0, 240.0, len(point))
    contact = rng.integers(0, len(plan.population.ids), len(point))
    return _Asked(point, contact, started, completed)


def _invitations(
    plan: Plan, rng: np.random.Generator, out: Day, *, expected: Floats, midnight: float, day: int
) -> _Asked:
    """The day's events and invitations; the completed invitations' respondents."""
    rates = np.array([_completion_rate(p.channel) for p in plan.points])
    push = rates > 0
    counts = rng.poisson(np.where(push, expected / np.where(push, rates, 1.0), 0.0))
    point = np.repeat(np.arange(len(plan.points)), counts)
    n = len(point)
    contact = rng.integers(0, len(plan.population.ids), n)
    occurred = midnight + _diurnal_seconds(rng, n)
    steps = _funnel(plan, rng, point, contact, day)
    times = _step_times(rng, occurred)
    event_ids = time_ids(rng, occurred)
    invitation_ids = time_ids(rng, occurred + 1.0)
    received = occurred + rng.uniform(0.2, 2.0, n)
    for i in range(n):
        p = plan.points[int(point[i])]
        contact_id = plan.population.ids[int(contact[i])]
        out.events.append(
            {
                "id": event_ids[i],
                "workspace_id": plan.workspace_id,
                "type": event_type(p),
                "occurred_at": _time(occurred[i]),
                "received_at": _time(received[i]),
                "contact_id": contact_id,
                "properties": {"touchpoint": p.key, "simulated": True},
                "idempotency_key": f"sim-{event_ids[i].hex}",
            }
        )
        out.invitations.append(
            _invitation_row(plan, p, steps, times, i, ids=(invitation_ids[i], event_ids[i]))
            | {"contact_id": contact_id, "nonce": invitation_ids[i].hex}
        )
    done = steps["completed"]
    return _Asked(point[done], contact[done], times["started"][done], times["completed"][done])


def _completion_rate(channel: str) -> float:
    if channel not in FUNNEL:
        return 0.0
    bounce, opened, started, completed = FUNNEL[channel]
    return (1 - SUPPRESSED) * (1 - FAILED) * (1 - bounce) * opened * started * completed


def _funnel(
    plan: Plan, rng: np.random.Generator, point: Ints, contact: Ints, day: int
) -> dict[str, Any]:
    """How far each invitation got (boolean masks) and why the suppressed were."""
    n = len(point)
    draws = rng.random((n, 7))
    rates = np.array([FUNNEL[plan.points[i].channel] for i in point.tolist()]).reshape(n, 4)
    channel = np.array([plan.points[i].channel for i in point.tolist()], dtype=object)
    gone = plan.population.unsubscribed_on[contact]
    unsubscribed = (channel == "email") & (gone >= 0) & (gone < day)
    suppressed = unsubscribed | (draws[:, 0] < SUPPRESSED)
    reason_at = np.searchsorted(np.cumsum(SUPPRESSION_SHARES), draws[:, 1] * 0.999999)
    reasons = np.array(SUPPRESSION_REASONS, dtype=object)[reason_at]
    reasons[unsubscribed] = "unsubscribed"
    failed = ~suppressed & (draws[:, 2] < FAILED)
    sent = ~suppressed & ~failed
    bounced = sent & (draws[:, 3] < rates[:, 0])
    opened = sent & ~bounced & (draws[:, 4] < rates[:, 1])
    started = opened & (draws[:, 5] < rates[:, 2])
    completed = started & (draws[:, 6] < rates[:, 3])
    return {
        "suppressed": suppressed,
        "reasons": reasons,
        "failed": failed,
        "sent": sent,
        "bounced": bounced,
        "opened": opened,
        "started": started,
        "completed": completed,
    }


def _step_times(rng: np.random.Generator, occurred: Floats) -> dict[str, Floats]:
    """When each step would happen: sent minutes after the event, opened hours later."""
    n = len(occurred)
    due = occurred + rng.uniform(300.0, 3600.0, n)
    sent = due + rng.uniform(1.0, 30.0, n)
    opened = sent + np.minimum(rng.exponential(4 * 3600.0, n), 5 * 86400.0)
    started = opened + rng.uniform(5.0, 120.0, n)
    completed = started + rng.uniform(30.0, 300.0, n)
    return {"due": due, "sent": sent, "opened": opened, "started": started, "completed": completed}


def _invitation_row(
    plan: Plan,
    p: Point,
    steps: dict[str, Any],
    times: dict[str, Floats],
    i: int,
    *,
    ids: tuple[uuid.UUID, uuid.UUID],
) -> dict[str, Any]:
    """One invitation's columns (contact and nonce are added by the caller)."""
    state, reason, reached = _state(steps, i)
    at = {name: _time(times[name][i]) if name in reached else None for name in times}
    due = _time(times["due"][i])
    created = _time(times["due"][i] - 300.0)
    last = max((t for t in at.values() if t is not None), default=created)
    invitation_id, event_id = ids
    return {
        "id": invitation_id,
        "workspace_id": plan.workspace_id,
        "survey_id": p.survey_id,
        "rule_id": None,
        "event_id": event_id,
        "touchpoint_id": p.id,
        "channel": p.channel,
        "state": state,
        "reason": reason,
        "detail": "",
        "dedup_key": f"sim-{event_id.hex}",
        "due_at": due,
        "expires_at": due + dt.timedelta(days=14),
        "attempts": 0 if state == "suppressed" else (3 if state == "failed" else 1),
        "claimed_until": None,
        "message_id": f"<{invitation_id.hex}@simulated.invalid>" if at["sent"] else None,
        "sent_at": at["sent"],
        "opened_at": at["opened"],
        "started_at": at["started"],
        "completed_at": at["completed"],
        "reminder_due_at": None,
        "reminded_at": None,
        "created_at": created,
        "updated_at": last,
    }


def _state(steps: dict[str, Any], i: int) -> tuple[str, str | None, set[str]]:
    """An invitation's state, its reason, and which step times it has."""
    if steps["suppressed"][i]:
        return "suppressed", str(steps["reasons"][i]), set()
    if steps["failed"][i]:
        return "failed", "rejected", set()
    if steps["bounced"][i]:
        return "bounced", None, {"due", "sent"}
    reached = {"due", "sent"}
    state = "sent"
    for step in ("opened", "started", "completed"):
        if not steps[step][i]:
            break
        reached.add(step)
        state = step
    return state, None, reached


def event_type(point: Point) -> str:
    """What happened in the company's systems before a touchpoint asked."""
    stage = point.stage_key
    if point.channel == "call_center":
        return "call.ended"
    for word, kind in (
        ("support", "ticket.closed"),
        ("purchase", "sale.completed"),
        ("renew", "subscription.renewed"),
        ("use", "order.delivered"),
        ("onboard", "account.created"),
    ):
        if word in stage:
            return kind
    return "customer.contacted"


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(seconds), dt.UTC)


def _responses(
    plan: Plan,
    rng: np.random.Generator,
    out: Day,
    *,
    asked: _Asked,
    in_place: _Asked,
    date: dt.date,
    day: int,
) -> None:
    point = np.concatenate([asked.point, in_place.point])
    contact = np.concatenate([asked.contact, in_place.contact])
    started = np.concatenate([asked.started, in_place.started])
    completed = np.concatenate([asked.completed, in_place.completed])
    order = np.argsort(completed, kind="stable")
    point, contact, started, completed = (a[order] for a in (point, contact, started, completed))
    # ids first: the draws after them (answers, planted changes) must not change them, so a
    # rerun with other planted changes finds the day written
    ids = time_ids(rng, completed)
    client_ids = time_ids(rng, completed)
    devices = rng.choice(len(DEVICES), len(point), p=DEVICE_SHARES).tolist()
    scores = _scores(plan, rng, point, contact, date)
    _plant(plan, rng, scores, point, day)
    answers = _answers(rng, scores)
    for i, p_index in enumerate(point.tolist()):
        p = plan.points[p_index]
        c = int(contact[i])
        out.responses.append(
            {
                "id": ids[i],
                "workspace_id": plan.workspace_id,
                "client_id": client_ids[i],
                "survey_id": p.survey_id,
                "survey_version_id": p.version_id,
                "contact_id": plan.population.ids[c],
                "touchpoint_id": p.id,
                "channel": p.channel,
                "locale": plan.population.locales[c],
                "device_class": _device(p.channel, devices[i]),
                "page_url": None,
                "app_screen": None,
                "app_version": None,
                "answers": answers[i],
                "is_complete": True,
                "started_at": _time(started[i]),
                "updated_at": _time(completed[i]),
                "completed_at": _time(completed[i]),
            }
        )


def _device(channel: str, drawn: int) -> str:
    if channel == "onsite":
        return "kiosk"
    if channel == "call_center":
        return "other"
    return DEVICES[drawn]


def _scores(
    plan: Plan, rng: np.random.Generator, point: Ints, contact: Ints, date: dt.date
) -> dict[str, Ints]:
    """The latent model of the module docstring, turned into each question's score."""
    n = len(point)
    base = np.array([p.base for p in plan.points])[point] if n else np.zeros(0)
    offsets = np.array([p.offsets for p in plan.points]).reshape(-1, 3)[point]
    common = base + plan.population.effect[contact] + season(date) + rng.normal(0, 0.6, n)
    drivers = common[:, None] + offsets + rng.normal(0, 0.8, (n, 3))
    likely = drivers @ DRIVER_WEIGHTS + rng.normal(0, 0.5, n)

    def scale(values: Floats, low: int, high: int) -> Ints:
        scored: Ints = np.clip(np.rint(values), low, high).astype(np.int64)
        return scored

    return {
        "nps": scale(8.0 + 1.6 * likely, 0, 10),
        "csat": scale(3.9 + 0.75 * (0.8 * likely + rng.normal(0, 0.6, n)), 1, 5),
        "ces": scale(5.2 + 1.0 * (drivers[:, 0] + rng.normal(0, 0.6, n)), 1, 7),
        "ease": scale(3.8 + 0.8 * drivers[:, 0], 1, 5),
        "speed": scale(3.8 + 0.8 * drivers[:, 1], 1, 5),
        "value": scale(3.8 + 0.8 * drivers[:, 2], 1, 5),
    }


SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
"""The scales that are not 1-5 (the drivers' is)."""


def _plant(
    plan: Plan, rng: np.random.Generator, scores: dict[str, Ints], point: Ints, day: int
) -> None:
    """Apply the planted changes that have started by ``day``, in place."""
    keys = [p.key for p in plan.points]
    for change in plan.planted:
        if day < change.start_day or change.touchpoint not in keys:
            continue
        here = point == keys.index(change.touchpoint)
        if change.metric == "nps":
            _shift_nps(rng, scores["nps"], here, change.size)
        else:
            low, high = SCALES.get(change.metric, (1, 5))
            values = scores[change.metric]
            whole = np.floor(change.size)
            step = whole + (rng.random(len(values)) < change.size - whole)
            values[here] = np.clip(values[here] + step[here], low, high)


def _shift_nps(
    rng: np.random.Generator, nps: Ints, here: npt.NDArray[np.bool_], size: float
) -> None:
    """Move NPS by ``size`` points in expectation: each response moves one category at most.

    Down: a share of promoters become passives (8) and of passives detractors (6), the share
    chosen so that the expected NPS falls by ``size`` points. Up: the reverse.
    """
    n = int(here.sum())
    movable = here & ((nps >= 7) if size < 0 else (nps <= 8))
    if n == 0 or not movable.any():
        return
    share = min(1.0, abs(size) / 100 * n / int(movable.sum()))
    moved = movable & (rng.random(len(nps)) < share)
    if size < 0:
        nps[moved & (nps >= 9)] = -1  # marked, then set: promoters to 8, passives to 6
        nps[moved & (nps >= 7)] = 6
        nps[nps == -1] = 8
    else:
        nps[moved & (nps <= 6)] = 11
        nps[moved & (nps >= 7) & (nps <= 8)] = 9
        nps[nps == 11] = 7


def _answers(rng: np.random.Generator, scores: dict[str, Ints]) -> list[dict[str, Any]]:
    """Each response's answers; some leave a comment that matches their score."""
    names = list(scores)
    columns = [scores[name].tolist() for name in names]
    n = len(columns[0]) if columns else 0
    commented = (rng.random(n) < COMMENT_SHARE).tolist()
    picks = rng.integers(0, 3, n).tolist()
    answers: list[dict[str, Any]] = []
    for i in range(n):
        given = {name: column[i] for name, column in zip(names, columns, strict=True)}
        if commented[i]:
            mood = 0 if given["nps"] <= 6 else (1 if given["nps"] <= 8 else 2)
            given["comment"] = COMMENTS[mood][picks[i]]
        answers.append(given)
    return answers
