"""Skip and branch conditions: whether a condition holds for the answers given so far.

Conditions are data, never code: a small JSON format (``{"question": "nps", "op": "lte",
"value": 6}``, combined with ``all``/``any``/``not``) that is interpreted here by a fixed table of
operators. Nothing is passed to ``eval``, so a survey author cannot run code on the server or in
the respondent's browser. Every comparison on an unanswered question is false except
``not_answered``; so "NPS ≤ 6" does not fire for someone who skipped the NPS question.

Answers are a mapping of question id to value (see :mod:`~journeyscope.surveys.answers` for the
shape per type). Where these conditions take a respondent (pages, what is missing, what a change
of mind hides) is :mod:`~journeyscope.surveys.flow`. The kiosk and widget scripts interpret the
same format; ``tests/data/branching_cases.json`` holds the cases all three must agree on.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from journeyscope.surveys.models import (
    OTHER,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Op,
    Page,
    Question,
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


def evaluate_ahead(
    condition: Condition, answers: Answers, pending: Mapping[str, bool]
) -> bool | None:
    """Whether ``condition`` will hold once the ``pending`` questions are answered.

    ``pending`` maps the ids of questions the respondent is about to answer (the page on
    screen) to whether each is required. Comparisons on them are unknown, except that a
    required one will be answered; the rest combine by three-valued (Kleene) logic. ``True``:
    holds whatever they answer; ``False``: fails whatever they answer; ``None``: it depends.
    Cautious by design: a condition that holds for every answer but says so in a way this
    cannot see through (``nps < 5 or nps >= 5``) comes out as "it depends".
    """
    if isinstance(condition, Comparison):
        if condition.question not in pending:
            return _compare(condition, answers)
        if pending[condition.question] and condition.op in (Op.ANSWERED, Op.NOT_ANSWERED):
            return condition.op is Op.ANSWERED
        return None
    if isinstance(condition, Not):
        inner = evaluate_ahead(condition.not_, answers, pending)
        return None if inner is None else not inner
    parts = condition.all if isinstance(condition, AllOf) else condition.any
    results = {evaluate_ahead(inner, answers, pending) for inner in parts}
    decisive = isinstance(condition, AnyOf)  # True decides "any"; False decides "all"
    if decisive in results:
        return decisive
    return None if None in results else not decisive


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
