"""The analysis queue: interviews get a status and a lease; open-text answers become verbatims.

Interviews already stored keep what they have: one with an analysis is ``analysed``, one
without is ``imported`` (nothing is queued by the upgrade; ``journeyscope interviews
analyze`` or ``POST /v1/interviews/{id}/analyze`` queues it). Answers of responses completed
before this revision are not queued either (no data is guessed at).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
STATES = ("imported", "queued", "analysing", "analysed", "failed")
"""The analysis states of this revision (a snapshot: later code may know more)."""
CONDITION = "status IN ({})".format(", ".join(f"'{state}'" for state in STATES))
INTERVIEW = sa.table(
    "interview",
    sa.column("status", sa.String(16)),
    sa.column("analyzed_at", sa.DateTime(timezone=True)),
)


def _queue_columns() -> list[sa.Column[object]]:
    """The lease columns interviews and verbatims share."""
    return [
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
    ]


def _upgrade_interview() -> None:
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="imported")
        )
        for column in _queue_columns():
            batch_op.add_column(column)
    op.execute(
        INTERVIEW.update().where(INTERVIEW.c.analyzed_at.is_not(None)).values(status="analysed")
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
        batch_op.alter_column("attempts", server_default=None)
        batch_op.create_index(batch_op.f("ix_interview_status_due_at"), ["status", "due_at"])
        batch_op.create_check_constraint(batch_op.f("ck_interview_status"), CONDITION)


def _create_verbatim() -> None:
    op.create_table(
        "verbatim",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.String(length=63), nullable=False),
        sa.Column("touchpoint_id", sa.Uuid(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("annotation", JSON, nullable=True),
        sa.Column("valence", sa.Double(), nullable=True),
        sa.Column("emotion", sa.String(length=32), nullable=True),
        sa.Column("is_minimized", sa.Boolean(), nullable=True),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(CONDITION, name=op.f("ck_verbatim_status")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_verbatim_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["touchpoint_id"],
            ["touchpoint.id"],
            name=op.f("fk_verbatim_touchpoint_id_touchpoint"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_verbatim_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verbatim")),
        sa.UniqueConstraint(
            "response_id", "question_id", name=op.f("uq_verbatim_response_id_question_id")
        ),
    )
    op.create_index(op.f("ix_verbatim_status_due_at"), "verbatim", ["status", "due_at"])
    op.create_index(
        op.f("ix_verbatim_workspace_id_touchpoint_id_answered_at"),
        "verbatim",
        ["workspace_id", "touchpoint_id", "answered_at"],
    )


def upgrade() -> None:
    _upgrade_interview()
    _create_verbatim()


def downgrade() -> None:
    op.drop_table("verbatim")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_interview_status"), type_="check")
        batch_op.drop_index(batch_op.f("ix_interview_status_due_at"))
        for name in ("failure", "claimed_until", "due_at", "attempts", "status"):
            batch_op.drop_column(name)
