"""Public ids for survey and kiosk links, widget targeting, survey displays, recontact period.

Existing surveys and touchpoints get a random public id here, so links work for them too.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 04:59:54.516049
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _backfill_public_ids(table: str) -> None:
    connection = op.get_bind()
    ids = connection.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()  # noqa: S608
    for row_id in ids:
        connection.execute(
            sa.text(f"UPDATE {table} SET public_id = :public_id WHERE id = :id"),  # noqa: S608
            {"public_id": secrets.token_urlsafe(12), "id": row_id},
        )


def _add_public_id(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=24), nullable=True))
    _backfill_public_ids(table)
    with op.batch_alter_table(table) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=24), nullable=False)
        batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_public_id"), ["public_id"])


def upgrade() -> None:
    op.create_table(
        "survey_display",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("visitor", sa.String(length=300), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_display_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_survey_display_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_display")),
    )
    with op.batch_alter_table("survey_display") as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_display_survey_id"), ["survey_id"])
        batch_op.create_index(
            batch_op.f("ix_survey_display_workspace_id_visitor_shown_at"),
            ["workspace_id", "visitor", "shown_at"],
        )
    _add_public_id("survey")
    _add_public_id("touchpoint")
    with op.batch_alter_table("survey") as batch_op:
        batch_op.add_column(sa.Column("targeting", JSON, nullable=False, server_default="{}"))
    with op.batch_alter_table("survey") as batch_op:
        batch_op.alter_column("targeting", existing_type=JSON, server_default=None)
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.add_column(
            sa.Column("recontact_days", sa.Integer(), server_default="14", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.drop_column("recontact_days")
    for table in ("touchpoint", "survey"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_public_id"), type_="unique")
            batch_op.drop_column("public_id")
    with op.batch_alter_table("survey") as batch_op:
        batch_op.drop_column("targeting")
    op.drop_table("survey_display")
