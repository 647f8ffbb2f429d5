"""What comes in (contacts, events) and what is returned, as validated pydantic types."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
import zoneinfo
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    JsonValue,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from journeyscope.datetimes import IsoDateTime
from journeyscope.inputs import StrictInput, at_most
from journeyscope.journey import Channel
from journeyscope.surveys import TouchpointRef
from journeyscope.text import StorableStr, check_storable_json
from journeyscope.verbatims import ResponseVerbatim

MAX_BATCH = 1000
MAX_ATTRIBUTES = 200


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not an IANA time zone; use a name like 'Europe/Paris' or 'UTC'"
        ) from None
    return value


ExternalId = Annotated[
    StorableStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    Field(
        description="The contact's id in your own systems (CRM, shop, app).", examples=["C-1042"]
    ),
]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ().-]{3,30}$"),
    Field(description="Phone number, ideally E.164 (+33612345678).", examples=["+33612345678"]),
]
Locale = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=35, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
    ),
    Field(description="BCP 47 language tag, e.g. en, fr-CA.", examples=["fr-CA"]),
]
TimeZone = Annotated[
    str,
    StringConstraints(max_length=64),
    AfterValidator(_check_timezone),
    Field(description="IANA time zone, e.g. Europe/Paris.", examples=["Europe/Paris"]),
]
Attributes = Annotated[
    dict[Annotated[str, StringConstraints(min_length=1, max_length=100)], JsonValue],
    at_most(MAX_ATTRIBUTES),
    AfterValidator(check_storable_json),
    Field(
        max_length=MAX_ATTRIBUTES,
        description="Free-form attributes (segment, plan, store, ...). On upsert they are "
        "merged into the stored ones; a null value removes that attribute.",
        examples=[{"segment": "gold", "store": "paris-12"}],
    ),
]


class _In(StrictInput):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactFields(_In):
    """The optional facts about a contact, shared by create, upsert and update."""

    email: EmailStr | None = None
    phone: Phone | None = None
    name: Annotated[StorableStr, StringConstraints(max_length=200)] | None = None
    locale: Locale | None = None
    timezone: TimeZone | None = None
    attributes: Attributes = Field(default_factory=dict)


class ContactIn(ContactFields):
    """A contact to create or upsert, identified by ``external_id``."""

    external_id: ExternalId


class ContactPatch(_In):
    """Fields to change on a contact; fields left out stay as they are."""

    external_id: ExternalId | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    name: Annotated[StorableStr, StringConstraints(max_length=200)] | None = None
    locale: Locale | None = None
    timezone: TimeZone | None = None
    attributes: Attributes | None = None


class Contact(BaseModel):
    """A stored contact."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    external_id: str
    email: str | None
    phone: str | None
    name: str | None
    locale: str | None
    timezone: str | None
    attributes: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


EventType = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"),
    Field(
        description="What happened, as `object.verb` (letters, digits, `_ . : -`).",
        examples=["sale.completed"],
    ),
]


class EventIn(_In):
    """One event from the company's systems."""

    type: EventType
    occurred_at: IsoDateTime | None = Field(
        default=None,
        description="When it happened, ISO 8601 with a time zone (e.g. 2026-11-24T09:30:00Z). "
        "Default: when the server received it.",
    )
    contact_external_id: ExternalId | None = Field(
        default=None,
        description="The contact it concerns; an unknown id creates a contact (with the "
        "details of `contact`, if given).",
    )
    contact: ContactFields | None = Field(
        default=None,
        description="The contact's details, written with the event (before its rules plan "
        "anything): fields given overwrite, fields left out stay, attributes are merged. "
        "Needs `contact_external_id`; a resent `idempotency_key` changes nothing.",
        examples=[{"email": "ana@example.com", "name": "Ana Lima"}],
    )
    properties: Annotated[dict[str, JsonValue], AfterValidator(check_storable_json)] = Field(
        default_factory=dict,
        description="Anything about the event (order id, amount, store, agent, ...).",
        examples=[{"order_id": "A-981", "amount": 59.9, "store": "paris-12"}],
    )
    idempotency_key: (
        Annotated[StorableStr, StringConstraints(min_length=1, max_length=255)] | None
    ) = Field(
        default=None,
        description="Your unique id for this event; a resend with the same key is stored "
        "once and answered with the first event's id.",
    )

    @field_validator("contact")
    @classmethod
    def _contact_needs_external_id(
        cls, value: ContactFields | None, info: ValidationInfo
    ) -> ContactFields | None:
        """Details must say whose they are (an invalid external id is reported on its own)."""
        if value is not None and info.data.get("contact_external_id", "") is None:
            raise ValueError(
                "contact needs contact_external_id to know whose details these are; "
                "add contact_external_id (the customer's id in your system) or leave contact out"
            )
        return value


class EventBatchIn(_In):
    """Up to 1,000 events, stored all together or not at all."""

    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


class Event(BaseModel):
    """A stored event."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    type: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    contact_id: uuid.UUID | None
    contact_external_id: str | None
    properties: dict[str, Any]
    idempotency_key: str | None


class Ingested(BaseModel):
    """The outcome for one event of a request, in request order."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    duplicate: bool = Field(description="True when an event with its idempotency key existed.")


class IngestResult(BaseModel):
    """The outcome of a batch: counts and one entry per event, in request order."""

    model_config = ConfigDict(frozen=True)

    accepted: int
    created: int
    duplicates: int
    events: list[Ingested]


class DeviceClass(enum.StrEnum):
    """What the respondent answered on."""

    MOBILE = "mobile"  # a phone
    TABLET = "tablet"  # a tablet
    DESKTOP = "desktop"  # a computer
    KIOSK = "kiosk"  # an onsite kiosk
    OTHER = "other"  # anything else (a phone call, a TV, ...)


class ResponseMetadata(_In):
    """Where and on what a response was given: stored with it, never checked against answers."""

    locale: Locale | None = None
    device_class: DeviceClass | None = None
    page_url: Annotated[StorableStr, StringConstraints(max_length=2048)] | None = None
    app_screen: Annotated[StorableStr, StringConstraints(max_length=200)] | None = None
    app_version: Annotated[StorableStr, StringConstraints(max_length=64)] | None = None


class _Answers(ResponseMetadata):
    """What every door sends for a page of answers: the response's id, answers, completion."""

    id: uuid.UUID = Field(description="Made by the client (a UUID) for the whole response.")
    answers: Annotated[dict[str, Any], AfterValidator(check_storable_json)] = Field(
        default_factory=dict, max_length=500, description="Question id -> answer."
    )
    complete: bool = Field(default=False, description="This is the last page.")


class ResponseIn(_Answers):
    """A page of answers to a survey, or the last one (``complete``).

    Send the same ``id`` for every page of one respondent's response: answers are merged, and
    a resend after completion is answered with the stored response, never stored twice.
    """

    survey_key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
    version: int | None = Field(
        default=None, ge=1, le=1_000_000, description="Default: the latest published version."
    )
    channel: Channel
    touchpoint: TouchpointRef | None = Field(
        default=None, description="Default: the survey's own touchpoint."
    )
    contact_external_id: ExternalId | None = None


class PublicResponseIn(_Answers):
    """Answers from a public door (widget, kiosk, native app): the survey comes from the URL.

    Send the same ``id`` for every page of one response; a resend is stored once.
    """

    contact_external_id: ExternalId | None = Field(
        default=None,
        description="From `identify()`; linked if the contact exists, ignored otherwise.",
    )


class ResponseView(BaseModel):
    """A stored response."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    survey_key: str
    version: int
    answers: dict[str, Any]
    is_complete: bool
    channel: str
    started_at: dt.datetime
    completed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """A response as the signed-in pages show it, with its touchpoint and verbatims.

    ``verbatims`` are its open-text answers and what their analysis found (emotions).
    """

    response: ResponseView
    touchpoint: str | None  # the touchpoint's key; None: given without one
    touchpoint_name: str | None
    journey_key: str | None
    locale: str | None
    device_class: str | None
    verbatims: tuple[ResponseVerbatim, ...]
