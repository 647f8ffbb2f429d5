"""Survey definition types: pages, questions, choices, conditions and localized text.

A definition is what one survey *version* holds; storage and publishing wrap it, they do not
change it. Everything here is a frozen pydantic model with ``extra="forbid"``, so a typo in a
JSON body is an error rather than a silently ignored field, and a definition read back from the
database equals the one that was saved. Rules that look across the survey (ids used twice, logic
pointing at later questions, unreachable pages) live in :mod:`~journeyscope.surveys.validation`.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import enum
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from journeyscope.inputs import StrictInput, at_most
from journeyscope.text import StorableStr

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
"""Page, question and choice ids are lowercase slugs: stable keys for answers and analytics."""

LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
"""BCP 47 language tags as we accept them: ``en``, ``fr``, ``fr-CA``, ``pt-BR``."""

END = "end"
"""The branch target that ends the survey; no page may take this id."""

OTHER = "other"
"""The choice id an "Other, please say" answer carries; no declared choice may take it."""

Id = Annotated[str, Field(pattern=ID_PATTERN, examples=["nps"])]
Lang = Annotated[str, Field(pattern=LANG_PATTERN, examples=["fr-CA"])]
Text = Annotated[StorableStr, Field(min_length=1, max_length=2000)]
MAX_LANGUAGES = 50
LocalizedText = (
    Text
    | Annotated[
        dict[Lang, Text], at_most(MAX_LANGUAGES), Field(min_length=1, max_length=MAX_LANGUAGES)
    ]
)
"""Text shown to respondents: a plain string (in the default language) or ``{lang: text}``."""

Scalar = int | float | Annotated[StorableStr, Field(max_length=2000)]
Value = Scalar | Annotated[list[Scalar], Field(max_length=500)] | None


class _Model(StrictInput):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        allow_inf_nan=False,  # JSONB cannot store NaN or Infinity (see journeyscope.text)
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


# --- conditions ----------------------------------------------------------------------------------


class Op(enum.StrEnum):
    """How a comparison tests an earlier answer."""

    EQ = "eq"  # equal: a score, a choice id, a text
    NE = "ne"  # answered and not equal
    LT = "lt"  # scored questions only
    LTE = "lte"  # scored questions only
    GT = "gt"  # scored questions only
    GTE = "gte"  # scored questions only
    IN = "in"  # the answer is one of a list of values
    NOT_IN = "not_in"  # answered, and not one of a list of values
    CONTAINS = "contains"  # a multi_choice answer includes a choice id; open text has a substring
    ANSWERED = "answered"  # any answer was given (takes no value)
    NOT_ANSWERED = "not_answered"  # no answer was given (takes no value)


class Comparison(_Model):
    """Test one earlier answer, e.g. ``{"question": "nps", "op": "lte", "value": 6}``."""

    question: Id
    op: Op
    value: Value = None


class AllOf(_Model):
    """True when every inner condition is true (and when the list is empty)."""

    all: Annotated[list[Condition], Field(max_length=50)]


class AnyOf(_Model):
    """True when at least one inner condition is true."""

    any: Annotated[list[Condition], Field(min_length=1, max_length=50)]


class Not(_Model):
    """True when the inner condition is false."""

    not_: Condition = Field(alias="not")


Condition = Comparison | AllOf | AnyOf | Not
"""A condition on earlier answers; see ``docs/survey-json.md`` for the format."""


# --- questions -----------------------------------------------------------------------------------


class Style(enum.StrEnum):
    """How a scale is drawn."""

    NUMBERS = "numbers"  # a row of numbered buttons
    STARS = "stars"  # stars, lowest on the left
    SMILEYS = "smileys"  # faces from sad to happy; meant for kiosks


class Metric(enum.StrEnum):
    """The metric a scored answer feeds."""

    NPS = "nps"  # Net Promoter Score, 0-10
    CSAT = "csat"  # customer satisfaction, 1-5
    CES = "ces"  # customer effort, 1-7
    RATING = "rating"  # any other n-point rating, 1-n


class Choice(_Model):
    """One option of a choice question, or one row or column of a matrix."""

    id: Id
    label: LocalizedText


class _Question(_Model):
    id: Id
    text: LocalizedText
    description: LocalizedText | None = None
    required: bool = False
    show_if: Condition | None = None


class _Scored(_Question):
    """A question answered with a whole number on a fixed scale, which feeds a metric."""

    metric: ClassVar[Metric]
    style: Style = Style.NUMBERS
    low_label: LocalizedText | None = None
    high_label: LocalizedText | None = None

    @property
    def low(self) -> int:
        """The lowest score allowed."""
        return 1

    @property
    def high(self) -> int:
        """The highest score allowed."""
        return 5


class NpsQuestion(_Scored):
    """Likelihood to recommend us on 0-10; feeds the NPS metric."""

    type: Literal["nps"] = "nps"
    metric: ClassVar[Metric] = Metric.NPS

    @property
    def low(self) -> int:
        """NPS starts at 0."""
        return 0

    @property
    def high(self) -> int:
        """NPS ends at 10."""
        return 10


class CsatQuestion(_Scored):
    """Satisfaction on 1-5 (smileys on a kiosk); feeds the CSAT metric."""

    type: Literal["csat"] = "csat"
    metric: ClassVar[Metric] = Metric.CSAT


class CesQuestion(_Scored):
    """How easy it was, on 1-7; feeds the CES metric."""

    type: Literal["ces"] = "ces"
    metric: ClassVar[Metric] = Metric.CES

    @property
    def high(self) -> int:
        """CES ends at 7."""
        return 7


class RatingQuestion(_Scored):
    """Any other rating on 1-``scale`` (2 to 11 points); feeds the rating metric."""

    type: Literal["rating"] = "rating"
    metric: ClassVar[Metric] = Metric.RATING
    scale: int = Field(default=5, ge=2, le=11)

    @property
    def high(self) -> int:
        """The rating ends at its number of points."""
        return self.scale


class SingleChoiceQuestion(_Question):
    """Pick one option; answered with its id (or ``{"other": text}`` when ``allow_other``)."""

    type: Literal["single_choice"] = "single_choice"
    choices: Annotated[list[Choice], Field(min_length=1, max_length=200)]
    allow_other: bool = False
    other_label: LocalizedText | None = None


class MultiChoiceQuestion(_Question):
    """Pick any options; answered with a list of ids, or ``{"choices": [...], "other": text}``."""

    type: Literal["multi_choice"] = "multi_choice"
    choices: Annotated[list[Choice], Field(min_length=1, max_length=200)]
    allow_other: bool = False
    other_label: LocalizedText | None = None
    max_selected: int | None = Field(default=None, ge=1, le=200)


class OpenTextQuestion(_Question):
    """Free text, at most ``max_length`` characters; the NLP pipeline reads it later."""

    type: Literal["open_text"] = "open_text"
    max_length: int = Field(default=2000, ge=1, le=20_000)
    multiline: bool = True
    placeholder: LocalizedText | None = None


class MatrixQuestion(_Question):
    """Rows by columns, one column per row; answered with ``{row_id: column_id}``."""

    type: Literal["matrix"] = "matrix"
    rows: Annotated[list[Choice], Field(min_length=1, max_length=100)]
    columns: Annotated[list[Choice], Field(min_length=1, max_length=20)]


ScoredQuestion = NpsQuestion | CsatQuestion | CesQuestion | RatingQuestion
ChoiceQuestion = SingleChoiceQuestion | MultiChoiceQuestion
Question = Annotated[
    NpsQuestion
    | CsatQuestion
    | CesQuestion
    | RatingQuestion
    | SingleChoiceQuestion
    | MultiChoiceQuestion
    | OpenTextQuestion
    | MatrixQuestion,
    Field(discriminator="type"),
]
"""Any question, told apart by its ``type``."""

SCORED_TYPES = (NpsQuestion, CsatQuestion, CesQuestion, RatingQuestion)


# --- pages and the survey ------------------------------------------------------------------------


class Branch(_Model):
    """Where to go after a page: ``{"if": condition, "goto": page_id | "end"}``.

    Without ``if`` the branch always applies. The first branch whose condition holds wins;
    when none does, the respondent goes on to the next page that is shown.
    """

    if_: Condition | None = Field(default=None, alias="if")
    goto: Id


class Page(_Model):
    """A screen of questions, shown in order; may be skipped (``show_if``) or branch away."""

    id: Id
    title: LocalizedText | None = None
    show_if: Condition | None = None
    questions: Annotated[list[Question], Field(max_length=200)] = Field(default_factory=list)
    branches: Annotated[list[Branch], Field(max_length=50)] = Field(default_factory=list)


class SurveyDefinition(_Model):
    """What one version of a survey asks, in which languages, in which order and when.

    ``default_language`` is the language of plain-string texts and the last fallback;
    ``languages`` lists the others the survey is translated into.
    """

    title: LocalizedText
    description: LocalizedText | None = None
    default_language: Lang = "en"
    languages: Annotated[list[Lang], Field(max_length=MAX_LANGUAGES)] = Field(default_factory=list)
    pages: Annotated[list[Page], Field(max_length=100)] = Field(default_factory=list)
    thank_you: LocalizedText | None = None

    def questions(self) -> list[Question]:
        """Every question, in page order."""
        return [question for page in self.pages for question in page.questions]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or ``None``."""
        return next((q for q in self.questions() if q.id == question_id), None)

    def page(self, page_id: str) -> Page | None:
        """The page with this id, or ``None``."""
        return next((p for p in self.pages if p.id == page_id), None)


for _model in (AllOf, AnyOf, Not, Comparison, Branch, Page, SurveyDefinition):
    _model.model_rebuild()
