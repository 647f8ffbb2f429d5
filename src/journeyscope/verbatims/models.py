"""What the verbatims services take and return: frozen dataclasses, no SQLAlchemy, no FastAPI."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Literal

Grouping = Literal["stage", "touchpoint"]
"""What a summary groups by: the journey's stages, or its touchpoints."""


@dataclass(frozen=True, slots=True)
class CompletedResponse:
    """The response whose open-text answers are queued: what each verbatim copies of it."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    touchpoint_id: uuid.UUID | None
    completed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VerbatimExample:
    """One analysed answer, as stored: redacted of e-mails, phone and card numbers."""

    text: str
    question_id: str
    answered_at: dt.datetime
    valence: float  # -1 (very negative) … +1 (very positive)
    emotion: str | None  # the strongest CX emotion; None: none expressed
    is_minimized: bool  # a concern was played down ("a bit slow, but whatever")
    response_id: uuid.UUID | None = None  # the response's id (``GET /v1/responses/{id}``)


@dataclass(frozen=True, slots=True)
class ResponseVerbatim:
    """One open-text answer of a response and what its analysis found (if it is done yet).

    ``emotions`` are the CX emotions expressed, strongest first, with their intensity 0…1;
    empty, and ``valence`` None, until the worker has analysed the answer (``status``).
    """

    question_id: str
    status: str  # queued, analysing, analysed or failed
    text: str | None  # as analysed: redacted of e-mails, phone and card numbers
    valence: float | None
    emotions: tuple[tuple[str, float], ...]
    is_minimized: bool


@dataclass(frozen=True, slots=True)
class VerbatimTheme:
    """Similar answers of one group, named by their most distinctive words."""

    label: str
    size: int  # answers in the theme, among those the themes were found in (``sampled``)
    examples: tuple[VerbatimExample, ...]  # the most representative, nearest the centre first


@dataclass(frozen=True, slots=True)
class VerbatimGroup:
    """The analysed answers about one stage or touchpoint, in the period."""

    key: str  # the stage's or touchpoint's key
    name: str
    verbatims: int  # analysed answers
    valence: float | None  # their mean valence, -1…1; None without answers
    emotions: dict[str, int]  # strongest emotion → answers, most frequent first
    minimized: int  # answers that played a concern down
    sampled: int  # the latest answers the themes were found in (at most SAMPLE)
    themes: tuple[VerbatimTheme, ...]  # largest first


@dataclass(frozen=True, slots=True)
class VerbatimSummary:
    """Open-text answers of a journey, rolled up per stage or touchpoint.

    ``pending`` answers of the period are still queued or being analysed (the summary does
    not count them yet); ``failed`` ones gave up after their last attempt.
    """

    journey_key: str
    by: Grouping
    since: dt.datetime | None
    until: dt.datetime | None
    groups: tuple[VerbatimGroup, ...]  # in the journey's order; groups without answers too
    pending: int
    failed: int


@dataclass(frozen=True, slots=True)
class ListedVerbatim:
    """One analysed answer at a touchpoint, with every emotion its analysis found.

    ``emotions`` are strongest first, each with its intensity 0…1; ``response_id`` is the
    response's id as the API and ``/app/responses/{id}`` name it.
    """

    text: str
    question_id: str
    answered_at: dt.datetime
    valence: float  # -1 (very negative) … +1 (very positive)
    emotions: tuple[tuple[str, float], ...]
    is_minimized: bool
    response_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class VerbatimPage:
    """A page of a touchpoint's analysed answers, newest first.

    ``total`` counts every analysed answer of the touchpoint in the period; ``offset`` is
    where this page starts among them.
    """

    items: tuple[ListedVerbatim, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        """Whether answers older than this page remain."""
        return self.offset + len(self.items) < self.total
