"""Rollup histograms and weeks: one row per key with score columns h0..h10; a weekly rollup.

A query reads up to 11 times fewer rollup rows (NPS has 11 scores); ``metric_rollup_week``
holds the same counts by ISO week (``day``: the Monday), so a year by week reads a seventh of
the daily rows. Keys lead with workspace, metric (and dimension) and day, and on SQLite the
tables are ``WITHOUT ROWID`` (clustered by key), so the old secondary indexes go. The
rollups are recreated and filled from the facts and segment snapshots already stored (what
``journeyscope analytics rebuild`` computes).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 13:00:00
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NO_TOUCHPOINT = uuid.UUID(int=0)
"""A snapshot of ``tables.NO_TOUCHPOINT``."""
HISTOGRAM = tuple(f"h{i}" for i in range(11))
TAIL = ("metric", "scale_min", "scale_max")
METRIC_KEY = ("workspace_id", "metric", "day", "touchpoint_id", "channel", "survey_id")
METRIC_KEY_REST = ("question_id", "scale_min", "scale_max")
SEGMENT_KEY = ("workspace_id", "dimension", "metric", "day", "touchpoint_id", "value")
SEGMENT_KEY_REST = ("scale_min", "scale_max")
CLUSTERED: dict[str, Any] = {"sqlite_with_rowid": False}

FACT = sa.table(
    "metric_fact",
    *(sa.column(name) for name in ("workspace_id", "response_id", "survey_id", "question_id")),
    *(sa.column(name) for name in ("metric", "scale_min", "scale_max", "channel", "day")),
    sa.column("value", sa.Float()),
    sa.column("touchpoint_id", sa.Uuid()),
)
RESPONSE = sa.table("response", sa.column("id"), sa.column("locale"), sa.column("device_class"))
SNAPSHOT = sa.table(
    "response_segment", sa.column("response_id"), sa.column("attribute"), sa.column("value")
)


def _columns(table: str) -> list[Any]:
    return [
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("touchpoint_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in HISTOGRAM),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{table}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
    ]


def _create_tables() -> None:
    for name in ("metric_rollup", "metric_rollup_week"):
        op.create_table(
            name,
            *_columns(name),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("survey_id", sa.Uuid(), nullable=False),
            sa.Column("question_id", sa.String(length=63), nullable=False),
            sa.ForeignKeyConstraint(
                ["survey_id"],
                ["survey.id"],
                name=op.f(f"fk_{name}_survey_id_survey"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint(*METRIC_KEY, *METRIC_KEY_REST, name=op.f(f"pk_{name}")),
            **CLUSTERED,
        )
    op.create_table(
        "segment_rollup",
        *_columns("segment_rollup"),
        sa.Column("dimension", sa.String(length=72), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint(*SEGMENT_KEY, *SEGMENT_KEY_REST, name=op.f("pk_segment_rollup")),
        **CLUSTERED,
    )


def _monday(day: Any) -> Any:
    """The Monday of ``day``'s ISO week, in SQL."""
    if op.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(sa.literal_column("'week'"), day), sa.Date())
    weekday = (sa.cast(sa.func.strftime("%w", day), sa.Integer()) + 6) % 7
    return sa.func.date(day, sa.func.printf("-%d days", weekday))


def _fill() -> None:
    """Both rollups counted from the facts, one ``INSERT ... SELECT ... GROUP BY`` each."""
    f = FACT.c
    tp = sa.func.coalesce(f.touchpoint_id, sa.literal(NO_TOUCHPOINT, sa.Uuid()))
    place = sa.cast(f.value, sa.Integer()) - f.scale_min
    bins = [sa.func.sum(sa.case((place == i, 1), else_=0)) for i in range(len(HISTOGRAM))]
    tail = [f.metric, f.scale_min, f.scale_max]
    names = ["workspace_id", "day", "touchpoint_id", "channel", "survey_id", "question_id"]
    names += [*TAIL, *HISTOGRAM]
    for table, day in (("metric_rollup", f.day), ("metric_rollup_week", _monday(f.day))):
        key = [f.workspace_id, day, tp, f.channel, f.survey_id, f.question_id, *tail]
        metric = sa.table(table, *(sa.column(n) for n in names))
        op.execute(sa.insert(metric).from_select(names, sa.select(*key, *bins).group_by(*key)))
    segment_names = ["workspace_id", "dimension", "day", "touchpoint_id", "value"]
    segment = sa.table(
        "segment_rollup", *(sa.column(n) for n in (*segment_names, *TAIL, *HISTOGRAM))
    )
    prefix = sa.literal("segment:", sa.String())
    sources: list[tuple[Any, Any, Any, Any]] = [
        (prefix.concat(SNAPSHOT.c.attribute), SNAPSHOT.c.value, SNAPSHOT, SNAPSHOT.c.response_id),
        (sa.literal("language", sa.String()), RESPONSE.c.locale, RESPONSE, RESPONSE.c.id),
        (sa.literal("device_class", sa.String()), RESPONSE.c.device_class, RESPONSE, RESPONSE.c.id),
    ]
    for dimension, column, table, joined in sources:
        value = sa.func.substr(column, 1, 200)
        key = [f.workspace_id, dimension, f.day, tp, value, *tail]
        select = (
            sa.select(*key, *bins)
            .join_from(FACT, table, joined == f.response_id)
            .where(column.is_not(None), column != "")
            .group_by(*key)
        )
        op.execute(sa.insert(segment).from_select([*segment_names, *TAIL, *HISTOGRAM], select))


def upgrade() -> None:
    op.drop_table("segment_rollup")
    op.drop_table("metric_rollup")
    _create_tables()
    _fill()


def _score_rows(table: str, key: tuple[str, ...]) -> None:
    """Recreate ``table`` with a row per score (0010's shape) from its histogram rows."""
    op.rename_table(table, f"{table}_histogram")
    old = sa.table(f"{table}_histogram", *(sa.column(n) for n in (*key, *TAIL, *HISTOGRAM)))
    types: dict[str, Any] = {"workspace_id": sa.Uuid(), "touchpoint_id": sa.Uuid()}
    types |= {"survey_id": sa.Uuid(), "day": sa.Date(), "scale_min": sa.Integer()}
    types |= {"scale_max": sa.Integer()}
    columns = [sa.Column(n, types.get(n, sa.String()), nullable=False) for n in (*key, *TAIL)]
    op.create_table(
        table,
        *columns,
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=f"fk_{table}_workspace_id_0",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(*key, *TAIL, "score", name=f"pk_{table}_0"),
    )
    new = sa.table(table, *(sa.column(n) for n in (*key, *TAIL, "score", "count")))
    for i, name in enumerate(HISTOGRAM):
        bin_ = old.c[name]
        rows = sa.select(*(old.c[n] for n in (*key, *TAIL)), old.c.scale_min + i, bin_).where(
            bin_ > 0
        )
        op.execute(sa.insert(new).from_select([*key, *TAIL, "score", "count"], rows))
    op.drop_table(f"{table}_histogram")


def downgrade() -> None:
    """Back to a row per score, the counts kept (constraint names differ from 0010's)."""
    op.drop_table("metric_rollup_week")
    metric = ("workspace_id", "day", "touchpoint_id", "channel", "survey_id", "question_id")
    _score_rows("metric_rollup", metric)
    _score_rows("segment_rollup", ("workspace_id", "dimension", "day", "touchpoint_id", "value"))
