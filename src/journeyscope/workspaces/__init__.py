"""Tenants and credentials: workspaces, API keys, people, their roles and web sessions.

Owns who is calling (an API key or a signed-in person), what each role may do, and which
workspace every query is scoped to. Imports only ``store``.
"""

from journeyscope.workspaces.models import (
    ApiKey,
    ContactLimits,
    IssuedKey,
    NewUser,
    Principal,
    SignedIn,
    StartedSession,
    User,
    Workspace,
    WorkspaceChanges,
)
from journeyscope.workspaces.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from journeyscope.workspaces.passwords import generate_password
from journeyscope.workspaces.people import (
    add_user,
    change_own_password,
    find_user,
    list_users,
    remove_user,
    set_password,
    set_role,
)
from journeyscope.workspaces.roles import ROLES, Action, Role, can, parse_role, required_role
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
from journeyscope.workspaces.signin import (
    SessionRules,
    is_same_token,
    read_session,
    sign_in,
    sign_out,
)
from journeyscope.workspaces.throttle import ThrottleLimits

__all__ = [
    "PASSWORD_MIN_LENGTH",
    "ROLES",
    "Action",
    "ApiKey",
    "ContactLimits",
    "IssuedKey",
    "NewUser",
    "Principal",
    "Role",
    "SessionRules",
    "SignedIn",
    "StartedSession",
    "ThrottleLimits",
    "User",
    "Workspace",
    "WorkspaceChanges",
    "add_user",
    "authenticate",
    "cached_principal",
    "can",
    "change_own_password",
    "create_workspace",
    "find_user",
    "find_workspace",
    "generate_password",
    "is_same_token",
    "issue_key",
    "list_keys",
    "list_users",
    "list_workspaces",
    "parse_role",
    "read_session",
    "remove_user",
    "required_role",
    "revoke_key",
    "set_contact_limits",
    "set_password",
    "set_role",
    "sign_in",
    "sign_out",
]
