"""Check a respondent's answers against the survey version they answered, and score them.

Answers are a JSON object of question id → value, one shape per question type:

- ``nps``, ``csat``, ``ces``, ``rating``: a whole number on the question's scale;
- ``single_choice``: a choice id, or ``{"other": "text"}`` when ``allow_other``;
- ``multi_choice``: a list of choice ids, or ``{"choices": [...], "other": "text"}``;
- ``open_text``: text of at most ``max_length`` characters;
- ``matrix``: ``{row_id: column_id}``.

``None``, blank text and empty selections count as "not answered". Each problem names the answer
(``answers.nps``) so the API can return them all at once as problem+json.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from journeyscope.errors import Problem
from journeyscope.surveys.flow import is_missing, visible_questions
from journeyscope.surveys.logic import Answers, is_answered
from journeyscope.surveys.models import (
    OTHER,
    SCORED_TYPES,
    MatrixQuestion,
    Metric,
    MultiChoiceQuestion,
    OpenTextQuestion,
    Question,
    ScoredQuestion,
    SingleChoiceQuestion,
    SurveyDefinition,
)
from journeyscope.text import check_storable

OTHER_MAX_LENGTH = 2000
"""The longest "other" text accepted with a choice answer."""

_Finding = tuple[str, str] | None
"""``(problem, fix)`` for one answer, or ``None`` when it is fine."""


@dataclass(frozen=True, slots=True)
class ScoreFact:
    """One scored answer, ready to be written as a metric fact.

    Attributes:
        question_id: The question answered.
        metric: The metric it feeds (``nps``, ``csat``, ``ces``, ``rating``).
        value: The score given.
        low: The lowest score the question allows (0 for NPS, else 1).
        high: The highest (10, 5, 7, or a rating's number of points), so ratings on
            different scales can be normalized.
    """

    question_id: str
    metric: Metric
    value: int
    low: int
    high: int


def check_answers(
    definition: SurveyDefinition, answers: Answers, *, complete: bool
) -> list[Problem]:
    """Find every answer that does not fit the survey version, and missing required ones.

    Args:
        definition: The survey version the respondent answered.
        answers: Question id → value; empty values count as not answered.
        complete: Whether the respondent says they are done. Only then are required questions
            that were shown on their path, but not answered, problems (partial responses are
            saved as they come).

    Returns:
        Problems with fields ``answers.<question id>``: unknown questions, answers to
        questions the respondent's path hides, answers of the wrong shape, then (when
        ``complete``) missing required answers. Empty when the answers can be stored.
    """
    shown = visible_questions(definition, answers)
    shown_ids = {question.id for question in shown}
    questions = {question.id: question for question in definition.questions()}
    problems = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            problems.append(_unknown(question_id, sorted(questions)))
        elif is_answered(value) and question_id not in shown_ids:
            problems.append(_hidden(question_id))
        elif is_answered(value) and (finding := check_answer(question, value)):
            problems.append(Problem(f"answers.{question_id}", *finding))
    if complete:
        problems += [_missing(q, answers.get(q.id)) for q in shown if is_missing(q, answers)]
    return problems


def check_answer(question: Question, value: object) -> _Finding:
    """Whether one given answer fits its question; ``(problem, fix)`` when it does not."""
    if isinstance(question, SCORED_TYPES):
        return _check_score(question, value)
    if isinstance(question, SingleChoiceQuestion):
        return _check_single(question, value)
    if isinstance(question, MultiChoiceQuestion):
        return _check_multi(question, value)
    if isinstance(question, OpenTextQuestion):
        return _check_text(value, question.max_length)
    return _check_matrix(question, value)


def score_facts(definition: SurveyDefinition, answers: Answers) -> list[ScoreFact]:
    """The scored answers the respondent gave to questions on their path, in survey order.

    Answers that are not valid scores are left out; call :func:`check_answers` first to refuse
    them instead.
    """
    return [
        ScoreFact(question.id, question.metric, value, question.low, question.high)
        for question in visible_questions(definition, answers)
        if isinstance(question, SCORED_TYPES)
        and isinstance(value := answers.get(question.id), int)
        and _check_score(question, value) is None
    ]


# --- one answer ----------------------------------------------------------------------------------


def _check_score(question: ScoredQuestion, value: object) -> _Finding:
    low, high = question.low, question.high
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return None
    return (
        f"`{_quote(value)}` is not a score on this {low}-{high} scale.",
        f"Send a whole number from {low} to {high}.",
    )


def _check_single(question: SingleChoiceQuestion, value: object) -> _Finding:
    ids = [choice.id for choice in question.choices]
    if isinstance(value, str):
        return None if value in ids else _unknown_choice(value, ids, question.allow_other)
    if isinstance(value, dict) and set(value) == {OTHER}:
        return _check_other(question.allow_other, value[OTHER])
    return "A single-choice answer is one choice id.", _choice_fix(ids, question.allow_other)


def _check_multi(question: MultiChoiceQuestion, value: object) -> _Finding:
    ids = [choice.id for choice in question.choices]
    chosen, other = value, None
    if isinstance(value, dict) and set(value) <= {"choices", OTHER}:
        chosen, other = value.get("choices", []), value.get(OTHER)
    if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
        return "A multi-choice answer is a list of choice ids.", _choice_fix(
            ids, question.allow_other
        )
    unknown = next((item for item in chosen if item not in ids), None)
    if unknown is not None:
        return _unknown_choice(unknown, ids, question.allow_other)
    if len(set(chosen)) != len(chosen):
        return "The same choice is given twice.", "Send each choice id once."
    count, limit = len(chosen) + (other is not None), question.max_selected
    if limit is not None and count > limit:
        return f"{count} choices are selected; at most {limit} are allowed.", "Select fewer."
    return None if other is None else _check_other(question.allow_other, other)


def _check_other(allowed: bool, text: object) -> _Finding:
    if not allowed:
        return 'This question has no "other" option.', "Pick one of its choices instead."
    return _check_text(text, OTHER_MAX_LENGTH)


def _check_text(value: object, max_length: int) -> _Finding:
    if not isinstance(value, str):
        return f"`{_quote(value)}` is not text.", "Send the answer as a JSON string."
    if len(value) > max_length:
        return (
            f"The text is {len(value):,} characters long; at most {max_length:,} fit.",
            "Shorten it.",
        )
    try:
        check_storable(value)
    except ValueError as error:
        what, _, fix = str(error).partition("; ")
        return f"The text {what}.", f"{fix[:1].upper()}{fix[1:]}."
    return None


def _check_matrix(question: MatrixQuestion, value: object) -> _Finding:
    rows = [row.id for row in question.rows]
    columns = [column.id for column in question.columns]
    if not isinstance(value, dict):
        return (
            "A matrix answer maps row ids to column ids.",
            f'Send e.g. {{"{rows[0]}": "{columns[0]}"}}.',
        )
    for row, column in value.items():
        if row not in rows:
            return f"`{_quote(row)}` is not a row of this matrix.", f"Rows are: {', '.join(rows)}."
        if column not in columns:
            return (
                f"`{_quote(column)}` (row `{row}`) is not a column of this matrix.",
                f"Columns are: {', '.join(columns)}.",
            )
    return None


# --- problems ------------------------------------------------------------------------------------


def _missing(question: Question, value: object) -> Problem:
    if isinstance(question, MatrixQuestion) and isinstance(value, dict):
        rows = ", ".join(
            f"`{row.id}`" for row in question.rows if not is_answered(value.get(row.id))
        )
        return Problem(
            f"answers.{question.id}", f"Rows {rows} are not answered.", "Answer every row."
        )
    return Problem(
        f"answers.{question.id}",
        "This question is required and was shown, but has no answer.",
        "Answer it before completing the response, or send the response as partial.",
    )


def _unknown(question_id: str, known: list[str]) -> Problem:
    guess = difflib.get_close_matches(question_id, known, n=1)
    hint = f"Did you mean `{guess[0]}`? " if guess else ""
    return Problem(
        f"answers.{_quote(question_id)}",
        f"This survey version has no question `{_quote(question_id)}`.",
        f"{hint}Its questions are: {', '.join(known)}.",
    )


def _hidden(question_id: str) -> Problem:
    return Problem(
        f"answers.{question_id}",
        "This question is not shown to this respondent (skip logic hides it given the other "
        "answers), so it cannot be answered.",
        "Remove this answer, or check the answers that decide whether it is shown.",
    )


def _unknown_choice(value: str, ids: list[str], allow_other: bool) -> tuple[str, str]:
    return f"`{_quote(value)}` is not a choice of this question.", _choice_fix(ids, allow_other)


def _choice_fix(ids: list[str], allow_other: bool) -> str:
    other = ' For "other", send {"other": "their text"}.' if allow_other else ""
    return f"Use its choice ids: {', '.join(ids)}.{other}"


def _quote(value: object, limit: int = 40) -> str:
    """Show a value in a message, shortened and without line breaks."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
