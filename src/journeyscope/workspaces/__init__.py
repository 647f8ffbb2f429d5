"""Tenants and credentials: workspaces, API keys, users.

Owns who is calling and which workspace every query is scoped to. Imports only ``store``.
"""

from journeyscope.workspaces.models import ApiKey, IssuedKey, Workspace
from journeyscope.workspaces.service import (
    MAX_RECONTACT_DAYS,
    Principal,
    authenticate,
    create_workspace,
    find_workspace,
    get_recontact_days,
    issue_key,
    list_keys,
    list_workspaces,
    revoke_key,
    set_recontact_days,
)

__all__ = [
    "MAX_RECONTACT_DAYS",
    "ApiKey",
    "IssuedKey",
    "Principal",
    "Workspace",
    "authenticate",
    "create_workspace",
    "find_workspace",
    "get_recontact_days",
    "issue_key",
    "list_keys",
    "list_workspaces",
    "revoke_key",
    "set_recontact_days",
]
