"""The journey domain: journeys, their ordered stages, touchpoints and channels.

It owns the journey spec (what a valid journey is), journey-as-code (load and validate a YAML
file with line-accurate problems, export one back) and the services that store journeys.
This module is the only import surface for other packages. ``models``, ``checks``,
``explain`` and ``yaml_format`` are pure: they must not import the store or the web.
"""

from journeyscope.journey.bundled import example_paths
from journeyscope.journey.checks import check_journey
from journeyscope.journey.models import (
    KEY_PATTERN,
    ApplyResult,
    Change,
    ChangeAction,
    Channel,
    JourneyPatch,
    JourneySpec,
    Key,
    ObjectKind,
    RuleMapping,
    StageCreate,
    StagePatch,
    StageSpec,
    TouchpointCreate,
    TouchpointPatch,
    TouchpointSpec,
)
from journeyscope.journey.parts import (
    create_stage,
    create_touchpoint,
    delete_stage,
    delete_touchpoint,
    get_stage,
    get_touchpoint,
    update_stage,
    update_touchpoint,
)
from journeyscope.journey.service import (
    AppliedHook,
    apply_journey,
    create_journey,
    delete_journey,
    export_journey,
    get_journey,
    list_journeys,
    update_journey,
)
from journeyscope.journey.views import JourneySummary, JourneyView, StageView, TouchpointView
from journeyscope.journey.yaml_format import (
    RuleCheck,
    dump_journey_yaml,
    load_journey_file,
    load_journey_yaml,
    locate_in_file,
)

__all__ = [
    "KEY_PATTERN",
    "AppliedHook",
    "ApplyResult",
    "Change",
    "ChangeAction",
    "Channel",
    "JourneyPatch",
    "JourneySpec",
    "JourneySummary",
    "JourneyView",
    "Key",
    "ObjectKind",
    "RuleCheck",
    "RuleMapping",
    "StageCreate",
    "StagePatch",
    "StageSpec",
    "StageView",
    "TouchpointCreate",
    "TouchpointPatch",
    "TouchpointSpec",
    "TouchpointView",
    "apply_journey",
    "check_journey",
    "create_journey",
    "create_stage",
    "create_touchpoint",
    "delete_journey",
    "delete_stage",
    "delete_touchpoint",
    "dump_journey_yaml",
    "example_paths",
    "export_journey",
    "get_journey",
    "get_stage",
    "get_touchpoint",
    "list_journeys",
    "load_journey_file",
    "load_journey_yaml",
    "locate_in_file",
    "update_journey",
    "update_stage",
    "update_touchpoint",
]
