"""Piping: put contact attributes and earlier answers into question text.

Survey authors write ``{{contact.first_name}}`` or ``{{answers.nps}}`` in any text, with an
optional fallback for a missing value: ``Hi {{contact.first_name|there}}``. A choice answer is
piped as its label in the respondent's language (an "other" answer as the text they typed), a
matrix answer as ``row: column`` pairs. Anything else in double braces is left as written.

The result is **plain text**: a contact's name or an earlier open answer can contain ``<`` or
``&``, and escaping it is the job of whoever renders the text (Jinja2 autoescape on our pages,
the email builder, the widget's ``textContent``). Never mark piped text as safe HTML.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from journeyscope.surveys.i18n import localize
from journeyscope.surveys.logic import Answers, chosen_ids, is_answered
from journeyscope.surveys.models import (
    OTHER,
    ChoiceQuestion,
    LocalizedText,
    MatrixQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    SurveyDefinition,
)

PIPE = re.compile(
    r"\{\{\s*(?P<scope>contact|answers)\.(?P<key>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"
    r"\s*(?:\|(?P<fallback>[^{}]*?))?\s*\}\}"
)
"""``{{contact.first_name|there}}``: a scope, a key (dots reach into nested attributes) and an
optional fallback."""


def pipe_references(text: str) -> list[tuple[str, str]]:
    """The ``(scope, key)`` pairs a text pipes in, e.g. ``[("answers", "nps")]``."""
    return [(match["scope"], match["key"]) for match in PIPE.finditer(text)]


def pipe(
    text: str,
    *,
    definition: SurveyDefinition,
    lang: str | None,
    contact: Mapping[str, Any],
    answers: Answers,
) -> str:
    """Replace every ``{{contact.x}}`` and ``{{answers.q}}`` in ``text`` with its value.

    Args:
        text: Text in one language, e.g. from :func:`~journeyscope.surveys.i18n.localize`.
        definition: The survey, to find choice labels and its default language.
        lang: The respondent's language, for choice labels.
        contact: The contact's fields and attributes (``first_name``, ``company``...).
        answers: The answers given so far.

    Returns:
        Plain text (not escaped). A missing or empty value becomes the fallback after ``|``,
        or nothing when there is none.
    """

    def replace(match: re.Match[str]) -> str:
        if match["scope"] == "contact":
            value = _contact_value(contact, match["key"])
        else:
            value = _answer_text(definition, match["key"], answers, lang)
        return value or (match["fallback"] or "").strip()

    return PIPE.sub(replace, text)


def render_text(
    definition: SurveyDefinition,
    text: LocalizedText,
    *,
    lang: str | None,
    contact: Mapping[str, Any],
    answers: Answers,
) -> str:
    """Localize a text for the respondent, then pipe values into it (plain text, unescaped)."""
    local = localize(text, lang, definition.default_language)
    return pipe(local, definition=definition, lang=lang, contact=contact, answers=answers)


def _contact_value(contact: Mapping[str, Any], key: str) -> str:
    """A contact field as text; dotted keys reach into nested mappings (``attributes.tier``)."""
    value: Any = contact
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None or isinstance(value, Mapping | list):
        return ""
    return str(value).strip()


def _answer_text(
    definition: SurveyDefinition, question_id: str, answers: Answers, lang: str | None
) -> str:
    """An earlier answer as the respondent would read it."""
    value = answers.get(question_id)
    question = definition.question(question_id)
    if question is None or not is_answered(value):
        return ""
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        return _choice_text(definition, question, value, lang)
    if isinstance(question, MatrixQuestion):
        return _matrix_text(definition, question, value, lang)
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _choice_text(
    definition: SurveyDefinition, question: ChoiceQuestion, value: object, lang: str | None
) -> str:
    """The labels of the chosen options, joined by commas; "other" as its typed text."""
    labels = {choice.id: choice.label for choice in question.choices}
    texts = []
    for choice_id in chosen_ids(value):
        if choice_id in labels:
            texts.append(localize(labels[choice_id], lang, definition.default_language))
        elif choice_id == OTHER and isinstance(value, dict):
            texts.append(str(value.get(OTHER, "")).strip())
    return ", ".join(text for text in texts if text)


def _matrix_text(
    definition: SurveyDefinition, question: Question, value: object, lang: str | None
) -> str:
    """``Row: column`` pairs of a matrix answer, joined by semicolons."""
    if not isinstance(question, MatrixQuestion) or not isinstance(value, dict):
        return ""
    rows = {row.id: row.label for row in question.rows}
    columns = {column.id: column.label for column in question.columns}
    default = definition.default_language
    return "; ".join(
        f"{localize(rows[row], lang, default)}: {localize(columns[column], lang, default)}"
        for row, column in value.items()
        if row in rows and column in columns
    )
