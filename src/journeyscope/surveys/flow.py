"""A respondent's way through a survey: pages, questions, what is missing, what a change hides.

Every door asks the same questions of a survey version and the answers given so far: which page
comes first and which next, which questions are shown, which required answers are missing,
which stored answers the path no longer shows (answering NPS 10 after NPS 3 hides "what went
wrong?"), and whether a page is the last. Hosted pages use all of it page by page (with back
and resume); the kiosk, widget and API saves through :func:`~journeyscope.surveys.check_answers`;
the phone survey through :func:`visible_questions`. The kiosk and widget scripts run the same
rules in the browser, and ``tests/data/branching_cases.json`` holds the cases that this module
and both scripts are tested against, so the three cannot drift apart.

Conditions themselves are evaluated by :mod:`~journeyscope.surveys.logic`. Pure code: imports
neither the store nor the web.
"""

from __future__ import annotations

from typing import Any

from journeyscope.errors import NotFound
from journeyscope.surveys.logic import Answers, evaluate, evaluate_ahead, is_answered, is_shown
from journeyscope.surveys.models import END, MatrixQuestion, Page, Question, SurveyDefinition

# --- the path ------------------------------------------------------------------------------------


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


def previous_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> str | None:
    """The page before ``page_id`` on the respondent's path (``None`` on the first)."""
    path = respondent_path(definition, answers)
    index = path.index(page_id) if page_id in path else 0
    return path[index - 1] if index > 0 else None


def is_last_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> bool:
    """Whether the survey ends after ``page_id`` with the answers as they are now.

    What a client that sees every tap (kiosk, widget) labels its button by: "Next" or "Send"
    changes as the answers on the page change.
    """
    return next_page(definition, page_id, answers) is None


def ends_after(definition: SurveyDefinition, page_id: str, answers: Answers) -> bool | None:
    """Whether the survey ends after ``page_id`` *whatever* is answered on it.

    For a page drawn before its answers are known (a hosted page, with no script): ``True``
    only when every answer ends the survey there, ``False`` when every answer leads on, and
    ``None`` when it depends on the answers (a branch or a later page's ``show_if`` on this
    page's questions). A page's button says "Submit" only when this is ``True``, so no page
    that may lead to another is labelled as the end.
    """
    pending = {q.id: q.required for q in shown_on_page(definition, page_id, answers)}
    outcomes = _possible_next(definition, _index(definition, page_id), answers, pending)
    if outcomes == {None}:
        return True
    return None if None in outcomes else False


# --- questions and answers -----------------------------------------------------------------------


def shown_on_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> list[Question]:
    """The questions of one page that these answers show, in order (none for an unknown page)."""
    page = definition.page(page_id)
    return [q for q in page.questions if is_shown(q, answers)] if page else []


def visible_questions(definition: SurveyDefinition, answers: Answers) -> list[Question]:
    """The questions a respondent with these answers is shown, in order along their path."""
    return [
        question
        for page_id in respondent_path(definition, answers)
        for question in shown_on_page(definition, page_id, answers)
    ]


def is_missing(question: Question, answers: Answers) -> bool:
    """Whether a required question lacks an answer (a matrix: an answer for every row)."""
    if not question.required:
        return False
    value = answers.get(question.id)
    if isinstance(question, MatrixQuestion):
        return not isinstance(value, dict) or any(
            not is_answered(value.get(row.id)) for row in question.rows
        )
    return not is_answered(value)


def missing_on_page(definition: SurveyDefinition, page_id: str, answers: Answers) -> list[Question]:
    """The required questions of one page that these answers show and leave unanswered."""
    return [q for q in shown_on_page(definition, page_id, answers) if is_missing(q, answers)]


def missing_questions(definition: SurveyDefinition, answers: Answers) -> list[Question]:
    """The required questions on the respondent's path still unanswered: what stops completion."""
    return [q for q in visible_questions(definition, answers) if is_missing(q, answers)]


def hidden_answers(definition: SurveyDefinition, answers: Answers) -> list[str]:
    """The ids of the given answers that the respondent's path no longer shows, to be cleared.

    Clearing one answer can hide another (a condition on it no longer holds), so this repeats
    until nothing changes; each round clears at least one answer, so it ends.
    """
    kept = dict(answers)
    cleared: list[str] = []
    while True:
        shown = {q.id for q in visible_questions(definition, kept)}
        hidden = [k for k, v in kept.items() if is_answered(v) and k not in shown]
        if not hidden:
            return cleared
        cleared += hidden
        kept.update(dict.fromkeys(hidden))


def clear_hidden(definition: SurveyDefinition, answers: Answers) -> dict[str, Any]:
    """``answers`` with ``None`` for every answer the respondent's path no longer shows."""
    return {**answers, **dict.fromkeys(hidden_answers(definition, answers))}


# --- hosted pages: which pages may be opened, where to resume ------------------------------------


def open_pages(definition: SurveyDefinition, answers: Answers) -> list[str]:
    """The pages a respondent may open: their path up to the first page still missing answers.

    Opening a later page by its URL would let a respondent skip a required question, so
    those pages are closed until the earlier ones are answered.
    """
    path = respondent_path(definition, answers)
    for index, page_id in enumerate(path):
        if missing_on_page(definition, page_id, answers):
            return path[: index + 1]
    return path


def resume_page(definition: SurveyDefinition, answers: Answers) -> str | None:
    """The page to show a returning respondent: the first with a required answer missing.

    When nothing required is missing, the first page (their answers are shown, so they can
    check them and go on); ``None`` when the survey shows no page at all.
    """
    pages = open_pages(definition, answers)
    if pages and missing_on_page(definition, pages[-1], answers):
        return pages[-1]
    return pages[0] if pages else None


# --- pages by position ---------------------------------------------------------------------------


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


def _possible_next(
    definition: SurveyDefinition, index: int, answers: Answers, pending: dict[str, bool]
) -> set[str | None]:
    """Every page that may follow page ``index`` once ``pending`` is answered (``None``: end)."""
    outcomes: set[str | None] = set()
    for branch in definition.pages[index].branches:
        holds = True if branch.if_ is None else evaluate_ahead(branch.if_, answers, pending)
        target = None if branch.goto == END else _find(definition, branch.goto)
        if holds is False or (target is None and branch.goto != END):
            continue
        if target is None:
            outcomes.add(None)
        else:
            outcomes |= _possible_from(definition, target, answers, pending)
        if holds:
            return outcomes
    return outcomes | _possible_from(definition, index + 1, answers, pending)


def _possible_from(
    definition: SurveyDefinition, start: int, answers: Answers, pending: dict[str, bool]
) -> set[str | None]:
    """The pages that may be the first shown at or after ``start`` (``None``: none is)."""
    outcomes: set[str | None] = set()
    for page in definition.pages[start:]:
        shown = _is_shown_ahead(page, answers, pending)
        if shown is not False:
            outcomes.add(page.id)
        if shown:
            return outcomes
    return outcomes | {None}


def _is_shown_ahead(page: Page, answers: Answers, pending: dict[str, bool]) -> bool | None:
    return True if page.show_if is None else evaluate_ahead(page.show_if, answers, pending)
