"""Use-cases for tenants and credentials: create workspaces, issue and check API keys."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from journeyscope.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from journeyscope.store import Database, tables
from journeyscope.workspaces import repo
from journeyscope.workspaces.auth_cache import PrincipalCache
from journeyscope.workspaces.keys import (
    TokenChecker,
    hash_token,
    is_legacy,
    new_token,
    parse_prefix,
)
from journeyscope.workspaces.models import (
    SLUG_PATTERN,
    ApiKey,
    ContactLimits,
    IssuedKey,
    Principal,
    Workspace,
)

_checker = TokenChecker()
_principals = PrincipalCache()
KEY_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _check_slug(slug: str) -> None:
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise InvalidInput(
            f"{slug!r} is not a valid workspace slug.",
            field="workspace",
            hint="use lowercase letters, digits and '-', starting with a letter or digit "
            "(at most 63 characters), e.g. acme-retail",
        )


def create_workspace(db: Database, *, slug: str, name: str | None = None) -> Workspace:
    """Create a tenant; the slug names it in the CLI and in URLs."""
    _check_slug(slug)
    with db.transaction() as session:
        if repo.get_workspace_by_slug(session, slug) is not None:
            raise Conflict(
                f"Workspace {slug!r} already exists.",
                field="workspace",
                hint="choose another slug, or create a key for it with "
                f"`journeyscope keys create --workspace {slug}`",
            )
        row = tables.Workspace(slug=slug, name=name or slug)
        session.add(row)
        session.flush()
        return repo.to_workspace(row)


def find_workspace(db: Database, slug: str | None) -> Workspace:
    """The workspace named ``slug``; without a slug, the only one there is."""
    with db.transaction() as session:
        if slug is not None:
            row = repo.get_workspace_by_slug(session, slug)
            if row is None:
                raise NotFound(
                    f"There is no workspace {slug!r}.",
                    hint="list them with `journeyscope workspaces`, or create one with "
                    f"`journeyscope init --workspace {slug}`",
                )
            return repo.to_workspace(row)
        rows = repo.list_workspaces(session)
    if len(rows) == 1:
        return repo.to_workspace(rows[0])
    if not rows:
        raise NotFound("There is no workspace yet.", hint="create one with `journeyscope init`")
    slugs = ", ".join(r.slug for r in rows)
    raise InvalidInput(
        f"Several workspaces exist ({slugs}); say which one.",
        field="workspace",
        hint="pass --workspace SLUG or set JOURNEYSCOPE_WORKSPACE",
    )


def set_contact_limits(
    db: Database, *, workspace_id: uuid.UUID, limits: ContactLimits
) -> Workspace:
    """Change how often customers may be asked; applies to the next plan, send or page view.

    Given :class:`WorkspaceChanges`, its ``segments`` replace the workspace's (duplicates
    dropped); they apply to responses completed from then on.
    """
    changes = limits.model_dump(exclude_none=True)
    if "segments" in changes:
        changes["segments"] = list(dict.fromkeys(changes["segments"]))
    with db.transaction() as session:
        row = repo.get_workspace(session, workspace_id)
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        changed = repo.to_workspace(row)
    _principals.forget_workspace(workspace_id)
    return changed


def list_workspaces(db: Database) -> list[Workspace]:
    """Every workspace (an operator's view)."""
    with db.transaction() as session:
        return [repo.to_workspace(r) for r in repo.list_workspaces(session)]


def issue_key(db: Database, *, workspace_id: uuid.UUID, name: str = "default") -> IssuedKey:
    """Create an API key; its token is returned here once and is not recoverable."""
    prefix, token = new_token()
    with db.transaction() as session:
        row = tables.ApiKey(
            workspace_id=workspace_id, name=name, prefix=prefix, secret_hash=hash_token(token)
        )
        session.add(row)
        session.flush()
        return IssuedKey(key=repo.to_api_key(row), token=token)


def list_keys(db: Database, *, workspace_id: uuid.UUID) -> list[ApiKey]:
    """The workspace's keys, revoked ones included (they show when)."""
    with db.transaction() as session:
        return [repo.to_api_key(r) for r in repo.list_keys(session, workspace_id)]


def revoke_key(db: Database, *, workspace_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key of the workspace; it stops working at once, on every process."""
    with db.transaction() as session:
        row = repo.get_key(session, workspace_id, key_id)
        if row is None:
            raise NotFound(f"There is no API key {key_id} in this workspace.")
        if row.revoked_at is None:
            row.revoked_at = db.clock.now()
        revoked = repo.to_api_key(row)
    _principals.forget_key(key_id)  # after the commit: no check can read the key unrevoked now
    return revoked


def cached_principal(token: str) -> Principal | None:
    """The principal of a token checked in the last ``AUTH_CACHE_SECONDS``; no database."""
    return _principals.get(token)


def authenticate(db: Database, token: str) -> Principal:
    """The principal behind a bearer token, or :class:`Unauthenticated`.

    Reads the key's row unless the token was checked moments ago (see
    :mod:`~journeyscope.workspaces.auth_cache`). A legacy argon2 hash that matches is replaced
    by the HMAC form in the same transaction.
    """
    cached = _principals.get(token)
    if cached is not None:
        return cached
    generation = _principals.generation
    prefix = parse_prefix(token)
    if prefix is None:
        raise _refused()
    with db.transaction() as session:
        found = repo.get_key_and_workspace(session, prefix)
        if found is None:
            raise _refused()
        key = found.key
        if key.revoked_at is not None or not _checker.verify(key.id, token, found.secret_hash):
            raise _refused()
        if is_legacy(found.secret_hash):
            repo.set_key_hash(session, key.id, hash_token(token))
        now = db.clock.now()
        if key.last_used_at is None or key.last_used_at < now - KEY_TOUCH_INTERVAL:
            repo.touch_key(session, key.id, now)
        principal = Principal(workspace=found.workspace, key=key)
    _principals.put(token, principal, generation)
    return principal


def _refused() -> Unauthenticated:
    return Unauthenticated(
        "The API key is missing, malformed, revoked or unknown.",
        hint="send `Authorization: Bearer js_...` with a key from `journeyscope init` "
        "or `journeyscope keys create`",
    )
