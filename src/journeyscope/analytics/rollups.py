"""The rollups: score histograms kept current as responses complete, and rebuilt from facts.

**Freshness.** :func:`record_completed` runs in the transaction that completes a response,
after its metric facts are written: a completion that commits is counted, one that rolls
back is not, and a query sees every response completed before it started. Increments are
upserts (``INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count``), so
concurrent completions on PostgreSQL add up instead of overwriting each other; keys are
written in sorted order so that two transactions never lock the same rows in opposite
orders. SQLite runs one writer at a time.

**Segments.** At completion the contact's current values of the workspace's segment
attributes (``workspace.segments``) are copied to ``response_segment``; the segment rollup
counts those, so a later change to the contact does not rewrite history.

**Rebuild.** :func:`rebuild_rollups` recomputes every count from the facts, reports each
row that differed and writes the right counts. Deleting responses or touchpoints does not
decrement the rollups; a rebuild does.

Imports the store (this module and ``queries`` are analytics' only database code) and
nothing of the domains above it: it reads their tables directly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import (
    Date,
    String,
    Table,
    Uuid,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy import Integer as SqlInteger
from sqlalchemy.orm import Session

from journeyscope.analytics.dimensions import SEGMENT_PREFIX, segment_value
from journeyscope.store import (
    SKIP,
    AddTo,
    Database,
    copy_columns,
    is_postgres,
    tables,
    write_rows,
)

NO_TOUCHPOINT: Final = tables.NO_TOUCHPOINT
METRIC: Final[Table] = tables.MetricRollup.__table__  # type: ignore[assignment]
SEGMENT: Final[Table] = tables.SegmentRollup.__table__  # type: ignore[assignment]
WEEK: Final[Table] = tables.MetricRollupWeek.__table__  # type: ignore[assignment]
FACT: Final[Table] = tables.MetricFact.__table__  # type: ignore[assignment]
RESPONSE: Final[Table] = tables.Response.__table__  # type: ignore[assignment]
SNAPSHOT: Final[Table] = tables.ResponseSegment.__table__  # type: ignore[assignment]

METRIC_KEY: Final = (
    *("workspace_id", "day", "touchpoint_id", "channel", "survey_id", "question_id"),
    *("metric", "scale_min", "scale_max"),
)
SEGMENT_KEY: Final = (
    *("workspace_id", "dimension", "day", "touchpoint_id", "value"),
    *("metric", "scale_min", "scale_max"),
)
KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "metric_rollup": METRIC_KEY,
    "metric_rollup_week": METRIC_KEY,
    "segment_rollup": SEGMENT_KEY,
}
BY_NAME: Final[Mapping[str, Table]] = {t.name: t for t in (METRIC, WEEK, SEGMENT)}
HISTOGRAM: Final = tables.HISTOGRAM
"""A row's score columns: ``h<i>`` counts the answers that scored ``scale_min + i``."""
SCORED_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    name: (*key, "score") for name, key in KEYS.items()
}
"""What a rebuild compares and reports: one count per key and score."""
TABLES: Final = "metric_rollup, metric_rollup_week, segment_rollup"
MAX_LISTED: Final = 100
"""A rebuild report lists at most this many differing rows (and counts them all)."""


# --- upkeep ------------------------------------------------------------------------------------


def _metric_key(fact: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        fact["workspace_id"],
        fact["day"],
        fact["touchpoint_id"] or NO_TOUCHPOINT,
        fact["channel"],
        fact["survey_id"],
        fact["question_id"],
        fact["metric"],
        fact["scale_min"],
        fact["scale_max"],
    )


def _segment_key(fact: Mapping[str, Any], dimension: str, value: str) -> tuple[Any, ...]:
    return (
        fact["workspace_id"],
        dimension,
        fact["day"],
        fact["touchpoint_id"] or NO_TOUCHPOINT,
        value,
        fact["metric"],
        fact["scale_min"],
        fact["scale_max"],
    )


def _segment_sources(*, many: bool) -> Any:
    """The contacts' attributes beside their workspace's segment names, in one read."""
    contact = tables.Contact.__table__.c
    workspace = tables.Workspace.__table__.c
    which = (
        contact.id.in_(bindparam("contact_ids", expanding=True))
        if many
        else contact.id == bindparam("contact_id")
    )
    return (
        select(contact.id, contact.attributes, workspace.segments)
        .join_from(tables.Contact.__table__, tables.Workspace.__table__)
        .where(which)
    )


_SEGMENT_SOURCES: Final = _segment_sources(many=True)
_SEGMENT_SOURCE: Final = _segment_sources(many=False)
"""Built once: every completion with a contact runs one (a save's: one contact, no list)."""


def _snapshot_rows(
    session: Session, workspace_id: uuid.UUID, responses: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The ``response_segment`` rows of one workspace's responses (none without segments).

    A response without a contact has no segment values, so a workspace whose responses have
    none reads nothing (an anonymous save pays no round trip for segments).
    """
    contact_ids = {r["contact_id"] for r in responses if r.get("contact_id")}
    if not contact_ids:
        return []
    if len(contact_ids) == 1:
        found = session.execute(_SEGMENT_SOURCE, {"contact_id": next(iter(contact_ids))}).all()
    else:
        found = session.execute(_SEGMENT_SOURCES, {"contact_ids": sorted(contact_ids)}).all()
    segments = found[0].segments if found else None
    if not segments:
        return []
    attributes = {row.id: row.attributes for row in found}
    rows = []
    for response in responses:
        held = attributes.get(response.get("contact_id"), {})
        for name in segments:
            value = segment_value(held.get(name))
            if value is not None:
                rows.append(
                    {
                        "response_id": response["id"],
                        "attribute": name,
                        "workspace_id": workspace_id,
                        "value": value,
                    }
                )
    return rows


def _snapshot_segments(
    session: Session, responses: Sequence[Mapping[str, Any]]
) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """Copy the contacts' segment values onto the responses; ``{response id: [(dim, value)]}``."""
    rows: list[dict[str, Any]] = []
    for workspace_id in sorted({r["workspace_id"] for r in responses}):
        mine = [r for r in responses if r["workspace_id"] == workspace_id]
        rows += _snapshot_rows(session, workspace_id, mine)
    write_rows(session, SNAPSHOT, rows, on_conflict=SKIP)
    found: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for row in rows:
        found.setdefault(row["response_id"], []).append(
            (SEGMENT_PREFIX + row["attribute"], row["value"])
        )
    return found


def _dimensions(response: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The response's own dimensions: ``language`` (its locale) and ``device_class``."""
    pairs = [("language", response.get("locale")), ("device_class", response.get("device_class"))]
    return [(name, value[:200]) for name, value in pairs if value]


def _upsert(session: Session, table: Table, counts: Counter[tuple[Any, ...]]) -> None:
    """Add ``counts`` (per key and score) to the rollup's rows, creating missing ones.

    One row per key holds its histogram; rows go in key order.
    """
    if not counts:
        return
    names = KEYS[table.name]
    histograms: dict[tuple[Any, ...], list[int]] = {}
    for (*key, score), n in counts.items():
        low = key[-2]
        histograms.setdefault(tuple(key), [0] * len(HISTOGRAM))[score - low] += n
    rows = [
        dict(zip(names, key, strict=True)) | dict(zip(HISTOGRAM, bins, strict=True))
        for key, bins in sorted(histograms.items())
    ]
    write_rows(session, table, rows, on_conflict=AddTo(names, HISTOGRAM))


def record_completed(
    session: Session,
    responses: Sequence[Mapping[str, Any]],
    facts: Sequence[Mapping[str, Any]],
) -> None:
    """Snapshot segments and count the facts of newly completed responses into the rollups.

    Call it in the transaction that completes them, after their facts are written.

    Args:
        session: The completing transaction.
        responses: The responses' columns (``id``, ``workspace_id``, ``contact_id``,
            ``locale``, ``device_class``).
        facts: Their metric facts' columns, as written to ``metric_fact``.
    """
    if not facts:
        return
    with_facts = {f["response_id"] for f in facts}
    responses = [r for r in responses if r["id"] in with_facts]
    segments = _snapshot_segments(session, responses)
    by_id = {r["id"]: _dimensions(r) + segments.get(r["id"], []) for r in responses}
    metric: Counter[tuple[Any, ...]] = Counter((*_metric_key(f), int(f["value"])) for f in facts)
    segment: Counter[tuple[Any, ...]] = Counter(
        (*_segment_key(f, dimension, value), int(f["value"]))
        for f in facts
        for dimension, value in by_id.get(f["response_id"], [])
    )
    _upsert(session, METRIC, metric)
    _upsert(session, WEEK, by_week(metric))
    _upsert(session, SEGMENT, segment)


def by_week(counts: Counter[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    """Daily ``metric_rollup`` counts (key and score) summed by ISO week (day: its Monday)."""
    weekly: Counter[tuple[Any, ...]] = Counter()
    for key, n in counts.items():
        day = key[1]
        weekly[(key[0], day - dt.timedelta(days=day.weekday()), *key[2:])] += n
    return weekly


# --- rebuild -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollupDifference:
    """One rollup row that did not match the facts: ``found`` stored, ``expected`` counted."""

    table: str
    key: Mapping[str, Any]
    expected: int
    found: int


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What a rebuild compared and fixed.

    Attributes:
        workspaces: How many workspaces were rebuilt.
        rows: Rollup rows the facts give (after the rebuild, the rows stored).
        differing: How many stored rows were missing, wrong or not backed by facts.
        differences: The first :data:`MAX_LISTED` of them.
    """

    workspaces: int
    rows: int
    differing: int
    differences: tuple[RollupDifference, ...]

    @property
    def is_clean(self) -> bool:
        """Whether the rollups already matched the facts."""
        return self.differing == 0


def _fact_groups(session: Session, workspace_id: uuid.UUID, extra: Sequence[Any]) -> Any:
    """The facts grouped by both rollups' common key and ``extra`` columns, with counts."""
    common = [
        FACT.c.workspace_id,
        FACT.c.day,
        FACT.c.touchpoint_id,
        FACT.c.metric,
        FACT.c.scale_min,
        FACT.c.scale_max,
        cast(FACT.c.value, SqlInteger),
    ]
    key = [*common, *extra]
    stmt = select(*key, func.count()).where(FACT.c.workspace_id == workspace_id).group_by(*key)
    if any(column.table is not FACT for column in extra):
        stmt = stmt.join_from(FACT, extra[0].table, _join_on(extra[0].table))
    return session.execute(stmt)


def _join_on(table: Any) -> Any:
    if table is SNAPSHOT:
        return SNAPSHOT.c.response_id == FACT.c.response_id
    return RESPONSE.c.id == FACT.c.response_id


def expected_counts(session: Session, workspace_id: uuid.UUID) -> dict[str, Counter[Any]]:
    """Both rollups' counts for one workspace, per key and score, computed from its facts."""
    metric: Counter[tuple[Any, ...]] = Counter()
    extra = [FACT.c.channel, FACT.c.survey_id, FACT.c.question_id]
    for ws, day, tp, m, low, high, score, channel, survey, question, n in _fact_groups(
        session, workspace_id, extra
    ):
        metric[(ws, day, tp or NO_TOUCHPOINT, channel, survey, question, m, low, high, score)] += n
    segment: Counter[tuple[Any, ...]] = Counter()
    sources: list[tuple[str | None, list[Any]]] = [
        (None, [SNAPSHOT.c.attribute, SNAPSHOT.c.value]),
        ("language", [RESPONSE.c.locale]),
        ("device_class", [RESPONSE.c.device_class]),
    ]
    for name, columns in sources:
        for row in _fact_groups(session, workspace_id, columns):
            ws, day, tp, m, low, high, score, *dims, n = row
            dimension, value = name or SEGMENT_PREFIX + dims[0], dims[-1]
            if value:
                key = (ws, dimension, day, tp or NO_TOUCHPOINT, value[:200], m, low, high)
                segment[(*key, score)] += n
    return {
        "metric_rollup": metric,
        "metric_rollup_week": by_week(metric),
        "segment_rollup": segment,
    }


def stored_counts(session: Session, table: Table, workspace_id: uuid.UUID) -> Counter[Any]:
    """The rollup's stored counts for one workspace, per key and score (none of 0)."""
    names = KEYS[table.name]
    width = len(names)
    stmt = select(*(table.c[n] for n in names), *(table.c[h] for h in HISTOGRAM)).where(
        table.c.workspace_id == workspace_id
    )
    found: Counter[Any] = Counter()
    for row in session.execute(stmt):
        key, low = tuple(row[:width]), row[width - 2]
        for i, n in enumerate(row[width:]):
            if n:
                found[(*key, low + i)] = n
    return found


def _lock(session: Session, workspace_id: uuid.UUID) -> None:
    """Hold completions back while one workspace is rebuilt, so none is counted twice or lost.

    PostgreSQL: a lock that conflicts with the upserts' row-exclusive lock (completions wait,
    readers do not). SQLite: a first write, which takes the database's one write lock.
    """
    if is_postgres(session):
        session.execute(text(f"LOCK TABLE {TABLES} IN SHARE ROW EXCLUSIVE MODE"))
        return
    workspace: Any = tables.Workspace.__table__
    session.execute(
        update(workspace).where(workspace.c.id == workspace_id).values(slug=workspace.c.slug)
    )


def _differences(table: str, expected: Counter[Any], found: Counter[Any]) -> list[RollupDifference]:
    names = SCORED_KEYS[table]
    return [
        RollupDifference(table, dict(zip(names, key, strict=True)), expected[key], found[key])
        for key in sorted(set(expected) | set(found))
        if expected[key] != found[key]
    ]


def _rewrite(session: Session, table: Table, workspace_id: uuid.UUID, counts: Counter[Any]) -> None:
    session.execute(delete(table).where(table.c.workspace_id == workspace_id))
    _upsert(session, table, counts)


def rebuild_workspace(
    session: Session, workspace_id: uuid.UUID, *, fix: bool = True
) -> tuple[int, list[RollupDifference]]:
    """Recompute one workspace's rollups in ``session``; ``(rows, differences)``.

    With ``fix`` false the differences are only reported.
    """
    _lock(session, workspace_id)
    rows, differences = 0, []
    for name, expected in expected_counts(session, workspace_id).items():
        table = BY_NAME[name]
        found = _differences(name, expected, stored_counts(session, table, workspace_id))
        if found and fix:
            _rewrite(session, table, workspace_id, expected)
        rows += len({key[:-1] for key in expected})  # one row per key holds its scores
        differences += found
    return rows, differences


def _workspace_ids(db: Database, workspace_id: uuid.UUID | None) -> Iterable[uuid.UUID]:
    if workspace_id is not None:
        return [workspace_id]
    with db.transaction() as session:
        return list(session.scalars(select(tables.Workspace.id).order_by(tables.Workspace.id)))


def rebuild_rollups(
    db: Database, *, workspace_id: uuid.UUID | None = None, fix: bool = True
) -> RebuildReport:
    """Recompute the rollups from the metric facts and fix every row that differs.

    One transaction per workspace (every workspace when ``workspace_id`` is ``None``);
    completions in a workspace being rebuilt wait for it. With ``fix`` false nothing is
    written: the report says what a rebuild would change.
    """
    workspaces, rows = 0, 0
    differences: list[RollupDifference] = []
    for wid in _workspace_ids(db, workspace_id):
        with db.transaction() as session:
            counted, found = rebuild_workspace(session, wid, fix=fix)
        workspaces, rows, differences = workspaces + 1, rows + counted, differences + found
    return RebuildReport(workspaces, rows, len(differences), tuple(differences[:MAX_LISTED]))


# --- periods in SQL --------------------------------------------------------------------------


def period_expression(session: Session, day: Any, grain: str) -> Any:
    """The first day of ``day``'s period (``day``, ``week``, ``month``, ``quarter``), in SQL.

    PostgreSQL: ``date_trunc`` (ISO weeks start on Monday). SQLite keeps dates as
    ``YYYY-MM-DD`` text: a week goes back to its Monday with ``date(day, '-N days')``, a
    month or quarter is rebuilt from the year and month.
    """
    if grain == "day":
        return day
    if is_postgres(session):
        return cast(func.date_trunc(literal_column(f"'{grain}'"), day), Date)
    if grain == "week":
        weekday = (cast(func.strftime("%w", day), SqlInteger) + 6) % 7
        return type_coerce(func.date(day, func.printf("-%d days", weekday)), Date)
    if grain == "month":
        return type_coerce(func.strftime("%Y-%m-01", day), Date)
    month = (cast(func.substr(day, 6, 2), SqlInteger) - 1) // 3 * 3 + 1
    return type_coerce(func.printf("%s-%02d-01", func.substr(day, 1, 4), month), Date)


# --- bulk loads --------------------------------------------------------------------------------


def copy_segment_snapshots(session: Session, columns: Mapping[str, Sequence[Any]]) -> int:
    """Append ``response_segment`` rows of a bulk load (see ``store.copy_columns``)."""
    return copy_columns(session, SNAPSHOT, columns)


def _refill_statements(session: Session, workspace_id: uuid.UUID) -> list[Any]:
    """``INSERT ... SELECT ... GROUP BY``: both rollups counted from the facts in SQL."""
    f = FACT.c
    tp = func.coalesce(f.touchpoint_id, literal(NO_TOUCHPOINT, Uuid()))
    place = cast(f.value, SqlInteger) - f.scale_min
    bins = [func.sum(case((place == i, 1), else_=0)) for i in range(len(HISTOGRAM))]
    tail = [f.metric, f.scale_min, f.scale_max]
    mine = f.workspace_id == workspace_id
    common = [f.workspace_id, f.day, tp, f.channel, f.survey_id, f.question_id, *tail]
    metric = select(*common, *bins).where(mine).group_by(*common)
    weekly = [f.workspace_id, period_expression(session, f.day, "week"), *common[2:]]
    week = select(*weekly, *bins).where(mine).group_by(*weekly)
    prefix = literal(SEGMENT_PREFIX, String())
    parts = []
    sources: list[tuple[Any, Any, Any]] = [
        (prefix.concat(SNAPSHOT.c.attribute), SNAPSHOT.c.value, SNAPSHOT),
        (literal("language", String()), func.substr(RESPONSE.c.locale, 1, 200), RESPONSE),
        (literal("device_class", String()), func.substr(RESPONSE.c.device_class, 1, 200), RESPONSE),
    ]
    for dimension, value, table in sources:
        key = [f.workspace_id, dimension, f.day, tp, value, *tail]
        stmt = select(*key, *bins).join_from(FACT, table, _join_on(table)).where(mine)
        if table is RESPONSE:
            stmt = stmt.where(value.is_not(None), value != "")
        parts.append(stmt.group_by(*key))
    return [
        insert(METRIC).from_select([*METRIC_KEY, *HISTOGRAM], metric),
        insert(WEEK).from_select([*METRIC_KEY, *HISTOGRAM], week),
        insert(SEGMENT).from_select([*SEGMENT_KEY, *HISTOGRAM], union_all(*parts)),
    ]


def refill_rollups(session: Session, workspace_id: uuid.UUID) -> None:
    """Recount one workspace's rollups from its facts in SQL, replacing what they held.

    What a bulk load calls once at its end, instead of counting each response as a save
    does; :func:`rebuild_rollups` then reports no difference. Holds completions back as a
    rebuild does. On PostgreSQL it then refreshes the planner's statistics of the tables a
    bulk load fills (``ANALYZE``).
    """
    _lock(session, workspace_id)
    for table in (METRIC, WEEK, SEGMENT):
        session.execute(delete(table).where(table.c.workspace_id == workspace_id))
    for stmt in _refill_statements(session, workspace_id):
        session.execute(stmt)
    if is_postgres(session):
        # after a bulk load the planner's statistics are stale until autovacuum comes round;
        # the segment query mis-planned without them (bench/analytics.py)
        session.execute(text(f"ANALYZE response, metric_fact, response_segment, {TABLES}"))
