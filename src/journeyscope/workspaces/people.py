"""Use-cases for people: add, list, remove, change a role, set a password.

Every function is scoped to one workspace. A workspace always keeps at least one owner
(removing or demoting the last one is refused), so someone can always manage its people.
Changing a password, or removing a person, ends their web sessions at once; a role change
applies to their next request (sessions read the role each time).
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from journeyscope.errors import Conflict, InvalidInput, NotFound
from journeyscope.store import Database, tables
from journeyscope.workspaces import people_repo as repo
from journeyscope.workspaces.models import NewUser, User
from journeyscope.workspaces.passwords import (
    check_password_rule,
    generate_password,
    hash_password,
    verify_password,
)
from journeyscope.workspaces.roles import Role

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+")
EMAIL_MAX_LENGTH = 320


def normalize_email(email: str, *, field: str = "email") -> str:
    """The address as stored: trimmed, lower case; refused if it is not one."""
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_MAX_LENGTH or not EMAIL_PATTERN.fullmatch(cleaned):
        raise InvalidInput(
            f"{email!r} is not an email address.",
            field=field,
            hint="give an address like maya@example.com",
        )
    return cleaned


def add_user(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    email: str,
    role: Role,
    password: str | None = None,
    name: str = "",
) -> NewUser:
    """Add a person to the workspace with ``role``.

    Without ``password`` one is generated, returned once and good for one sign-in: the
    person must choose their own then (``must_change_password``).
    """
    address = normalize_email(email)
    if password is not None:
        check_password_rule(password)
    chosen = password if password is not None else generate_password()
    hashed = hash_password(chosen)  # slow: before the transaction, not inside it
    with db.transaction() as session:
        if repo.get_user_by_email(session, address) is not None:
            raise Conflict(
                f"{address} already has an account.",
                field="email",
                hint="an address signs in to one workspace; use another address, or change "
                "this person's role with `journeyscope users set-role`",
            )
        row = tables.User(
            workspace_id=workspace_id,
            email=address,
            name=name.strip()[:200],
            role=role.value,
            password_hash=hashed,
            must_change_password=password is None,
        )
        session.add(row)
        session.flush()
        return NewUser(user=repo.to_user(row), password=None if password else chosen)


def list_users(db: Database, *, workspace_id: uuid.UUID) -> list[User]:
    """The workspace's people, by address."""
    with db.transaction() as session:
        return [repo.to_user(row) for row in repo.list_users(session, workspace_id)]


def find_user(db: Database, *, workspace_id: uuid.UUID, email: str) -> User:
    """The person of the workspace with this address."""
    address = normalize_email(email)
    with db.transaction() as session:
        row = repo.get_user_by_email(session, address)
        if row is None or row.workspace_id != workspace_id:
            raise _no_such_person(address)
        return repo.to_user(row)


def set_role(db: Database, *, workspace_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> User:
    """Give a person another role; the last owner cannot stop being one."""
    with db.transaction() as session:
        row = _get(session, workspace_id, user_id)
        if row.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(session, workspace_id, "change the role of")
        row.role = role.value
        session.flush()
        return repo.to_user(row)


def remove_user(db: Database, *, workspace_id: uuid.UUID, user_id: uuid.UUID) -> User:
    """Remove a person; their sessions end at once. The last owner cannot be removed."""
    with db.transaction() as session:
        row = _get(session, workspace_id, user_id)
        if row.role == Role.OWNER:
            _keep_an_owner(session, workspace_id, "remove")
        removed = repo.to_user(row)
        repo.delete_sessions_of(session, row.id)
        session.delete(row)
        return removed


def set_password(
    db: Database,
    *,
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    password: str | None = None,
    keep_session: uuid.UUID | None = None,
) -> NewUser:
    """Set a person's password and end their other sessions.

    Without ``password`` one is generated (returned once) and is good for one sign-in.
    """
    if password is not None:
        check_password_rule(password)
    chosen = password if password is not None else generate_password()
    hashed = hash_password(chosen)
    with db.transaction() as session:
        row = _get(session, workspace_id, user_id)
        row.password_hash = hashed
        row.must_change_password = password is None
        repo.delete_sessions_of(session, row.id, keep=keep_session)
        session.flush()
        return NewUser(user=repo.to_user(row), password=None if password else chosen)


def change_own_password(
    db: Database, *, user: User, session_id: uuid.UUID, current: str, new: str
) -> User:
    """A signed-in person replaces their password, proving the current one first."""
    check_password_rule(new, field="new_password")
    with db.transaction() as session:
        stored = _get(session, user.workspace_id, user.id).password_hash
    if not verify_password(stored, current):
        raise InvalidInput(
            "The current password is not right.",
            field="current_password",
            hint="type the password you signed in with",
        )
    if new == current:
        raise InvalidInput(
            "The new password is the same as the current one.",
            field="new_password",
            hint="choose a password you have not used here",
        )
    changed = set_password(
        db, workspace_id=user.workspace_id, user_id=user.id, password=new, keep_session=session_id
    )
    return changed.user


def _get(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> tables.User:
    row = repo.get_user(session, workspace_id, user_id)
    if row is None:
        raise _no_such_person(str(user_id))
    return row


def _keep_an_owner(session: Session, workspace_id: uuid.UUID, what: str) -> None:
    if repo.count_owners(session, workspace_id) <= 1:
        raise Conflict(
            f"Cannot {what} the workspace's last owner.",
            field="role",
            hint="make someone else an owner first",
        )


def _no_such_person(who: str) -> NotFound:
    return NotFound(
        f"There is no person {who} in this workspace.",
        hint="list them with `journeyscope users list`",
    )
