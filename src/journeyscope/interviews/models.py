"""What the interview services take and return: import options, stored interviews, utterances.

Pydantic types, frozen, with no SQLAlchemy and no FastAPI; the analysis results inside them
(:class:`~journeyscope.nlp.annotations.Annotation`, :class:`StageTag`, :class:`Finding`) are
the frozen dataclasses of ``analysis_models``, so every door shows exactly what was stored.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from journeyscope.datetimes import IsoDateTime
from journeyscope.interviews.analysis_models import Finding, StageTag
from journeyscope.interviews.transcripts import Format, Role
from journeyscope.journey import KEY_PATTERN
from journeyscope.nlp import Annotation, QuestionKind
from journeyscope.text import StorableStr

ShortText = Annotated[StorableStr, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[
    StorableStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class InterviewImport(BaseModel):
    """How to import one transcript: what it is about and how to treat its speakers.

    Attributes:
        filename: The uploaded file's name; its extension helps detect the format, and it
            gives the title when none is given.
        journey_key: The journey the interview explores (its stages tag the analysis).
        participant: Who was interviewed, as you want it stored (a code such as ``P07`` keeps
            the interview anonymous; with ``redact`` the name is also taken out of the text).
        title: A title; default: the file name without its extension.
        format: The transcript format; detected when left out.
        interviewer: The interviewer's speaker label; everyone else is then a customer.
        roles: Roles by speaker label, winning over detection.
        redact: Take e-mails, phone and card numbers and the names below out before storing.
        redact_names: Names to take out of the text and the speaker labels (the participant
            and the interviewer are added when given).
        interviewed_at: When the interview took place.
        language: The interview's language (BCP 47, e.g. ``en`` or ``de-CH``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    filename: Annotated[StorableStr, StringConstraints(max_length=255)] = ""
    journey_key: Annotated[str, StringConstraints(pattern=KEY_PATTERN)] | None = None
    participant: Name | None = None
    title: ShortText | None = None
    format: Format | None = None
    interviewer: Name | None = None
    roles: dict[Name, Role] = Field(default_factory=dict)
    redact: bool = True
    redact_names: tuple[Name, ...] = ()
    interviewed_at: IsoDateTime | None = None
    language: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")] | None
    ) = None


class AnalysisStatus(enum.StrEnum):
    """Where an interview (or a survey verbatim) is in its analysis."""

    IMPORTED = "imported"  # stored; no analysis asked for (imported with analyze=false)
    QUEUED = "queued"  # waiting for a worker (a retry: for its due time)
    ANALYSING = "analysing"  # a worker holds it until its lease runs out
    ANALYSED = "analysed"  # the analysis is stored
    FAILED = "failed"  # given up after the last attempt; ``failure`` says why


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class Interview(_View):
    """A stored interview, without its utterances (one line of a list)."""

    id: uuid.UUID
    title: str
    participant: str | None
    journey_key: str | None = Field(description="The journey it explores; null: none.")
    format: Format = Field(description="The transcript format it was imported from.")
    source_filename: str
    language: str | None
    interviewed_at: dt.datetime | None
    imported_at: dt.datetime
    redacted: bool = Field(description="Whether PII was taken out before storing the text.")
    warnings: list[str] = Field(description="What the importer and role detection noticed.")
    analyzed_at: dt.datetime | None = Field(description="When it was last analysed; null: never.")
    model: str | None = Field(description="The emotion model of the last analysis.")
    status: AnalysisStatus = Field(
        description="imported, queued, analysing, analysed or failed: where its analysis is."
    )
    failure: str | None = Field(
        description="Why the last analysis attempt failed (kept until one succeeds); null: none."
    )
    utterance_count: int
    finding_count: int


class StoredUtterance(_View):
    """One turn of a stored interview, with what the analysis found in it."""

    position: int = Field(description="0-based position in the transcript.")
    speaker: str | None
    role: Role
    start: float | None = Field(description="Seconds from the start of the recording.")
    end: float | None = Field(description="Seconds from the start of the recording.")
    source_start: int | None = Field(description="Character offset in the source file.")
    source_end: int | None
    text: str
    annotation: Annotation | None = Field(description="Emotions, valence, played-down feedback.")
    stage: StageTag | None = Field(description="The journey stage (and touchpoint) it is about.")
    question: QuestionKind | None = Field(description="For interviewer questions: their kind.")


class InterviewDetail(Interview):
    """A stored interview with its utterances and findings, in order."""

    utterances: list[StoredUtterance]
    findings: list[Finding]
