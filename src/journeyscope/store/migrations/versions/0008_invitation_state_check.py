"""A CHECK constraint on invitation.state: only the states the code knows.

Rows holding any other state are not guessed at: the upgrade stops before changing anything,
naming each unknown state, how many rows hold it and how to fix them. (No version of the code
ever wrote another state; one can only come from a hand edit.) SQLite gets the constraint
through batch mode, which copies the table.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from journeyscope.errors import Conflict

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

STATES = (
    *("scheduled", "sending", "sent", "opened", "started", "completed"),
    *("suppressed", "failed", "expired", "bounced"),
)
"""The states of this revision (a snapshot: later code may know more)."""
INVITATION = sa.table("invitation", sa.column("state", sa.String(16)))
NAME = "ck_invitation_state"
"""The name the models' naming convention gives it (``f()`` keeps it from being applied twice)."""


def unknown_states(connection: sa.Connection) -> dict[str, int]:
    """The states no code knows, with how many rows hold each."""
    stmt = (
        sa.select(INVITATION.c.state, sa.func.count())
        .where(sa.or_(INVITATION.c.state.not_in(STATES), INVITATION.c.state.is_(None)))
        .group_by(INVITATION.c.state)
        .order_by(INVITATION.c.state)
    )
    return {str(state): int(count) for state, count in connection.execute(stmt)}


def upgrade() -> None:
    unknown = unknown_states(op.get_bind())
    if unknown:
        listed = ", ".join(
            f"{state!r} ({count} row{'' if count == 1 else 's'})"
            for state, count in unknown.items()
        )
        first = next(iter(unknown))
        example = f"UPDATE invitation SET state = 'failed' WHERE state = '{first}'"  # noqa: S608 (a hint)
        raise Conflict(
            f"Invitations hold states this version does not know: {listed}. The database "
            "was not changed.",
            field="invitation.state",
            hint=f"set them to one of {', '.join(STATES)} (e.g. {example}), then upgrade again",
        )
    condition = "state IN ({})".format(", ".join(f"'{state}'" for state in STATES))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f(NAME), condition)


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(NAME), type_="check")
