"""Orchestration: trigger rules, contact policies, the invitation outbox and its dispatcher.

An event stored by ingest may plan invitations (in the same transaction); the dispatcher
claims due ones, checks the policies again and hands them to a channel. Imports surveys,
collection and the store; never the doors.
"""

from journeyscope.orchestration.clock import Clock, FixedClock, SystemClock
from journeyscope.orchestration.models import InvitationView, RuleView
from journeyscope.orchestration.policies import EXPLANATIONS, Reason
from journeyscope.orchestration.rules import RuleSettings, RuleSpec, SendWindow
from journeyscope.orchestration.service import (
    delete_rule,
    get_rule,
    ingest_and_plan,
    invitations_of,
    list_rules,
    put_rule,
    set_channel_status,
)

__all__ = [
    "EXPLANATIONS",
    "Clock",
    "FixedClock",
    "InvitationView",
    "Reason",
    "RuleSettings",
    "RuleSpec",
    "RuleView",
    "SendWindow",
    "SystemClock",
    "delete_rule",
    "get_rule",
    "ingest_and_plan",
    "invitations_of",
    "list_rules",
    "put_rule",
    "set_channel_status",
]
