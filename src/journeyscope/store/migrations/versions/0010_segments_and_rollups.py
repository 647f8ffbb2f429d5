"""Segments and rollups: workspace.segments, response_segment, metric_rollup, segment_rollup.

The rollups are filled from the metric facts already stored (the same counts
``journeyscope analytics rebuild`` computes), so a database upgraded with history answers
metric queries at once. No workspace declared segments before this revision, so only the
``language`` and ``device_class`` dimensions have rows to fill.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
NO_TOUCHPOINT = uuid.UUID(int=0)
"""A snapshot of ``tables.NO_TOUCHPOINT``."""

FACT = sa.table(
    "metric_fact",
    *(sa.column(name) for name in ("workspace_id", "response_id", "survey_id", "question_id")),
    *(sa.column(name) for name in ("metric", "scale_min", "scale_max", "channel", "day")),
    sa.column("value", sa.Float()),
    sa.column("touchpoint_id", sa.Uuid()),
)
RESPONSE = sa.table("response", sa.column("id"), sa.column("locale"), sa.column("device_class"))
KEY = ("workspace_id", "day", "touchpoint_id", "metric", "scale_min", "scale_max", "score")


def _key_columns(table: str) -> list[Any]:
    return [
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("touchpoint_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{table}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
    ]


def _create_tables() -> None:
    op.create_table(
        "response_segment",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("attribute", sa.String(length=63), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_response_segment_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_response_segment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "attribute", name=op.f("pk_response_segment")),
    )
    op.create_index(
        op.f("ix_response_segment_workspace_id_attribute"),
        "response_segment",
        ["workspace_id", "attribute"],
    )
    op.create_table(
        "metric_rollup",
        *_key_columns("metric_rollup"),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_metric_rollup_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "day",
            "touchpoint_id",
            "channel",
            "survey_id",
            "question_id",
            "metric",
            "scale_min",
            "scale_max",
            "score",
            name=op.f("pk_metric_rollup"),
        ),
    )
    op.create_index(
        op.f("ix_metric_rollup_workspace_id_metric_day"),
        "metric_rollup",
        ["workspace_id", "metric", "day"],
    )
    op.create_table(
        "segment_rollup",
        *_key_columns("segment_rollup"),
        sa.Column("dimension", sa.String(length=72), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "dimension",
            "day",
            "touchpoint_id",
            "value",
            "metric",
            "scale_min",
            "scale_max",
            "score",
            name=op.f("pk_segment_rollup"),
        ),
    )
    op.create_index(
        op.f("ix_segment_rollup_workspace_id_dimension_metric_day"),
        "segment_rollup",
        ["workspace_id", "dimension", "metric", "day"],
    )


def _fact_key() -> list[Any]:
    """The key columns of both rollups as the facts hold them (grouped by these)."""
    return [
        FACT.c.workspace_id,
        FACT.c.day,
        FACT.c.touchpoint_id,
        FACT.c.metric,
        FACT.c.scale_min,
        FACT.c.scale_max,
        FACT.c.value,
    ]


def _as_key(columns: list[Any]) -> list[Any]:
    """``_fact_key()`` as the rollups store it: no NULL touchpoint, the score a whole number.

    The expressions wrap grouped columns (PostgreSQL would not match a bound parameter in
    ``GROUP BY`` with the same one in the select list).
    """
    nil = sa.literal(NO_TOUCHPOINT, sa.Uuid())
    return [
        *columns[:2],
        sa.func.coalesce(columns[2], nil),
        *columns[3:6],
        sa.cast(columns[6], sa.Integer()),
    ]


def _fill_metric_rollup() -> None:
    key = [*_fact_key(), FACT.c.channel, FACT.c.survey_id, FACT.c.question_id]
    names = [*KEY, "channel", "survey_id", "question_id", "count"]
    select = sa.select(*_as_key(key[:7]), *key[7:], sa.func.count()).group_by(*key)
    rollup = sa.table("metric_rollup", *(sa.column(n) for n in names))
    op.execute(sa.insert(rollup).from_select(names, select))


def _fill_segment_rollup(dimension: str, column: Any) -> None:
    key = [*_fact_key(), column]
    names = [*KEY, "value", "dimension", "count"]
    select = (
        sa.select(*_as_key(key[:7]), column, sa.literal(dimension, sa.String()), sa.func.count())
        .join_from(FACT, RESPONSE, RESPONSE.c.id == FACT.c.response_id)
        .where(column.is_not(None))
        .group_by(*key)
    )
    rollup = sa.table("segment_rollup", *(sa.column(n) for n in names))
    op.execute(sa.insert(rollup).from_select(names, select))


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segments", JSON, server_default="[]", nullable=False))
    _create_tables()
    _fill_metric_rollup()
    _fill_segment_rollup("language", RESPONSE.c.locale)
    _fill_segment_rollup("device_class", RESPONSE.c.device_class)


def downgrade() -> None:
    op.drop_table("segment_rollup")
    op.drop_table("metric_rollup")
    op.drop_table("response_segment")
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("segments")
