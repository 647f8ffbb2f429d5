"""Skip and branch logic: evaluate conditions on earlier answers, find a respondent's path.

Conditions are data, never code: a small JSON format (``{"question": "nps", "op": "lte",
"value": 6}``, combined with ``all``/``any``/``not``) that is interpreted here by a fixed table of
operators. Nothing is passed to ``eval``, so a survey author cannot run code on the server or in
the respondent's browser. Every comparison on an unanswered question is false except
``not_answered``; so "NPS ≤ 6" does not fire for someone who skipped the NPS question.

Answers are a mapping of question id to value (see :mod:`~journeyscope.surveys.answers` for the
shape per type). Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from journeyscope.errors import NotFound
from journeyscope.surveys.models import (
    END,
    OTHER,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Op,
    Page,
    Question,
    SurveyDefinition,
)

Answers = Mapping[str, Any]
"""Question id → answer value, as a respondent gave them."""


def evaluate(condition: Condition, answers: Answers) -> bool:
    """Whether ``condition`` holds for ``answers``.

    ``all`` of nothing is true; comparisons on unanswered questions are false except
    ``not_answered``; comparisons whose types do not fit (``lt`` on a text) are false rather
    than errors, since validation refuses such conditions before a survey is published.
    """
    if isinstance(condition, Comparison):
        return _compare(condition, answers)
    if isinstance(condition, AllOf):
        return all(evaluate(inner, answers) for inner in condition.all)
    if isinstance(condition, AnyOf):
        return any(evaluate(inner, answers) for inner in condition.any)
    if isinstance(condition, Not):
        return not evaluate(condition.not_, answers)
    raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - typing forbids it


def is_answered(value: object) -> bool:
    """Whether a value counts as an answer: not ``None``, blank text or an empty selection."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(is_answered(item) for item in value.values())
    if isinstance(value, list):
        return bool(value)
    return True


def chosen_ids(value: object) -> list[str]:
    """The choice ids of a choice answer; an "other" answer counts as the id ``other``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    if isinstance(value, dict):
        choices = value.get("choices", [])
        ids = (
            [item for item in choices if isinstance(item, str)] if isinstance(choices, list) else []
        )
        other = value.get(OTHER)
        return [*ids, OTHER] if isinstance(other, str) and other.strip() else ids
    return []


def is_shown(question_or_page: Question | Page, answers: Answers) -> bool:
    """Whether a question or page's ``show_if`` holds (those without one are always shown)."""
    condition = question_or_page.show_if
    return condition is None or evaluate(condition, answers)


def first_page(definition: SurveyDefinition, answers: Answers) -> str | None:
    """The id of the first page shown, or ``None`` when no page is shown at all."""
    return _shown_from(definition, 0, answers)


def next_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> str | None:
    """The page a respondent sees after ``page_id``, or ``None`` when the survey ends.

    The first branch of the page whose condition holds decides (``goto: end`` ends the
    survey); without one, the next page in order. Either way, pages whose ``show_if`` fails
    are skipped. A branch to a page that does not exist is ignored (validation reports it).

    Raises:
        NotFound: ``page_id`` is not a page of this survey.
    """
    index = _index(definition, page_id)
    for branch in definition.pages[index].branches:
        if branch.if_ is not None and not evaluate(branch.if_, answers):
            continue
        if branch.goto == END:
            return None
        target = _find(definition, branch.goto)
        if target is not None:
            return _shown_from(definition, target, answers)
    return _shown_from(definition, index + 1, answers)


def respondent_path(definition: SurveyDefinition, answers: Answers) -> list[str]:
    """The ids of the pages a respondent with these answers sees, in order.

    Always finishes: a branch back to a page already on the path (validation reports such
    loops) ends the path there instead of repeating pages forever.
    """
    path: list[str] = []
    page_id = first_page(definition, answers)
    while page_id is not None and page_id not in path:
        path.append(page_id)
        page_id = next_page(definition, page_id, answers)
    return path


def visible_questions(definition: SurveyDefinition, answers: Answers) -> list[Question]:
    """The questions a respondent with these answers is shown, in order along their path."""
    return [
        question
        for page_id in respondent_path(definition, answers)
        for question in definition.pages[_index(definition, page_id)].questions
        if is_shown(question, answers)
    ]


# --- comparisons ---------------------------------------------------------------------------------


def _compare(condition: Comparison, answers: Answers) -> bool:
    """Apply one comparison to the answer it names."""
    raw = answers.get(condition.question)
    if condition.op is Op.ANSWERED:
        return is_answered(raw)
    if condition.op is Op.NOT_ANSWERED:
        return not is_answered(raw)
    if not is_answered(raw):
        return False
    return _OPS[condition.op](_comparable(raw), condition.value)


def _comparable(value: object) -> object:
    """Reduce a choice answer to its id (single) or ids (multi); other answers stay as they are."""
    if isinstance(value, dict) and "choices" in value:
        return chosen_ids(value)
    if isinstance(value, dict) and OTHER in value:
        return OTHER
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[object, object], bool]:
    """Make a numeric comparison that is false unless both sides are numbers."""

    def check(answer: object, value: object) -> bool:
        return _is_number(answer) and _is_number(value) and compare(answer, value)

    return check


def _eq(answer: object, value: object) -> bool:
    if isinstance(answer, list) and isinstance(value, list):
        return set(answer) == set(value)
    return not isinstance(answer, bool) and answer == value


def _in(answer: object, value: object) -> bool:
    if not isinstance(value, list):
        return False
    if isinstance(answer, list):
        return any(item in value for item in answer)
    return answer in value


def _contains(answer: object, value: object) -> bool:
    if isinstance(answer, list):
        return value in answer
    if isinstance(answer, str) and isinstance(value, str):
        return value.casefold() in answer.casefold()
    return False


_OPS: dict[Op, Callable[[object, object], bool]] = {
    Op.EQ: _eq,
    Op.NE: lambda answer, value: not _eq(answer, value),
    Op.LT: _ordered(operator.lt),
    Op.LTE: _ordered(operator.le),
    Op.GT: _ordered(operator.gt),
    Op.GTE: _ordered(operator.ge),
    Op.IN: _in,
    Op.NOT_IN: lambda answer, value: isinstance(value, list) and not _in(answer, value),
    Op.CONTAINS: _contains,
}


# --- pages ---------------------------------------------------------------------------------------


def _find(definition: SurveyDefinition, page_id: str) -> int | None:
    """The position of a page, or ``None``."""
    return next((i for i, page in enumerate(definition.pages) if page.id == page_id), None)


def _index(definition: SurveyDefinition, page_id: str) -> int:
    """The position of a page that must exist."""
    index = _find(definition, page_id)
    if index is None:
        known = ", ".join(page.id for page in definition.pages) or "none"
        raise NotFound(
            f"This survey has no page `{page_id}`.",
            field="page_id",
            hint=f"Use one of its pages: {known}.",
        )
    return index


def _shown_from(definition: SurveyDefinition, start: int, answers: Answers) -> str | None:
    """The first page at or after position ``start`` whose ``show_if`` holds."""
    pages = definition.pages[start:]
    return next((page.id for page in pages if is_shown(page, answers)), None)
