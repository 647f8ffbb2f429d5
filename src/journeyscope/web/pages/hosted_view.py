"""What a hosted survey page shows: questions as plain view objects, in the right language.

Templates stay free of survey logic: each question becomes a :class:`QuestionView` with its
texts localized and piped, its inputs' names and ids, what is checked, and its error. Also the
two guesses a page makes about its visitor: the language (``?lang=``, then
``Accept-Language``) and the device class (from ``User-Agent``), both rough and harmless.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from journeyscope import surveys
from journeyscope.collection import DeviceClass
from journeyscope.surveys import (
    OTHER,
    SCORED_TYPES,
    Answers,
    LocalizedText,
    MatrixQuestion,
    MultiChoiceQuestion,
    NpsQuestion,
    OpenTextQuestion,
    Question,
    SingleChoiceQuestion,
    SurveyDefinition,
    chosen_ids,
    render_text,
)
from journeyscope.web.pages.ui_text import UI_TEXT


@dataclass(frozen=True, slots=True)
class Option:
    """One radio button or checkbox."""

    input_id: str
    name: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One row of a matrix: a group of radio buttons, one per column."""

    id: str
    label: str
    options: list[Option]


@dataclass(frozen=True, slots=True)
class QuestionView:
    """One question, ready to render; ``kind`` picks the template macro."""

    id: str
    kind: str  # scale | single | multi | text | matrix
    text: str
    required: bool
    description: str = ""
    error: str = ""
    hint: str = ""
    options: list[Option] = field(default_factory=list)
    style: str = "numbers"
    low_label: str = ""
    high_label: str = ""
    other: Option | None = None
    other_label: str = ""
    other_value: str = ""
    value: str = ""
    multiline: bool = True
    max_length: int = 0
    placeholder: str = ""
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def described_by(self) -> str:
        """The ids of the texts that describe the inputs: help, hint, then the error."""
        parts = [("desc", self.description), ("hint", self.hint), ("error", self.error)]
        return " ".join(f"q-{self.id}-{suffix}" for suffix, text in parts if text)

    @property
    def first_input_id(self) -> str:
        """The element the error summary links to."""
        if self.options:
            return self.options[0].input_id
        if self.rows:
            return self.rows[0].options[0].input_id
        return f"q-{self.id}"


class Texts:
    """Localize then pipe a survey's texts for one respondent (plain text; Jinja escapes)."""

    def __init__(
        self, definition: SurveyDefinition, lang: str, contact: Mapping[str, Any], answers: Answers
    ) -> None:
        self.definition, self.lang, self.contact, self.answers = definition, lang, contact, answers

    def __call__(self, text: LocalizedText | None) -> str:
        """The text for this respondent, or ``""`` for a missing optional text."""
        if text is None:
            return ""
        return render_text(
            self.definition, text, lang=self.lang, contact=self.contact, answers=self.answers
        )


def view_question(
    question: Question, value: object, *, say: Texts, words: Mapping[str, str], error: str = ""
) -> QuestionView:
    """The view of one question showing ``value`` (a stored or just-sent answer)."""
    base: dict[str, Any] = {
        "id": question.id,
        "text": say(question.text),
        "required": question.required,
        "description": say(question.description),
        "error": error,
    }
    if isinstance(question, SCORED_TYPES):
        is_nps = isinstance(question, NpsQuestion)
        low = say(question.low_label) or (words["nps_low"] if is_nps else "")
        high = say(question.high_label) or (words["nps_high"] if is_nps else "")
        scores = [str(n) for n in range(question.low, question.high + 1)]
        options = _options(question.id, [(s, s) for s in scores], [str(value)])
        return QuestionView(
            **base,
            kind="scale",
            style=question.style.value,
            options=options,
            low_label=low,
            high_label=high,
        )
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        return _choice_view(question, value, base, say, words)
    if isinstance(question, OpenTextQuestion):
        return QuestionView(
            **base,
            kind="text",
            value=value if isinstance(value, str) else "",
            multiline=question.multiline,
            max_length=question.max_length,
            placeholder=say(question.placeholder),
            hint=words["max_chars"].format(n=question.max_length) if question.multiline else "",
        )
    return _matrix_view(question, value, base, say)


def _options(name: str, pairs: list[tuple[str, str]], checked: list[str]) -> list[Option]:
    return [
        Option(f"q-{name}-{value}", name, value, label, value in checked) for value, label in pairs
    ]


def _choice_view(
    question: SingleChoiceQuestion | MultiChoiceQuestion,
    value: object,
    base: dict[str, Any],
    say: Texts,
    words: Mapping[str, str],
) -> QuestionView:
    chosen = chosen_ids(value)
    if isinstance(value, dict) and OTHER in value and OTHER not in chosen:
        chosen.append(OTHER)  # "Other" picked, its text still empty: keep it picked
    pairs = [(choice.id, say(choice.label)) for choice in question.choices]
    is_multi = isinstance(question, MultiChoiceQuestion)
    other = None
    if question.allow_other:
        other = _options(
            question.id, [(OTHER, say(question.other_label) or words["other"])], chosen
        )
    limit = question.max_selected if isinstance(question, MultiChoiceQuestion) else None
    return QuestionView(
        **base,
        kind="multi" if is_multi else "single",
        options=_options(question.id, pairs, chosen),
        other=other[0] if other else None,
        other_label=words["other_text"],
        other_value=str(value.get(OTHER, "")) if isinstance(value, dict) else "",
        hint=words["choose_up_to"].format(n=limit) if limit else "",
    )


def _matrix_view(
    question: MatrixQuestion, value: object, base: dict[str, Any], say: Texts
) -> QuestionView:
    picked = value if isinstance(value, dict) else {}
    columns = [(column.id, say(column.label)) for column in question.columns]
    rows = [
        MatrixRow(
            id=row.id,
            label=say(row.label),
            options=_options(f"{question.id}.{row.id}", columns, [str(picked.get(row.id))]),
        )
        for row in question.rows
    ]
    return QuestionView(**base, kind="matrix", rows=rows)


def pick_language(
    definition: SurveyDefinition, asked: str | None, accept_language: str | None
) -> str:
    """The survey language to show: ``?lang=`` if the survey has it, else the browser's best.

    Tags match ignoring case and narrowing (``fr-CA`` finds ``fr``); anything else gets the
    survey's default language.
    """
    return surveys.match_language(definition, [asked, *accepted_languages(accept_language)])


def chrome_language(asked: str | None, accept_language: str | None) -> str:
    """The language of a page shown before any survey is known: ``?lang=``, else the browser's.

    Chosen among the languages our own words are written in (:data:`UI_TEXT`), by the same
    rules as a survey's language; English when none fits.
    """
    wanted = [asked, *accepted_languages(accept_language)]
    return surveys.best_language(list(UI_TEXT), wanted, "en")


def accepted_languages(header: str | None) -> list[str]:
    """``Accept-Language`` tags, best first (``fr-CH, fr;q=0.9, en;q=0.8``)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def device_class(user_agent: str | None) -> DeviceClass | None:
    """A rough guess from ``User-Agent``; ``None`` when the browser sends none."""
    agent = (user_agent or "").lower()
    if not agent:
        return None
    if "ipad" in agent or "tablet" in agent or ("android" in agent and "mobile" not in agent):
        return DeviceClass.TABLET
    if "mobi" in agent or "iphone" in agent:
        return DeviceClass.MOBILE
    return DeviceClass.DESKTOP
