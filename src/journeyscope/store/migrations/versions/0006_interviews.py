"""Interviews: the interview, its utterances (with their analysis) and its findings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _owned_by_interview(table: str) -> list[Any]:
    """The id, workspace and interview columns and keys every interview child table has."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f(f"fk_{table}_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{table}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint(
            "interview_id", "position", name=op.f(f"uq_{table}_interview_id_position")
        ),
    ]


def _create_interview() -> None:
    op.create_table(
        "interview",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("journey_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("participant", sa.String(length=200), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("source_filename", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("interviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.Column("warnings", JSON, nullable=False),
        sa.Column("analyzed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["journey_id"],
            ["journey.id"],
            name=op.f("fk_interview_journey_id_journey"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_interview_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_workspace_id_journey_id_id"),
            ["workspace_id", "journey_id", "id"],
            unique=False,
        )


def _create_finding() -> None:
    op.create_table(
        "interview_finding",
        *_owned_by_interview("interview_finding"),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=63), nullable=True),
        sa.Column("touchpoint", sa.String(length=63), nullable=True),
        sa.Column("emotion", sa.String(length=63), nullable=True),
        sa.Column("intensity", sa.Double(), nullable=False),
        sa.Column("quotes", JSON, nullable=False),
        sa.Column("follow_ups", JSON, nullable=False),
    )
    with op.batch_alter_table("interview_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_finding_workspace_id"), ["workspace_id"], unique=False
        )


def _create_utterance() -> None:
    op.create_table(
        "interview_utterance",
        *_owned_by_interview("interview_utterance"),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("start_s", sa.Double(), nullable=True),
        sa.Column("end_s", sa.Double(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("annotation", JSON, nullable=True),
        sa.Column("stage", sa.String(length=63), nullable=True),
        sa.Column("stage_confidence", sa.Double(), nullable=True),
        sa.Column("touchpoint", sa.String(length=63), nullable=True),
        sa.Column("touchpoint_confidence", sa.Double(), nullable=True),
        sa.Column("question_kind", sa.String(length=32), nullable=True),
    )
    with op.batch_alter_table("interview_utterance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_utterance_workspace_id"), ["workspace_id"], unique=False
        )


def upgrade() -> None:
    _create_interview()
    _create_finding()
    _create_utterance()


def downgrade() -> None:
    with op.batch_alter_table("interview_utterance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_utterance_workspace_id"))
    op.drop_table("interview_utterance")
    with op.batch_alter_table("interview_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_finding_workspace_id"))
    op.drop_table("interview_finding")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_workspace_id_journey_id_id"))
    op.drop_table("interview")
