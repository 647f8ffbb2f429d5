"""The permission rule: four roles in order, each action's lowest role."""

from __future__ import annotations

import itertools

import pytest

from journeyscope.errors import InvalidInput
from journeyscope.store.tables import USER_ROLES
from journeyscope.workspaces import ROLES, Action, Role, can, parse_role, required_role

EXPECTED = {
    # action: the roles that may do it
    Action.READ: {"viewer", "analyst", "admin", "owner"},
    Action.EXPORT: {"analyst", "admin", "owner"},
    Action.ANNOTATE: {"analyst", "admin", "owner"},
    Action.MANAGE_JOURNEYS: {"admin", "owner"},
    Action.MANAGE_SURVEYS: {"admin", "owner"},
    Action.MANAGE_RULES: {"admin", "owner"},
    Action.MANAGE_CHANNELS: {"admin", "owner"},
    Action.MANAGE_KEYS: {"admin", "owner"},
    Action.MANAGE_PEOPLE: {"owner"},
}


@pytest.mark.parametrize("action", list(Action))
def test_each_action_is_allowed_to_exactly_the_roles_the_issue_names(action: Action) -> None:
    allowed = {role.value for role in Role if can(role, action)}
    assert allowed == EXPECTED[action]


def test_every_action_has_a_rule() -> None:
    assert set(EXPECTED) == set(Action)


def test_roles_are_ordered_and_each_may_do_all_a_lower_one_may() -> None:
    ordered = sorted(Role, key=lambda role: role.rank)
    assert [role.value for role in ordered] == ["viewer", "analyst", "admin", "owner"]
    for lower, higher in itertools.pairwise(ordered):
        assert higher.at_least(lower) and not lower.at_least(higher)
        assert {a for a in Action if can(lower, a)} < {a for a in Action if can(higher, a)}


def test_required_role_is_the_lowest_allowed() -> None:
    for action in Action:
        lowest = required_role(action)
        assert can(lowest, action)
        assert all(not can(role, action) for role in Role if role.rank < lowest.rank)


def test_the_database_check_lists_the_same_roles() -> None:
    assert USER_ROLES == ROLES == tuple(Role.__members__[r.upper()].value for r in ROLES)


def test_parse_role_takes_any_case_and_names_the_roles_when_wrong() -> None:
    assert parse_role(" Admin ") is Role.ADMIN
    with pytest.raises(InvalidInput) as caught:
        parse_role("member")
    assert "viewer, analyst, admin, owner" in (caught.value.hint or "")
