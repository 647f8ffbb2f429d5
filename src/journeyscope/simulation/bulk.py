"""``load_responses``: millions of completed responses, fast, for benchmarks and big demos.

The bulk path of the simulator (``journeyscope simulate --bulk``). The same model as
:mod:`.traffic` (touchpoint characters, segment effects, seasons, drivers, planted changes)
gives each day's completed responses, but nothing around them: no events, invitations or
unsubscribes, and every channel answers in place. Rows are made column by column in NumPy
and appended with ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) in transactions of many
days; the rollups are counted from the facts in SQL once at the end
(``analytics.refill_rollups``), which is what ``journeyscope analytics rebuild`` would
compute. Same tables, same facts and segment snapshots as live traffic: a response's facts
are the rows ``collection.fact_rows`` gives for its answers, and its ``response_segment``
rows are its contact's values of the segments the workspace declares.

A bulk load writes into an empty range only: it refuses a workspace that has completed
responses from ``start`` on (there are no stored keys to skip, unlike :func:`simulate`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from journeyscope import analytics, collection, surveys, workspaces
from journeyscope.errors import InvalidInput
from journeyscope.simulation.models import DEFAULT_SEGMENTS, METRICS, PlantedChange
from journeyscope.simulation.service import check_range, set_up
from journeyscope.simulation.traffic import (
    DEVICE_SHARES,
    DEVICES,
    Plan,
    _diurnal_seconds,
    _plant,
    _scores,
    volume,
)
from journeyscope.store import Database

BulkProgress = Callable[[str, int, int], None]
"""Called with a step (``"contacts"``, ``"days"``, ``"rollups"``), how many done, the total."""
MAX_RESPONSES: Final = 50_000_000
ROWS_PER_TRANSACTION: Final = 200_000
"""Responses written per transaction (a run stopped half-way keeps the whole ones)."""
_EPOCH = np.datetime64("1970-01-01T00:00:00", "us")


@dataclass(frozen=True, slots=True)
class BulkReport:
    """What a bulk load wrote: responses, metric facts and segment snapshots, in how long."""

    journey_key: str
    start: dt.date
    days: int
    contacts: int
    responses: int
    facts: int
    segment_rows: int


@dataclass(frozen=True, slots=True)
class _Question:
    id: str
    metric: str
    low: int
    high: int


def _hex_ids(rng: np.random.Generator, millis: npt.NDArray[np.int64]) -> list[str]:
    """Time-ordered UUIDv7s as 32 hex digits, made in NumPy (no ``uuid.UUID`` objects)."""
    n = len(millis)
    high = (millis.astype(np.uint64) << np.uint64(16)) | np.uint64(0x7000)
    high |= rng.integers(0, 1 << 12, n, dtype=np.uint64)
    low = rng.integers(0, 1 << 62, n, dtype=np.uint64) | np.uint64(1 << 63)
    text = np.stack([high, low], axis=1).astype(">u8").tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]


def _times(seconds: npt.NDArray[np.float64]) -> list[str]:
    """UTC times as ``store.copy_columns`` takes them: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    micros = (seconds * 1_000_000).astype(np.int64).astype("timedelta64[us]")
    text = np.datetime_as_string(_EPOCH + micros, unit="us")
    return [value.replace("T", " ") for value in text.tolist()]


def _questions(definition: surveys.SurveyDefinition, names: Sequence[str]) -> list[_Question]:
    """The scored questions of the simulated survey, as ``score_facts`` sees them."""
    answers = dict.fromkeys(names, 1)
    return [
        _Question(f.question_id, f.metric.value, f.low, f.high)
        for f in surveys.score_facts(definition, answers)
    ]


def load_responses(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    start: dt.date,
    days: int,
    responses: int,
    seed: int,
    journey_key: str | None = None,
    segments: Mapping[str, Sequence[str]] = DEFAULT_SEGMENTS,
    planted: Sequence[PlantedChange] = (),
    on_progress: BulkProgress | None = None,
) -> BulkReport:
    """Load about ``responses`` completed responses over ``days`` from ``start``, in bulk.

    Contacts carry ``segments`` as attributes; the workspace's declared segments are
    snapshotted onto the responses. See the module docstring for what is and is not written.

    Raises:
        InvalidInput: the range is empty, too long or reaches past today; too many
            responses; the workspace has completed responses from ``start`` on; a planted
            change names a touchpoint the journey lacks.
    """
    if not 1 <= responses <= MAX_RESPONSES:
        raise InvalidInput(
            f"{responses} responses cannot be loaded.",
            field="responses",
            hint=f"give 1 to {MAX_RESPONSES:,}",
        )
    check_range(db, start, days, responses / days)
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    with db.transaction() as session:
        if collection.has_completed_since(session, workspace_id, since):
            raise InvalidInput(
                f"The workspace has completed responses from {start} on; a bulk load "
                "writes into an empty range only.",
                field="start",
                hint="load an earlier range, or into a new workspace",
            )
    setup = set_up(
        db, workspace_id, journey_key, seed, start, responses / days, segments, planted,
        on_progress,
    )  # fmt: skip
    plan, definitions = setup.plan, setup.definitions
    declared = next(w.segments for w in workspaces.list_workspaces(db) if w.id == workspace_id)
    definition = definitions[plan.points[0].version_id]
    writer = _Writer(plan, declared, _questions(definition, METRICS))
    pending: list[_Columns] = []
    pending_rows = 0
    totals = [0, 0, 0]
    for day in range(days):
        part = writer.day(day)
        pending.append(part)
        pending_rows += part.count
        if pending_rows >= ROWS_PER_TRANSACTION or day == days - 1:
            written = writer.write(db, pending)
            totals = [a + b for a, b in zip(totals, written, strict=True)]
            pending, pending_rows = [], 0
        if on_progress is not None:
            on_progress("days", day + 1, days)
    if on_progress is not None:
        on_progress("rollups", 0, 1)
    with db.transaction() as session:
        analytics.refill_rollups(session, workspace_id)
    if on_progress is not None:
        on_progress("rollups", 1, 1)
    return BulkReport(setup.journey_key, start, days, setup.contacts, *totals)


@dataclass(slots=True)
class _Columns:
    """One or more days' rows of the three tables, column by column."""

    count: int
    responses: dict[str, list[Any]]
    facts: dict[str, list[Any]]
    segments: dict[str, list[Any]]


class _Writer:
    """Makes each day's columns and appends a batch of days in one transaction."""

    def __init__(self, plan: Plan, declared: Sequence[str], questions: list[_Question]) -> None:
        self.plan = plan
        self.declared = [name for name in declared if name in plan.population.attributes]
        self.questions = questions
        self.workspace = plan.workspace_id.hex
        self.contacts = np.array([c.hex for c in plan.population.ids], dtype=object)
        self.locales = np.array(plan.population.locales, dtype=object)
        points = plan.points
        self.point_ids = np.array([p.id.hex for p in points], dtype=object)
        self.surveys = np.array([p.survey_id.hex for p in points], dtype=object)
        self.versions = np.array([p.version_id.hex for p in points], dtype=object)
        self.channels = np.array([p.channel for p in points], dtype=object)
        self.devices = [
            np.array([_device(p.channel, i) for i in range(len(DEVICES))], dtype=object)
            for p in points
        ]

    def day(self, day: int) -> _Columns:
        plan = self.plan
        rng = np.random.default_rng([*plan.entropy, day, 0xB01C])  # apart from simulate()'s
        date = plan.start + dt.timedelta(days=day)
        midnight = dt.datetime.combine(date, dt.time(), dt.UTC).timestamp()
        expected = np.array(
            [plan.responses_per_day * p.share * volume(date, p.channel) for p in plan.points]
        )
        counts = rng.poisson(expected)
        point = np.repeat(np.arange(len(plan.points)), counts)
        n = len(point)
        completed = np.sort(midnight + _diurnal_seconds(rng, n))
        started = completed - rng.uniform(20.0, 240.0, n)
        contact = rng.integers(0, len(plan.population.ids), n)
        millis = (completed * 1000).astype(np.int64)
        ids = _hex_ids(rng, millis)
        client_ids = _hex_ids(rng, millis)
        drawn = rng.choice(len(DEVICES), n, p=DEVICE_SHARES)
        scores = _scores(plan, rng, point, contact, date)
        _plant(plan, rng, scores, point, day)
        names = list(scores)
        columns = [scores[name].tolist() for name in names]
        answers = [
            "{" + ",".join(f'"{k}":{v}' for k, v in zip(names, row, strict=True)) + "}"
            for row in zip(*columns, strict=True)
        ]
        completed_text = _times(completed)
        points_list = point.tolist()
        device = [self.devices[p][d] for p, d in zip(points_list, drawn.tolist(), strict=True)]
        survey = self.surveys[point].tolist()
        touchpoint = self.point_ids[point].tolist()
        channel = self.channels[point].tolist()
        responses = {
            "id": ids,
            "workspace_id": [self.workspace] * n,
            "client_id": client_ids,
            "survey_id": survey,
            "survey_version_id": self.versions[point].tolist(),
            "contact_id": self.contacts[contact].tolist(),
            "touchpoint_id": touchpoint,
            "channel": channel,
            "locale": self.locales[contact].tolist(),
            "device_class": device,
            "answers": answers,
            "is_complete": [1] * n,
            "started_at": _times(started),
            "updated_at": completed_text,
            "completed_at": completed_text,
        }
        facts = self._facts(rng, ids, millis, scores, survey, touchpoint, channel, date)
        segments: dict[str, list[Any]] = {
            "response_id": ids * len(self.declared),
            "attribute": [name for name in self.declared for _ in range(n)],
            "workspace_id": [self.workspace] * (n * len(self.declared)),
            "value": [
                value
                for name in self.declared
                for value in plan.population.attributes[name][contact].tolist()
            ],
        }
        return _Columns(n, responses, facts, segments)

    def _facts(
        self,
        rng: np.random.Generator,
        ids: list[str],
        millis: npt.NDArray[np.int64],
        scores: Mapping[str, npt.NDArray[np.int64]],
        survey: list[str],
        touchpoint: list[str],
        channel: list[str],
        date: dt.date,
    ) -> dict[str, list[Any]]:
        n, k = len(ids), len(self.questions)
        fact_ids = _hex_ids(rng, np.repeat(millis, k))
        qs = self.questions
        return {
            "id": fact_ids,
            "workspace_id": [self.workspace] * (n * k),
            "response_id": [r for r in ids for _ in range(k)],
            "survey_id": [s for s in survey for _ in range(k)],
            "question_id": [q.id for q in qs] * n,
            "metric": [q.metric for q in qs] * n,
            "value": np.stack([scores[q.id] for q in qs], axis=1).ravel().astype(float).tolist(),
            "scale_min": [q.low for q in qs] * n,
            "scale_max": [q.high for q in qs] * n,
            "touchpoint_id": [t for t in touchpoint for _ in range(k)],
            "channel": [c for c in channel for _ in range(k)],
            "day": [date.isoformat()] * (n * k),
        }

    def write(self, db: Database, parts: list[_Columns]) -> tuple[int, int, int]:
        """Append the days' rows in one transaction; ``(responses, facts, segment rows)``."""

        def merged(name: str) -> dict[str, list[Any]]:
            first: dict[str, list[Any]] = getattr(parts[0], name)
            return {col: [v for p in parts for v in getattr(p, name)[col]] for col in first}

        responses, facts, segments = merged("responses"), merged("facts"), merged("segments")
        with db.transaction() as session:
            count = collection.copy_completed_responses(session, responses=responses, facts=facts)
            analytics.copy_segment_snapshots(session, segments)
        return count, len(facts["id"]), len(segments["response_id"])


def _device(channel: str, drawn: int) -> str:
    if channel == "onsite":
        return "kiosk"
    if channel == "call_center":
        return "other"
    return DEVICES[drawn]
