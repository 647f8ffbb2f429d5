"""What the survey services return and take: stored surveys and their published versions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from journeyscope.inputs import StrictInput
from journeyscope.journey import Key
from journeyscope.surveys.models import SurveyDefinition
from journeyscope.surveys.targeting import Targeting
from journeyscope.text import StorableStr

SurveyName = Annotated[StorableStr, Field(min_length=1, max_length=200)]


class TouchpointRef(StrictInput):
    """Where a survey is asked: a touchpoint of a journey, by keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    journey_key: Key
    touchpoint_key: Key


class SurveyCreate(StrictInput):
    """A new survey from a ``definition`` or a ``template`` (see GET /v1/survey-templates)."""

    model_config = ConfigDict(extra="forbid")

    key: Key
    name: SurveyName
    definition: SurveyDefinition | None = None
    template: Key | None = None
    touchpoint: TouchpointRef | None = None
    targeting: Targeting = Field(
        default_factory=Targeting, description="When the widget shows it (default: never)."
    )

    @model_validator(mode="after")
    def _one_source(self) -> SurveyCreate:
        if (self.definition is None) == (self.template is None):
            raise ValueError("give either a definition or a template, not both or neither")
        return self


class SurveyView(BaseModel):
    """A stored survey: its editable draft and the number of its latest published version."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    key: str
    name: str
    touchpoint: TouchpointRef | None
    template_key: str | None
    public_id: str = Field(
        description="The survey's public link is `/s/{public_id}`; hard to guess, safe to share."
    )
    targeting: Targeting
    draft: SurveyDefinition
    published_version: int | None = Field(description="null until the first publish.")
    created_at: dt.datetime
    updated_at: dt.datetime


class SurveySummary(BaseModel):
    """One line of a survey list."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    key: str
    name: str
    touchpoint: TouchpointRef | None
    published_version: int | None
    updated_at: dt.datetime


class SurveyVersionView(BaseModel):
    """A published version: frozen; responses keep the version they answered."""

    model_config = ConfigDict(frozen=True)

    survey_key: str
    number: int
    definition: SurveyDefinition
    published_at: dt.datetime
