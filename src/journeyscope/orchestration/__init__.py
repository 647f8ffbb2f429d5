"""Orchestration: trigger rules, contact policies, the invitation outbox and its dispatcher.

An event stored by ingest may plan invitations (in the same transaction); the dispatcher
claims due ones, checks the policies again and hands them to a channel. Batch sends (a CSV
wave) plan invitations under the same policies; a journey file's rules are checked and applied
here, in the journey's transaction. A personal link made by hand is stored as a sent invitation,
so the funnel counts it. Imports journey, surveys, collection and the store; never the doors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyscope.lazy_exports import lazy_exports
from journeyscope.orchestration.batch import Wave, WaveReport, check_wave_file, send_wave
from journeyscope.orchestration.bounces import record_bounces
from journeyscope.orchestration.channels import senders_from_settings
from journeyscope.orchestration.channels.base import Sender
from journeyscope.orchestration.channels.signatures import (
    SIGNATURE_HEADER,
    is_valid_signature,
    public_url,
)
from journeyscope.orchestration.deliveries import DispatchConfig
from journeyscope.orchestration.dispatcher import PassReport, dispatch_once
from journeyscope.orchestration.funnel import FunnelQuery, invitation_funnel
from journeyscope.orchestration.imports import import_channel_statuses, import_invitations
from journeyscope.orchestration.ivr import MAX_ATTEMPTS as PHONE_MAX_ATTEMPTS
from journeyscope.orchestration.ivr import Call as PhoneCall
from journeyscope.orchestration.ivr import Step as PhoneStep
from journeyscope.orchestration.ivr import already_answered as phone_already_answered
from journeyscope.orchestration.ivr import answer_url as phone_answer_url
from journeyscope.orchestration.ivr import can_complete as phone_can_complete
from journeyscope.orchestration.ivr import start_call as start_phone_call
from journeyscope.orchestration.ivr import take_answer as take_phone_answer
from journeyscope.orchestration.ivr import unavailable as phone_unavailable
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
from journeyscope.orchestration.response_rates import (
    DispositionCounts,
    RateDimension,
    RateGroup,
    ResponseRatesReport,
    response_rates,
)
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

# TwiML rendering lives with the Twilio channel, which needs httpx: imported when first read.
if TYPE_CHECKING:
    from journeyscope.orchestration.channels.twilio import render_twiml

__getattr__ = lazy_exports(
    __name__, {"render_twiml": ("journeyscope.orchestration.channels.twilio", "render_twiml")}
)

__all__ = [
    "EXPLANATIONS",
    "PHONE_MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "BounceReport",
    "BouncesIn",
    "DispatchConfig",
    "DispositionCounts",
    "Funnel",
    "FunnelDimension",
    "FunnelQuery",
    "InvitationState",
    "InvitationView",
    "PassReport",
    "PhoneCall",
    "PhoneStep",
    "RateDimension",
    "RateGroup",
    "Reason",
    "ResponseRatesReport",
    "RuleSettings",
    "RuleSpec",
    "RuleView",
    "SendWindow",
    "Sender",
    "Wave",
    "WaveReport",
    "apply_journey_with_rules",
    "check_journey_rules",
    "check_wave_file",
    "create_journey_with_rules",
    "delete_rule",
    "dispatch_once",
    "export_journey_with_rules",
    "get_rule",
    "import_channel_statuses",
    "import_invitations",
    "ingest_and_plan",
    "invitation_funnel",
    "invitations_of",
    "is_valid_signature",
    "list_rules",
    "make_personal_link",
    "phone_already_answered",
    "phone_answer_url",
    "phone_can_complete",
    "phone_unavailable",
    "public_url",
    "put_rule",
    "record_answered",
    "record_bounces",
    "record_opened",
    "render_twiml",
    "response_rates",
    "send_wave",
    "senders_from_settings",
    "set_channel_status",
    "start_phone_call",
    "take_phone_answer",
]
