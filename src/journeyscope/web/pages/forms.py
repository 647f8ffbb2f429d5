"""Read a hosted survey page's HTML form into answers, and check them for that page.

A browser sends every field as text: ``nps=7``, ``factors=price&factors=other&factors.other=..``,
``quality.food=good``. Here they become the JSON answer shapes the collection domain stores
(scores as numbers, several choices as a list, "other" text, a matrix as ``{row: column}``).
Field names are question ids (``[a-z0-9_-]``), a dot and a sub-key for "other" text and matrix
rows; names starting with ``_`` are the form's own fields, never answers.

Messages come back in the respondent's language (``ui_text``): the page shows them next to
each question and in the summary at the top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from journeyscope.surveys import (
    OTHER,
    Answers,
    MatrixQuestion,
    MultiChoiceQuestion,
    OpenTextQuestion,
    Question,
    SingleChoiceQuestion,
    check_answer,
    is_missing,
)

FormFields = Mapping[str, Sequence[str]]
"""Field name → every value sent under it, as the browser sent them."""


def parse_answers(questions: Sequence[Question], form: FormFields) -> dict[str, Any]:
    """The answers to ``questions`` in ``form``; an empty field becomes ``None`` (cleared).

    Every question of the page gets an entry, so clearing a field on a page also clears the
    answer saved earlier. Text that is not a number stays text for a score, so the check
    reports it instead of it vanishing.
    """
    return {question.id: _parse(question, form) for question in questions}


def first_value(form: FormFields, name: str) -> str:
    """The first value sent under ``name`` (``""`` when none was)."""
    values = form.get(name) or [""]
    return values[0]


def _parse(question: Question, form: FormFields) -> Any:
    if isinstance(question, SingleChoiceQuestion):
        return _parse_single(question.id, form)
    if isinstance(question, MultiChoiceQuestion):
        return _parse_multi(question.id, form)
    if isinstance(question, OpenTextQuestion):
        text = first_value(form, question.id).replace("\r\n", "\n")
        return text if text.strip() else None
    if isinstance(question, MatrixQuestion):
        picked = {row.id: first_value(form, f"{question.id}.{row.id}") for row in question.rows}
        return {row: column for row, column in picked.items() if column} or None
    raw = first_value(form, question.id).strip()
    return parse_score(raw) if raw else None


def parse_score(raw: str) -> int | str:
    """A score as a number when it is written in ASCII digits, else the text as it came.

    ``str.isdigit`` and ``int`` also take ``²``, ``①`` or Arabic-Indic digits (``٣``); those
    are not what a scale's buttons send, so they stay text and the check says the answer
    does not fit (the page's 422), instead of ``int`` failing or reading a digit nobody meant.
    """
    is_number = raw.isascii() and raw.isdigit() and len(raw) < 6
    return int(raw) if is_number else raw


def _parse_single(question_id: str, form: FormFields) -> Any:
    value = first_value(form, question_id)
    if value == OTHER:
        return {OTHER: first_value(form, f"{question_id}.{OTHER}").strip()}
    return value or None


def _parse_multi(question_id: str, form: FormFields) -> Any:
    chosen = [value for value in form.get(question_id, []) if value]
    if OTHER not in chosen:
        return chosen or None
    rest = [value for value in chosen if value != OTHER]
    other = first_value(form, f"{question_id}.{OTHER}").strip()
    if not other and rest:
        return rest  # "Other" ticked but left empty: it does not count as a choice
    return {"choices": rest, OTHER: other}


def check_page(
    questions: Sequence[Question],
    answers: Answers,
    words: Mapping[str, str],
    *,
    partial: bool = False,
) -> dict[str, str]:
    """A message for each question of the page whose answer is wrong or missing.

    Answers that do not fit (text too long, too many options, not on the scale) come first;
    then, unless the page is only saved (``partial``), required questions left empty.
    Messages are in the respondent's language.
    """
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.id)
        if value is not None and check_answer(question, value) is not None:
            errors[question.id] = _misfit(question, value, words)
        elif not partial and is_missing(question, answers):
            key = (
                "error_row" if isinstance(question, MatrixQuestion) and value else "error_required"
            )
            errors[question.id] = words[key]
    return errors


def _misfit(question: Question, value: object, words: Mapping[str, str]) -> str:
    """Say what is wrong with an answer in the respondent's words (not the API's)."""
    if (
        isinstance(question, OpenTextQuestion)
        and isinstance(value, str)
        and len(value) > question.max_length
    ):
        return words["error_too_long"].format(n=question.max_length)
    if isinstance(question, MultiChoiceQuestion) and question.max_selected is not None:
        return words["error_too_many"].format(n=question.max_selected)
    return words["error_invalid"]
