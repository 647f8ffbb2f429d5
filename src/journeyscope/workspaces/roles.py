"""Who may do what in a workspace: four roles, in order, and one rule (:func:`can`).

Pure: no database, no web. Every door asks :func:`can` (or :func:`required_role`) before it
calls a domain service on behalf of a signed-in person; API keys are not people and keep
their own, unchanged, all-or-nothing access to their workspace.
"""

from __future__ import annotations

import enum

from journeyscope.errors import InvalidInput


class Role(enum.StrEnum):
    """A person's role in their workspace; each one may do everything the ones below it may."""

    VIEWER = "viewer"
    """Reads the journeys, surveys, metrics, maps and interviews."""
    ANALYST = "analyst"
    """A viewer who also exports data and annotates (findings, notes, coding)."""
    ADMIN = "admin"
    """An analyst who also manages journeys, surveys, rules, channels and API keys."""
    OWNER = "owner"
    """An admin who also manages the people of the workspace and their roles."""

    @property
    def rank(self) -> int:
        """0 for viewers up to 3 for owners: a higher rank may do all a lower one may."""
        return _ORDER.index(self)

    def at_least(self, other: Role) -> bool:
        """Whether this role may do everything ``other`` may."""
        return self.rank >= other.rank


_ORDER = (Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER)
ROLES = tuple(role.value for role in _ORDER)
"""The roles' names, lowest first (the database's CHECK lists the same)."""


class Action(enum.StrEnum):
    """Something a person may ask to do in their workspace."""

    READ = "read"
    """Open any page of the workspace: journeys, surveys, metrics, maps, interviews."""
    EXPORT = "export"
    """Download data (CSV, XLSX, SPSS, REFI-QDA): it leaves the server."""
    ANNOTATE = "annotate"
    """Add notes and findings, code interviews."""
    MANAGE_JOURNEYS = "manage_journeys"
    """Create, change and delete journeys, stages and touchpoints."""
    MANAGE_SURVEYS = "manage_surveys"
    """Create, change and publish surveys."""
    MANAGE_RULES = "manage_rules"
    """Change the trigger rules: who is asked what, when."""
    MANAGE_CHANNELS = "manage_channels"
    """Change channels and contact limits (how often customers are asked)."""
    MANAGE_KEYS = "manage_keys"
    """Create and revoke API keys."""
    MANAGE_PEOPLE = "manage_people"
    """Invite and remove people, change their roles."""


MINIMUM_ROLE: dict[Action, Role] = {
    Action.READ: Role.VIEWER,
    Action.EXPORT: Role.ANALYST,
    Action.ANNOTATE: Role.ANALYST,
    Action.MANAGE_JOURNEYS: Role.ADMIN,
    Action.MANAGE_SURVEYS: Role.ADMIN,
    Action.MANAGE_RULES: Role.ADMIN,
    Action.MANAGE_CHANNELS: Role.ADMIN,
    Action.MANAGE_KEYS: Role.ADMIN,
    Action.MANAGE_PEOPLE: Role.OWNER,
}
"""The lowest role that may do each action (docs/roles.md shows this table)."""


def required_role(action: Action) -> Role:
    """The lowest role that may do ``action``."""
    return MINIMUM_ROLE[action]


def can(role: Role, action: Action) -> bool:
    """Whether a person with ``role`` may do ``action`` (in their own workspace only)."""
    return role.at_least(MINIMUM_ROLE[action])


def parse_role(value: str, *, field: str = "role") -> Role:
    """The role named ``value`` (any case), or an error listing the roles."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a role.", field=field, hint=f"use one of {', '.join(ROLES)}"
        ) from None
