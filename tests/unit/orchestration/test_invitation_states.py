"""The invitation states the code uses are the ones the database accepts, and their groups hold."""

from __future__ import annotations

from journeyscope.orchestration import InvitationState
from journeyscope.orchestration.models import ASKED_STATES, PENDING_STATES, UNANSWERED_STATES
from journeyscope.store.tables import INVITATION_STATES


def test_the_enum_and_the_database_constraint_list_the_same_states() -> None:
    assert sorted(InvitationState) == sorted(INVITATION_STATES)
    assert len(INVITATION_STATES) == len(set(INVITATION_STATES))


def test_the_state_groups_do_not_overlap_where_they_must_not() -> None:
    assert not set(PENDING_STATES) & set(ASKED_STATES)
    assert set(UNANSWERED_STATES) < set(ASKED_STATES)
    assert ASKED_STATES[0] is InvitationState.SENT  # the order an invitation goes through
    assert ASKED_STATES[-1] is InvitationState.COMPLETED
