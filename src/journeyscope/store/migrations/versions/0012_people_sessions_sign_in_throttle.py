"""People and sessions: user roles (CHECK), one address per person, web sessions, sign-in throttle.

No version of the code created users before this one, so the placeholder role ``member`` of
the foundation is read as ``viewer`` and addresses are lowered; two users with the same
address (only possible by hand) stop the upgrade before anything changes. SQLite gets the
constraints through batch mode, which copies the table.

Revision ID: 0012
Revises: 0011
Create Date: 2027-01-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from journeyscope.errors import Conflict

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ROLES = ("viewer", "analyst", "admin", "owner")
"""The roles of this revision (a snapshot: later code may know more)."""
USER = sa.table("user", sa.column("email", sa.String(320)), sa.column("role", sa.String(32)))


def _check_addresses(connection: sa.Connection) -> None:
    lowered = sa.func.lower(USER.c.email)
    shared = connection.execute(
        sa.select(lowered).group_by(lowered).having(sa.func.count() > 1)
    ).scalars()
    listed = ", ".join(sorted(shared))
    if listed:
        raise Conflict(
            f"Several users share an address ({listed}); each address now signs in to one "
            "workspace. The database was not changed.",
            field="user.email",
            hint="delete or rename all but one of each, then upgrade again",
        )


def upgrade() -> None:
    connection = op.get_bind()
    _check_addresses(connection)
    connection.execute(USER.update().values(email=sa.func.lower(USER.c.email)))
    connection.execute(USER.update().where(USER.c.role.not_in(ROLES)).values(role="viewer"))
    condition = "role IN ({})".format(", ".join(f"'{role}'" for role in ROLES))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("last_sign_in_at", sa.DateTime(timezone=True)))
        batch_op.drop_constraint(batch_op.f("uq_user_workspace_id_email"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_user_email"), ["email"])
        batch_op.create_index(batch_op.f("ix_user_workspace_id"), ["workspace_id"])
        batch_op.create_check_constraint(batch_op.f("ck_user_role"), condition)
    op.create_table(
        "web_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_web_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_web_session_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_session_token_hash")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"])
    op.create_index(op.f("ix_web_session_workspace_id"), "web_session", ["workspace_id"])
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
    )
    op.create_index(
        op.f("ix_sign_in_failure_subject_failed_at"), "sign_in_failure", ["subject", "failed_at"]
    )
    op.create_index(op.f("ix_sign_in_failure_failed_at"), "sign_in_failure", ["failed_at"])


def downgrade() -> None:
    op.drop_table("sign_in_failure")
    op.drop_table("web_session")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_role"), type_="check")
        batch_op.drop_index(batch_op.f("ix_user_workspace_id"))
        batch_op.drop_constraint(batch_op.f("uq_user_email"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_user_workspace_id_email"), ["workspace_id", "email"]
        )
        batch_op.drop_column("last_sign_in_at")
        batch_op.drop_column("must_change_password")
