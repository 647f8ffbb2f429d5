"""The benchmark's journey: 6 stages of 5 touchpoints, over 5 channels (issue 12's shape)."""

from __future__ import annotations

from journeyscope import journey

STAGES = ("awareness", "purchase", "onboarding", "use", "support", "renewal")
CHANNELS = ("website", "email", "onsite", "in_app", "call_center")


def benchmark_journey(key: str = "bench") -> journey.JourneySpec:
    """A journey of 6 stages x 5 touchpoints, each stage using every one of 5 channels."""
    stages = [
        {
            "key": stage,
            "name": stage.capitalize(),
            "touchpoints": [
                {
                    "key": f"{stage}-{channel.replace('_', '-')}",
                    "name": f"{stage} {channel}",
                    "channel": channel,
                }
                for channel in CHANNELS
            ],
        }
        for stage in STAGES
    ]
    spec = {"key": key, "name": "Benchmark journey", "stages": stages}
    return journey.JourneySpec.model_validate(spec)
