"""Orchestration: trigger rules, contact policies, the invitation outbox and its dispatcher.

An event stored by ingest may plan invitations (in the same transaction); the dispatcher
claims due ones, checks the policies again and hands them to a channel. Batch sends (a CSV
wave) plan invitations under the same policies; a journey file's rules are checked and applied
here, in the journey's transaction. A personal link made by hand is stored as a sent invitation,
so the funnel counts it. Imports journey, surveys, collection and the store; never the doors.
"""

from journeyscope.orchestration.batch import Wave, WaveReport, check_wave_file, send_wave
from journeyscope.orchestration.bounces import record_bounces
from journeyscope.orchestration.clock import Clock, FixedClock, SystemClock
from journeyscope.orchestration.funnel import FunnelQuery, invitation_funnel
from journeyscope.orchestration.journey_rules import (
    apply_journey_with_rules,
    check_journey_rules,
    create_journey_with_rules,
    export_journey_with_rules,
)
from journeyscope.orchestration.lifecycle import record_answered, record_opened
from journeyscope.orchestration.models import (
    BounceReport,
    BouncesIn,
    Funnel,
    FunnelDimension,
    InvitationState,
    InvitationView,
    RuleView,
)
from journeyscope.orchestration.personal_links import make_personal_link
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
    "BounceReport",
    "BouncesIn",
    "Clock",
    "FixedClock",
    "Funnel",
    "FunnelDimension",
    "FunnelQuery",
    "InvitationState",
    "InvitationView",
    "Reason",
    "RuleSettings",
    "RuleSpec",
    "RuleView",
    "SendWindow",
    "SystemClock",
    "Wave",
    "WaveReport",
    "apply_journey_with_rules",
    "check_journey_rules",
    "check_wave_file",
    "create_journey_with_rules",
    "delete_rule",
    "export_journey_with_rules",
    "get_rule",
    "ingest_and_plan",
    "invitation_funnel",
    "invitations_of",
    "list_rules",
    "make_personal_link",
    "put_rule",
    "record_answered",
    "record_bounces",
    "record_opened",
    "send_wave",
    "set_channel_status",
]
