"""What the website widget and native apps send and receive, as validated pydantic types."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from journeyscope.collection.models import EventType, ExternalId, Locale, PublicResponseIn
from journeyscope.inputs import StrictInput
from journeyscope.journey import Channel
from journeyscope.text import StorableStr


class WidgetChannel(enum.StrEnum):
    """Where the widget runs."""

    WEBSITE = "website"  # the script tag on a web page
    IN_APP = "in_app"  # a web view or a native screen inside the company's app

    @property
    def channel(self) -> Channel:
        """The journey channel of the same name."""
        return Channel(self.value)


VisitorId = Annotated[
    uuid.UUID,
    Field(
        description="The anonymous visitor id: a UUID the widget keeps in localStorage "
        "(a native app keeps one per installation).",
    ),
]
PublicId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,24}$"),
    Field(description="The survey's `public_id`, from the eligibility answer."),
]
PageUrl = Annotated[StorableStr, StringConstraints(max_length=2048)]


class _In(StrictInput):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VisitorIn(_In):
    """Who the widget is talking to: the anonymous id, and the contact once identified."""

    visitor: VisitorId
    contact_external_id: ExternalId | None = Field(
        default=None, description="From `identify()`: displays count for the contact too."
    )


class EligibilityIn(VisitorIn):
    """A page view (``url``) or a tracked ``event``; the server picks at most one survey."""

    url: PageUrl | None = Field(default=None, description="The page's URL (page views).")
    event: EventType | None = Field(
        default=None, description="The tracked event's name; absent for a page view."
    )
    channel: WidgetChannel = WidgetChannel.WEBSITE
    lang: Locale | None = Field(default=None, description="The visitor's language.")


class WidgetSurvey(BaseModel):
    """A survey to show, with its texts resolved into the visitor's language."""

    model_config = ConfigDict(frozen=True)

    public_id: str = Field(description="Send answers to `/v1/public/surveys/{public_id}/...`.")
    key: str
    name: str
    version: int
    lang: str = Field(description="The language of the texts below (send it as `locale`).")
    delay_seconds: int = Field(description="Wait this long after the trigger before showing.")
    definition: dict[str, Any] = Field(
        description="As in docs/survey-json.md, every text a plain string in `lang`; each "
        "scored question (nps, csat, ces, rating) also carries its scale's `low` and `high`."
    )
    words: dict[str, str] = Field(
        default_factory=dict,
        description="The widget's own words (buttons, messages) in `lang`; `{n}` is a number.",
    )


class Eligibility(BaseModel):
    """The server's decision: a survey to show now, or ``null``."""

    model_config = ConfigDict(frozen=True)

    survey: WidgetSurvey | None


class DisplayIn(VisitorIn):
    """A survey the widget is about to show."""

    survey: PublicId


class DisplayView(BaseModel):
    """A recorded display: what the recontact period and show-once read."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(description="Send it with dismissals and answers.")
    survey: str = Field(description="The survey's public id.")
    shown_at: dt.datetime
    dismissed_at: dt.datetime | None
    responded_at: dt.datetime | None


class WidgetResponseIn(PublicResponseIn):
    """Answers from the widget or a native app, page by page under one client ``id``."""

    channel: WidgetChannel = WidgetChannel.WEBSITE
    display_id: uuid.UUID | None = Field(
        default=None, description="The display these answers respond to (marks it answered)."
    )
