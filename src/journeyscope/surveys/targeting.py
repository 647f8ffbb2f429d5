"""When the website and in-app widget may show a survey: targeting rules, decided on the server.

The page only reports what happened (a page view, a tracked event); the server decides, so a
host page cannot ask a customer more often than the workspace allows. Pure code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from journeyscope.inputs import StrictInput
from journeyscope.text import StorableStr

UrlPattern = Annotated[
    StorableStr,
    StringConstraints(min_length=1, max_length=500),
    Field(
        description="A glob on the page URL: `*` matches anything, e.g. "
        "`https://shop.example/checkout/*` or `*/help/*`.",
        examples=["*/checkout/*"],
    ),
]
TrackedEvent = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"),
    Field(description="A name passed to `journeyscope.track()`.", examples=["order.placed"]),
]


class Targeting(StrictInput):
    """Who sees a survey in the widget, where, when and how often.

    The recontact period is not here: it is the workspace's, across *all* surveys, so no
    customer is asked too often however many surveys target them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = Field(default=False, description="Offer this survey in the widget at all.")
    url_patterns: list[UrlPattern] = Field(
        default_factory=list,
        max_length=50,
        description="Show on pages whose URL matches one of these; empty: any page.",
    )
    events: list[TrackedEvent] = Field(
        default_factory=list,
        max_length=50,
        description="Show after one of these tracked events; empty: on page view.",
    )
    delay_seconds: int = Field(
        default=0, ge=0, le=3600, description="Wait this long after the trigger before showing."
    )
    sampling_percent: float = Field(
        default=100, ge=0, le=100, description="Show to this share of eligible visitors."
    )
    show_once: bool = Field(
        default=True,
        description="Never show again to a visitor who saw it (answered or dismissed).",
    )
