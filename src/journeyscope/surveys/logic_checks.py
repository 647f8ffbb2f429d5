"""Check the conditions and pipes of a survey: do they name questions that are answered earlier?

A condition or a pipe can only use an answer the respondent has already given: a question on
an earlier page (a page's own branches may also use the page's own questions, which are
answered before the respondent moves on). Each comparison must also fit its question: ``lt`` on
a score, ``contains`` on a multi-choice or a text, values inside the scale, choice ids that
exist. Used by :func:`~journeyscope.surveys.validation.check_definition`.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from journeyscope.errors import Problem
from journeyscope.surveys.i18n import iter_texts
from journeyscope.surveys.models import (
    OTHER,
    SCORED_TYPES,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    MultiChoiceQuestion,
    Not,
    Op,
    OpenTextQuestion,
    Question,
    SingleChoiceQuestion,
    SurveyDefinition,
)
from journeyscope.surveys.piping import pipe_references

_PRESENCE = {Op.ANSWERED, Op.NOT_ANSWERED}
_LISTED = {Op.IN, Op.NOT_IN}
_ORDER = {Op.LT, Op.LTE, Op.GT, Op.GTE}
_EQUALITY = {Op.EQ, Op.NE}
_OPS_BY_TYPE: dict[str, set[Op]] = {
    "nps": _PRESENCE | _EQUALITY | _LISTED | _ORDER,
    "csat": _PRESENCE | _EQUALITY | _LISTED | _ORDER,
    "ces": _PRESENCE | _EQUALITY | _LISTED | _ORDER,
    "rating": _PRESENCE | _EQUALITY | _LISTED | _ORDER,
    "single_choice": _PRESENCE | _EQUALITY | _LISTED,
    "multi_choice": _PRESENCE | _EQUALITY | _LISTED | {Op.CONTAINS},
    "open_text": _PRESENCE | _EQUALITY | _LISTED | {Op.CONTAINS},
    "matrix": set(_PRESENCE),
}
FORMAT_DOCS = "docs/survey-json.md"


@dataclass(frozen=True, slots=True)
class Places:
    """Where each question is: the page position of every question id."""

    page_of: dict[str, int]
    questions: dict[str, Question]

    @classmethod
    def of(cls, definition: SurveyDefinition) -> Places:
        """Index a survey's questions (the first of two with one id wins)."""
        page_of: dict[str, int] = {}
        questions: dict[str, Question] = {}
        for i, page in enumerate(definition.pages):
            for question in page.questions:
                page_of.setdefault(question.id, i)
                questions.setdefault(question.id, question)
        return cls(page_of, questions)


def check_logic(definition: SurveyDefinition) -> list[Problem]:
    """Find conditions that name missing or later questions, or do not fit their question."""
    places = Places.of(definition)
    problems: list[Problem] = []
    for field, condition, known_before in _condition_sites(definition):
        for path, comparison in _comparisons(field, condition):
            problems += _check_comparison(path, comparison, places, known_before)
    return problems


def check_pipes(definition: SurveyDefinition) -> list[Problem]:
    """Find ``{{answers.q}}`` pipes naming a question that is missing or not answered yet."""
    places = Places.of(definition)
    problems = []
    for field, text, page in iter_texts(definition):
        for part in [text] if isinstance(text, str) else text.values():
            for scope, key in pipe_references(part):
                problem = _check_pipe(field, key, page, places) if scope == "answers" else None
                if problem is not None and problem not in problems:
                    problems.append(problem)
    return problems


def _condition_sites(definition: SurveyDefinition) -> Iterator[tuple[str, Condition, int]]:
    """Each condition with its field and the pages before it (answers known when it decides)."""
    for i, page in enumerate(definition.pages):
        if page.show_if is not None:
            yield f"pages[{i}].show_if", page.show_if, i
        for j, question in enumerate(page.questions):
            if question.show_if is not None:
                yield f"pages[{i}].questions[{j}].show_if", question.show_if, i
        for k, branch in enumerate(page.branches):
            if branch.if_ is not None:
                yield f"pages[{i}].branches[{k}].if", branch.if_, i + 1


def _comparisons(path: str, condition: Condition) -> Iterator[tuple[str, Comparison]]:
    """Every comparison inside a condition, with its dotted path."""
    if isinstance(condition, Comparison):
        yield path, condition
    elif isinstance(condition, AllOf | AnyOf):
        name = "all" if isinstance(condition, AllOf) else "any"
        inner = condition.all if isinstance(condition, AllOf) else condition.any
        for n, item in enumerate(inner):
            yield from _comparisons(f"{path}.{name}[{n}]", item)
    elif isinstance(condition, Not):
        yield from _comparisons(f"{path}.not", condition.not_)


def _check_comparison(
    path: str, comparison: Comparison, places: Places, known_before: int
) -> list[Problem]:
    """The problems of one comparison: its question, then its operator and value."""
    question_id = comparison.question
    if question_id not in places.questions:
        return [_missing_question(f"{path}.question", question_id, places)]
    if places.page_of[question_id] >= known_before:
        return [_not_yet_answered(f"{path}.question", question_id, places)]
    question = places.questions[question_id]
    if comparison.op not in _OPS_BY_TYPE[question.type]:
        return [_op_does_not_fit(f"{path}.op", comparison.op, question)]
    problem = _check_value(comparison, question)
    return [Problem(f"{path}.value", problem[0], problem[1])] if problem else []


def _check_value(comparison: Comparison, question: Question) -> tuple[str, str] | None:
    """Whether a comparison's value suits its operator and question; ``(problem, fix)`` if not."""
    value, op = comparison.value, comparison.op
    if op in _PRESENCE:
        return None if value is None else (f"`{op}` takes no value.", "Remove `value`.")
    if op in _LISTED or (op in _EQUALITY and isinstance(value, list)):
        if not isinstance(value, list) or not value:
            return f"`{op}` needs a list of values.", 'Write `"value": [...]` with one or more.'
        return next(filter(None, (_check_one(item, question) for item in value)), None)
    if value is None or isinstance(value, list):
        return f"`{op}` needs one value.", "Add a single `value` (a number, a choice id or text)."
    return _check_one(value, question)


def _check_one(value: object, question: Question) -> tuple[str, str] | None:
    """Whether one value can be an answer to ``question``."""
    if isinstance(question, SCORED_TYPES):
        ok = isinstance(value, int) and question.low <= value <= question.high
        scale = f"{question.low}-{question.high}"
        problem = f"`{value}` is not a score on `{question.id}`'s {scale} scale."
        return (
            None if ok else (problem, f"Use a whole number from {question.low} to {question.high}.")
        )
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        ids = [choice.id for choice in question.choices] + ([OTHER] if question.allow_other else [])
        if value in ids:
            return None
        return f"`{value}` is not a choice of `{question.id}`.", f"Use one of: {', '.join(ids)}."
    if isinstance(question, OpenTextQuestion) and not isinstance(value, str):
        return "Open text is compared with text.", f'Write the value in quotes: "{value}".'
    return None


def _check_pipe(field: str, key: str, page: int, places: Places) -> Problem | None:
    """A pipe of an answer that does not exist or is not given before the text is shown."""
    if key not in places.questions:
        return _missing_question(field, key, places, what="pipes in")
    if places.page_of[key] >= page:
        return Problem(
            field,
            f"Pipes in `{{{{answers.{key}}}}}`, which is not answered before this text is shown.",
            "Pipe only answers from earlier pages, or move the question to an earlier page.",
        )
    return None


def _missing_question(field: str, key: str, places: Places, *, what: str = "refers to") -> Problem:
    """A condition or pipe naming a question this survey does not have."""
    ids = sorted(places.questions)
    guess = difflib.get_close_matches(key, ids, n=1)
    hint = f"Did you mean `{guess[0]}`? " if guess else ""
    listed = ", ".join(ids) or "none yet"
    return Problem(
        field,
        f"{what[0].upper()}{what[1:]} question `{key}`, which this survey does not have.",
        f"{hint}Question ids are: {listed}.",
    )


def _not_yet_answered(field: str, key: str, places: Places) -> Problem:
    """A condition that needs an answer that is not given yet when it is decided."""
    return Problem(
        field,
        f"Depends on `{key}` (page {places.page_of[key] + 1}), which is not answered yet when "
        "this is decided.",
        "Conditions can only use answers from earlier pages (a page's branches may also use "
        "its own questions); move the question earlier or the condition later.",
    )


def _op_does_not_fit(field: str, op: Op, question: Question) -> Problem:
    """An operator that makes no sense for the question's type."""
    allowed = ", ".join(sorted(_OPS_BY_TYPE[question.type]))
    return Problem(
        field,
        f"`{op}` does not fit `{question.id}`, a question of type `{question.type}`.",
        f"Use one of: {allowed}. See {FORMAT_DOCS}.",
    )
