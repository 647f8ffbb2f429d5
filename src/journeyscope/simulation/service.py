"""``simulate``: months of realistic feedback traffic written through the bulk load paths.

One transaction per simulated day: the day's unsubscribes, events, invitations, responses
and their metric facts commit together, so a run stopped half-way leaves whole days, and a
second run with the same seed and range writes only what is missing (ids are derived from
the seed, and every load skips stored keys). Rows carry their own past times: the clock
(``db.clock``) only says which days are in the past.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from journeyscope import collection, orchestration
from journeyscope.errors import InvalidInput
from journeyscope.simulation import world
from journeyscope.simulation.models import DEFAULT_SEGMENTS, PlantedChange, SimulationReport
from journeyscope.simulation.traffic import Day, Plan, simulate_day
from journeyscope.store import Database
from journeyscope.surveys import SurveyDefinition

Progress = Callable[[str, int, int], None]
"""Called with a step (``"contacts"`` or ``"days"``), how many are done, and the total."""
MAX_DAYS = 3_660
MAX_PER_DAY = 100_000
MAX_CONTACTS = 1_000_000


def simulate(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    start: dt.date,
    days: int,
    responses_per_day: float,
    seed: int,
    journey_key: str | None = None,
    segments: Mapping[str, Sequence[str]] = DEFAULT_SEGMENTS,
    planted: Sequence[PlantedChange] = (),
    on_progress: Progress | None = None,
) -> SimulationReport:
    """Fill a workspace with ``days`` of simulated feedback from ``start`` on.

    About ``responses_per_day`` completed responses a day (more in the December rush, fewer
    on a channel's quiet weekdays), on every touchpoint of ``journey_key`` (the demo's
    ``retail`` journey if none), each asked by a simulated survey; contacts carry the
    ``segments`` as attributes (earlier values happier). See :mod:`.traffic` for the model.

    Raises:
        InvalidInput: the range is empty, too long or reaches past today; a planted change
            names a touchpoint the journey lacks.
        NotFound: ``journey_key`` is neither in the workspace nor a bundled example.
    """
    check_range(db, start, days, responses_per_day)
    setup = set_up(
        db, workspace_id, journey_key, seed, start, responses_per_day, segments, planted,
        on_progress,
    )  # fmt: skip
    report = SimulationReport(
        journey_key=setup.journey_key,
        start=start,
        days=days,
        contacts=setup.contacts,
        surveys=tuple(world.survey_key(p.key) for p in setup.plan.points),
    )
    for day in range(days):
        report = _add(report, _write_day(db, setup.plan, day, setup.definitions))
        if on_progress is not None:
            on_progress("days", day + 1, days)
    return report


class Setup(NamedTuple):
    """What a simulation writes on: its plan, the journey, the surveys' definitions."""

    plan: Plan
    journey_key: str
    definitions: Mapping[uuid.UUID, SurveyDefinition]
    contacts: int


def set_up(
    db: Database,
    workspace_id: uuid.UUID,
    journey_key: str | None,
    seed: int,
    start: dt.date,
    per_day: float,
    segments: Mapping[str, Sequence[str]],
    planted: Sequence[PlantedChange],
    on_progress: Progress | None,
) -> Setup:
    """The journey, its simulated surveys and the contacts, made once; the day-by-day plan.

    Shared by the per-day simulator and the bulk loader, so both draw the same world from the
    same seed.
    """
    found = world.ensure_journey(db, workspace_id, journey_key)
    material = world.entropy(seed, workspace_id, found.key)
    points, definitions = world.ensure_points(db, workspace_id, found, material)
    check_planted(planted, [p.key for p in points])
    size = min(MAX_CONTACTS, max(200, round(per_day * world.CONTACTS_PER_DAY)))
    done = [0]

    def contacts_done(count: int) -> None:
        done[0] += count
        if on_progress is not None:
            on_progress("contacts", done[0], size)

    population = world.ensure_population(
        db,
        workspace_id,
        seed=material,
        size=size,
        segments=segments,
        since=start,
        on_chunk=contacts_done,
    )
    plan = Plan(workspace_id, material, start, per_day, points, population, planted)
    return Setup(plan, found.key, definitions, size)


def check_range(db: Database, start: dt.date, days: int, per_day: float) -> None:
    """Refuse a range that is empty, too long or reaches today, or an impossible volume."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"{days} days cannot be simulated.", field="days", hint=f"give 1 to {MAX_DAYS}"
        )
    if not 0 < per_day <= MAX_PER_DAY:
        raise InvalidInput(
            f"{per_day} responses a day cannot be simulated.",
            field="responses_per_day",
            hint=f"give more than 0 and at most {MAX_PER_DAY}",
        )
    last = start + dt.timedelta(days=days - 1)
    today = db.clock.now().date()
    if last >= today:
        raise InvalidInput(
            f"The simulated range ends on {last}, not before today ({today}).",
            field="start",
            hint="simulate the past: start earlier or give fewer days",
        )


def check_planted(planted: Sequence[PlantedChange], keys: Sequence[str]) -> None:
    """Refuse a planted change on a touchpoint the journey lacks."""
    for change in planted:
        if change.touchpoint not in keys:
            raise InvalidInput(
                f"The journey has no touchpoint {change.touchpoint!r} to plant a change on.",
                field="plant",
                hint="use one of: " + ", ".join(keys),
            )


def _write_day(
    db: Database, plan: Plan, day: int, definitions: Mapping[uuid.UUID, SurveyDefinition]
) -> dict[str, int]:
    """Write one simulated day in one transaction; what was new."""
    rows: Day = simulate_day(plan, day)
    at = dt.datetime.combine(plan.start + dt.timedelta(days=day), dt.time(12), dt.UTC)
    workspace_id = plan.workspace_id
    with db.transaction() as session:
        orchestration.import_channel_statuses(
            session,
            workspace_id=workspace_id,
            channel="email",
            status="unsubscribed",
            sources=dict.fromkeys(rows.unsubscribed, "simulated: unsubscribe link"),
            at=at,
        )
        events = collection.import_events(session, workspace_id=workspace_id, rows=rows.events)
        invitations = orchestration.import_invitations(
            session, workspace_id=workspace_id, rows=rows.invitations
        )
        responses = collection.import_responses(
            session, workspace_id=workspace_id, rows=rows.responses, definitions=definitions
        )
    return {
        "events": events,
        "invitations": invitations,
        "responses": responses,
        "unsubscribes": len(rows.unsubscribed) if responses or not rows.responses else 0,
        "days_skipped": int(bool(rows.responses) and responses == 0),
    }


def _add(report: SimulationReport, counts: dict[str, int]) -> SimulationReport:
    return replace(report, **{name: getattr(report, name) + n for name, n in counts.items()})


def busiest_touchpoint(
    db: Database, *, workspace_id: uuid.UUID, seed: int, journey_key: str | None = None
) -> str:
    """The key of the touchpoint that gets the largest share of a simulation's responses.

    The shares are drawn from the seed, the workspace and the journey, so a demo can plant
    its regression where enough answers will show it. Makes the simulated surveys, as
    :func:`simulate` would.
    """
    found = world.ensure_journey(db, workspace_id, journey_key)
    material = world.entropy(seed, workspace_id, found.key)
    points, _ = world.ensure_points(db, workspace_id, found, material)
    return max(points, key=lambda point: point.share).key
