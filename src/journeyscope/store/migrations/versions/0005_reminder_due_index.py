"""An index on invitation.reminder_due_at: every dispatch pass looks for due reminders.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 08:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_reminder_due_at"), ["reminder_due_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_reminder_due_at"))
