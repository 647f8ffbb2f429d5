"""Tenants and credentials: workspaces, API keys, users.

Owns who is calling and which workspace every query is scoped to. Imports only ``store``.
"""

from journeyscope.workspaces.models import (
    ApiKey,
    ContactLimits,
    IssuedKey,
    Principal,
    Workspace,
    WorkspaceChanges,
)
from journeyscope.workspaces.service import (
    authenticate,
    cached_principal,
    create_workspace,
    find_workspace,
    issue_key,
    list_keys,
    list_workspaces,
    revoke_key,
    set_contact_limits,
)

__all__ = [
    "ApiKey",
    "ContactLimits",
    "IssuedKey",
    "Principal",
    "Workspace",
    "WorkspaceChanges",
    "authenticate",
    "cached_principal",
    "create_workspace",
    "find_workspace",
    "issue_key",
    "list_keys",
    "list_workspaces",
    "revoke_key",
    "set_contact_limits",
]
