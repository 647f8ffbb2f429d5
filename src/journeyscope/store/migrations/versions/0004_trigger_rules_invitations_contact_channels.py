"""Trigger rules, invitations (the outbox), contact channel status, invitation caps, quarantine.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:48:58.750664
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_channel",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_channel_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_contact_channel_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_channel")),
        sa.UniqueConstraint(
            "contact_id", "channel", name=op.f("uq_contact_channel_contact_id_channel")
        ),
    )
    with op.batch_alter_table("contact_channel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_channel_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "trigger_rule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_trigger_rule_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_trigger_rule_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trigger_rule")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_trigger_rule_workspace_id_key")),
    )
    with op.batch_alter_table("trigger_rule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trigger_rule_workspace_id_event_type"),
            ["workspace_id", "event_type"],
            unique=False,
        )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("touchpoint_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("dedup_key", sa.String(length=255), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_invitation_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_invitation_event_id_event"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["trigger_rule.id"],
            name=op.f("fk_invitation_rule_id_trigger_rule"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_invitation_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["touchpoint_id"],
            ["touchpoint.id"],
            name=op.f("fk_invitation_touchpoint_id_touchpoint"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_invitation_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("nonce", name=op.f("uq_invitation_nonce")),
        sa.UniqueConstraint(
            "workspace_id", "dedup_key", name=op.f("uq_invitation_workspace_id_dedup_key")
        ),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_state_due_at"), ["state", "due_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invitation_workspace_id_contact_id_sent_at"),
            ["workspace_id", "contact_id", "sent_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invitation_workspace_id_survey_id_state"),
            ["workspace_id", "survey_id", "state"],
            unique=False,
        )

    with op.batch_alter_table("touchpoint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quarantine_days", sa.Integer(), nullable=True))

    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invitation_cap", sa.Integer(), server_default="4", nullable=False)
        )
        batch_op.add_column(
            sa.Column("invitation_cap_days", sa.Integer(), server_default="90", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("invitation_cap_days")
        batch_op.drop_column("invitation_cap")

    with op.batch_alter_table("touchpoint", schema=None) as batch_op:
        batch_op.drop_column("quarantine_days")

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_workspace_id_survey_id_state"))
        batch_op.drop_index(batch_op.f("ix_invitation_workspace_id_contact_id_sent_at"))
        batch_op.drop_index(batch_op.f("ix_invitation_state_due_at"))

    op.drop_table("invitation")
    with op.batch_alter_table("trigger_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trigger_rule_workspace_id_event_type"))

    op.drop_table("trigger_rule")
    with op.batch_alter_table("contact_channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_channel_workspace_id"))

    op.drop_table("contact_channel")
