"""The stage a simulation plays on: its journey, a survey per touchpoint, and its contacts.

Each is made through its domain's own services (``journey.apply_journey``,
``surveys.create_survey``/``publish_survey``) or bulk load (``collection.import_contacts``),
so the workspace looks as if real customers had answered real surveys. Everything is found
again by key on a second run rather than made twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from journeyscope import collection, journey, surveys
from journeyscope.errors import InvalidInput, NotFound
from journeyscope.simulation.traffic import Point, Population, time_ids
from journeyscope.store import Database

DEFAULT_JOURNEY = "retail"
"""The demo's retail journey (``journeyscope demo``): applied from the bundled file if absent."""
SURVEY_PREFIX = "sim-"
CONTACTS_PER_DAY = 30
"""The contact pool holds this many days of responses: most contacts answer a few times."""
UNSUBSCRIBE_SHARE = 0.03
UNSUBSCRIBE_HORIZON_DAYS = 730
"""Unsubscribe days are drawn over a fixed horizon, so the pool is the same for any range."""
LOCALES = ("en", "fr")
LOCALE_SHARES = (0.8, 0.2)
CONTACT_CHUNK = 5_000
SEGMENT_STRENGTH = (0.3, 0.15)
"""Latent spread between the best and worst value: the first attribute's, then the others'."""


def simulated_survey() -> surveys.SurveyDefinition:
    """The survey every simulated touchpoint asks: NPS, CSAT, CES, three drivers, a comment."""

    def rating(key: str, text: str) -> dict[str, Any]:
        return {"id": key, "type": "rating", "scale": 5, "required": True, "text": text}

    questions = [
        {
            "id": "nps",
            "type": "nps",
            "required": True,
            "text": "How likely are you to recommend us?",
        },
        {"id": "csat", "type": "csat", "required": True, "text": "How satisfied are you?"},
        {"id": "ces", "type": "ces", "required": True, "text": "How easy was it?"},
        rating("ease", "How easy was it to get what you needed?"),
        rating("speed", "How quick was it?"),
        rating("value", "How good was the value for money?"),
        {"id": "comment", "type": "open_text", "text": "Anything else you would like to tell us?"},
    ]
    definition = {
        "title": "Simulated feedback",
        "thank_you": "Thank you!",
        "pages": [{"id": "scores", "questions": questions}],
    }
    return surveys.SurveyDefinition.model_validate(definition)


def entropy(seed: int, workspace_id: uuid.UUID, journey_key: str) -> tuple[int, ...]:
    """The seed material of every generator of a run: seed, workspace and journey."""
    if seed < 0:
        raise InvalidInput(f"The seed {seed} is negative.", field="seed", hint="give 0 or more")
    return (seed, workspace_id.int, zlib.crc32(journey_key.encode()))


def ensure_journey(db: Database, workspace_id: uuid.UUID, key: str | None) -> journey.JourneyView:
    """The journey ``key`` (the demo's retail journey if none), applying a bundled one if absent."""
    wanted = key or DEFAULT_JOURNEY
    try:
        return journey.get_journey(db, workspace_id=workspace_id, key=wanted)
    except NotFound:
        bundled = {path.stem: path for path in journey.example_paths()}
        if wanted not in bundled:
            raise
    spec = journey.load_journey_file(bundled[wanted])
    journey.apply_journey(db, workspace_id=workspace_id, spec=spec)
    return journey.get_journey(db, workspace_id=workspace_id, key=wanted)


def ensure_points(
    db: Database, workspace_id: uuid.UUID, found: journey.JourneyView, seed: tuple[int, ...]
) -> tuple[list[Point], dict[uuid.UUID, surveys.SurveyDefinition]]:
    """A published simulated survey and a character for each touchpoint.

    Also returns the definition of each survey version, which the facts are scored by.
    """
    rng = np.random.default_rng([*seed, 1])
    touchpoints = [(stage.key, point) for stage in found.stages for point in stage.touchpoints]
    shares = rng.dirichlet(np.full(len(touchpoints), 2.0))
    bases = rng.normal(0.0, 0.25, len(touchpoints))
    offsets = rng.normal(0.0, 0.2, (len(touchpoints), 3))
    points = []
    definitions = {}
    for i, (stage_key, point) in enumerate(touchpoints):
        published = _ensure_survey(db, workspace_id, found.key, point)
        definitions[published.version_id] = published.definition
        points.append(
            Point(
                key=point.key,
                id=point.id,
                stage_key=stage_key,
                channel=point.channel.value,
                survey_id=published.survey_id,
                version_id=published.version_id,
                share=float(shares[i]),
                base=float(bases[i]),
                offsets=(float(offsets[i, 0]), float(offsets[i, 1]), float(offsets[i, 2])),
            )
        )
    return points, definitions


def survey_key(touchpoint_key: str) -> str:
    """The simulated survey's key on a touchpoint (keys are at most 63 characters)."""
    return (SURVEY_PREFIX + touchpoint_key)[:63]


def _ensure_survey(
    db: Database, workspace_id: uuid.UUID, journey_key: str, point: journey.TouchpointView
) -> surveys.PublishedSurvey:
    key = survey_key(point.key)
    try:
        return surveys.published_by_key(db, workspace_id, key)
    except NotFound:
        pass
    try:
        surveys.get_survey(db, workspace_id=workspace_id, key=key)
    except NotFound:
        data = surveys.SurveyCreate(
            key=key,
            name=f"Simulated: {point.name}"[:200],
            definition=simulated_survey(),
            touchpoint=surveys.TouchpointRef(journey_key=journey_key, touchpoint_key=point.key),
        )
        surveys.create_survey(db, workspace_id=workspace_id, data=data)
    surveys.publish_survey(db, workspace_id=workspace_id, key=key)
    return surveys.published_by_key(db, workspace_id, key)


def ensure_population(
    db: Database,
    workspace_id: uuid.UUID,
    *,
    seed: tuple[int, ...],
    size: int,
    segments: Mapping[str, Sequence[str]],
    since: dt.date,
    on_chunk: Callable[[int], None] | None = None,
) -> Population:
    """The contact pool: made once, found again by external id on later runs."""
    rng = np.random.default_rng([*seed, 2])
    chosen = {
        name: rng.choice(len(values), size, p=rng.dirichlet(np.full(len(values), 4.0)))
        for name, values in segments.items()
    }
    effect = np.zeros(size)
    for position, (name, values) in enumerate(segments.items()):
        strength = SEGMENT_STRENGTH[min(position, 1)]
        if len(values) > 1:
            effect += strength * (0.5 - chosen[name] / (len(values) - 1))
    locales = [LOCALES[i] for i in rng.choice(len(LOCALES), size, p=LOCALE_SHARES).tolist()]
    gone = rng.random(size) < UNSUBSCRIBE_SHARE
    unsubscribed_on = np.where(gone, rng.integers(0, UNSUBSCRIBE_HORIZON_DAYS, size), -1)
    joined = dt.datetime.combine(since, dt.time(), dt.UTC)
    ids = time_ids(rng, np.full(size, joined.timestamp()))
    rows: list[dict[str, Any]] = [
        {
            "id": ids[i],
            "workspace_id": workspace_id,
            "external_id": f"sim-{seed[0]}-{i:07d}",
            "email": f"sim{seed[0]}.{i}@example.com",
            "phone": f"+1555{i:07d}",
            "name": None,
            "locale": locales[i],
            "timezone": "UTC",
            "attributes": {name: segments[name][int(chosen[name][i])] for name in segments},
            "created_at": joined,
            "updated_at": joined,
        }
        for i in range(size)
    ]
    stored = _import_contacts(db, workspace_id, rows, on_chunk)
    return Population(
        ids=[stored[row["external_id"]] for row in rows],
        locales=locales,
        effect=effect,
        unsubscribed_on=unsubscribed_on.astype(np.int64),
        attributes={
            name: np.array(values, dtype=object)[chosen[name]] for name, values in segments.items()
        },
    )


def _import_contacts(
    db: Database,
    workspace_id: uuid.UUID,
    rows: Sequence[dict[str, Any]],
    on_chunk: Callable[[int], None] | None,
) -> dict[str, uuid.UUID]:
    stored: dict[str, uuid.UUID] = {}
    for start in range(0, len(rows), CONTACT_CHUNK):
        part = rows[start : start + CONTACT_CHUNK]
        with db.transaction() as session:
            found = collection.import_contacts(session, workspace_id=workspace_id, rows=part)
        stored.update(found)
        if on_chunk is not None:
            on_chunk(len(part))
    return stored
