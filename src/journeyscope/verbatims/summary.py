"""Verbatims rolled up per journey stage or touchpoint: emotion mix, valence, themes, examples.

Counts come from one ``GROUP BY`` over the analysed verbatims of the journey's touchpoints in
the period (touchpoint x strongest emotion), so they cover every answer. Themes are found in a
group's latest :data:`SAMPLE` answers: their stored embeddings are clustered with the interview
themes' method (average-linkage agglomerative clustering on cosine distance, named by
class-based TF-IDF; ``interviews.cluster_texts``), and each theme shows the answers nearest
its centre. No model runs here: the embeddings were made by the worker.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence

import numpy as np

from journeyscope.errors import InvalidInput, NotFound
from journeyscope.interviews import cluster_texts
from journeyscope.store import Database
from journeyscope.verbatims import repo
from journeyscope.verbatims.models import (
    Grouping,
    ResponseVerbatim,
    VerbatimExample,
    VerbatimGroup,
    VerbatimSummary,
    VerbatimTheme,
)

SAMPLE = 300  # latest answers per group that themes are found in
THEMES = 5  # themes per group at most
EXAMPLES = 3  # example answers per theme


def verbatim_summary(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    journey_key: str,
    by: Grouping = "stage",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> VerbatimSummary:
    """Open-text answers of a journey's touchpoints answered in ``[since, until)``, per group.

    Raises:
        NotFound: No journey ``journey_key`` in this workspace.
        InvalidInput: ``by`` is not ``stage`` or ``touchpoint``, or ``since`` is not before
            ``until``.
    """
    _check(by, since, until)
    with db.transaction() as session:
        points = repo.journey_points(session, workspace_id, journey_key)
        stages = repo.stages_of(session, workspace_id, journey_key)
        if not stages:
            raise NotFound(
                f"There is no journey {journey_key!r} in this workspace.",
                field="journey",
                hint="list journeys with GET /v1/journeys or `journeyscope journey list`",
            )
        groups = _groups(points, stages, by)
        everything = repo.scope(workspace_id, [p.id for p in points], since=since, until=until)
        mix = repo.emotion_mix(session, everything)
        backlog = repo.backlog(session, everything)
        samples = {
            key: repo.latest_analysed(
                session, repo.scope(workspace_id, ids, since=since, until=until), SAMPLE
            )
            for key, (_, ids) in groups.items()
        }
    owner = {p.id: (p.stage_key if by == "stage" else p.key) for p in points}
    return VerbatimSummary(
        journey_key=journey_key,
        by=by,
        since=since,
        until=until,
        groups=tuple(
            _group(key, name, [m for m in mix if owner.get(m.touchpoint_id) == key], samples[key])
            for key, (name, _) in groups.items()
        ),
        pending=backlog.get("queued", 0) + backlog.get("analysing", 0),
        failed=backlog.get("failed", 0),
    )


def _check(by: str, since: dt.datetime | None, until: dt.datetime | None) -> None:
    if by not in ("stage", "touchpoint"):
        raise InvalidInput(
            f"Verbatims are summarised by stage or touchpoint, not {by!r}.",
            field="by",
            hint="use by=stage or by=touchpoint",
        )
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            "The period is empty: `since` is not before `until`.",
            field="since",
            hint="give a `since` earlier than `until` (until is excluded)",
        )


def _groups(
    points: Sequence[repo.Point], stages: Sequence[tuple[str, str]], by: Grouping
) -> dict[str, tuple[str, list[uuid.UUID]]]:
    """Each group's name and touchpoint ids, in the journey's order."""
    if by == "touchpoint":
        return {p.key: (p.name, [p.id]) for p in points}
    found: dict[str, tuple[str, list[uuid.UUID]]] = {key: (name, []) for key, name in stages}
    for point in points:
        found[point.stage_key][1].append(point.id)
    return found


def _group(
    key: str, name: str, mix: Sequence[repo.Mix], sample: Sequence[repo.Analysed]
) -> VerbatimGroup:
    count = sum(m.count for m in mix)
    emotions: Counter[str] = Counter()
    for m in mix:
        if m.emotion is not None:
            emotions[m.emotion] += m.count
    return VerbatimGroup(
        key=key,
        name=name,
        verbatims=count,
        valence=round(sum(m.valence_sum for m in mix) / count, 4) if count else None,
        emotions=dict(sorted(emotions.items(), key=lambda kv: (-kv[1], kv[0]))),
        minimized=sum(m.minimized for m in mix),
        sampled=len(sample),
        themes=tuple(_themes(sample)),
    )


def _themes(sample: Sequence[repo.Analysed]) -> list[VerbatimTheme]:
    usable = [a for a in sample if a.embedding and a.text]
    if len(usable) < 2:
        return []
    vectors = np.vstack([np.frombuffer(a.embedding, dtype=np.float32) for a in usable])
    clusters = cluster_texts([a.text for a in usable], vectors)
    return [
        VerbatimTheme(
            label=cluster.label,
            size=len(cluster.members),
            examples=tuple(_example(usable[i]) for i in cluster.members[:EXAMPLES]),
        )
        for cluster in clusters[:THEMES]
    ]


def response_verbatims(
    db: Database, *, workspace_id: uuid.UUID, response_id: uuid.UUID
) -> tuple[ResponseVerbatim, ...]:
    """The open-text answers of one response (its row id) and their emotions, by question."""
    with db.transaction() as session:
        rows = repo.of_response(session, workspace_id, response_id)
    return tuple(
        ResponseVerbatim(
            question_id=r.question_id,
            status=str(r.status),
            text=r.text,
            valence=None if r.valence is None else round(r.valence, 4),
            emotions=tuple(
                (str(label), round(float(value), 4))
                for label, value in (r.annotation or {}).get("emotions", ())
            ),
            is_minimized=bool(r.is_minimized),
        )
        for r in rows
    )


def _example(found: repo.Analysed) -> VerbatimExample:
    return VerbatimExample(
        text=found.text,
        question_id=found.question_id,
        answered_at=found.answered_at,
        valence=round(found.valence, 4),
        emotion=found.emotion,
        is_minimized=found.is_minimized,
        response_id=found.response_id,
    )
