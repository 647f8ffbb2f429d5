"""Check a whole survey definition and name each problem with its field and a fix.

Pydantic checks each field on its own (types, lengths, slugs); these checks look across the
survey: ids used twice, a page with nothing to ask, branches to pages that do not exist or back
to earlier ones, pages no respondent can reach, logic and pipes that use answers not given yet
(:mod:`~journeyscope.surveys.logic_checks`), texts without the default language.

Two levels, two functions. :func:`check_definition` returns what **blocks publishing**: a survey
with these problems would confuse respondents or lose answers. :func:`check_translations`
returns **warnings**: a text missing in a declared language still shows, in the fallback
language (see :mod:`~journeyscope.surveys.i18n`), so the survey works; the API and pages show
these next to the draft without refusing it. Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from journeyscope.errors import Problem
from journeyscope.surveys.i18n import iter_texts
from journeyscope.surveys.logic_checks import check_logic, check_pipes
from journeyscope.surveys.models import END, OTHER, Page, Question, SurveyDefinition


def check_definition(definition: SurveyDefinition) -> list[Problem]:
    """Find what stops a survey from being published; empty when it can be.

    Returns:
        Problems in this order: structure (empty survey or pages, ids), branches,
        reachability, logic, pipes, default-language texts. Each has a dotted ``field``
        (``pages[1].questions[0].show_if.value``), the ``problem`` and the ``fix``.
    """
    if not definition.pages:
        return [
            Problem(
                "pages",
                "The survey has no pages, so it asks nothing.",
                'Add a page with at least one question: `"pages": [{"id": "main", '
                '"questions": [...]}]`.',
            )
        ]
    return [
        *_check_structure(definition),
        *_check_branches(definition),
        *_check_reachable(definition),
        *check_logic(definition),
        *check_pipes(definition),
        *_check_default_language(definition),
    ]


def check_translations(definition: SurveyDefinition) -> list[Problem]:
    """Find texts missing in a declared language, or written in an undeclared one (warnings).

    A missing translation falls back to the default language, so these never block
    publishing; they tell the author what respondents in that language will see in English.
    """
    declared = {
        definition.default_language.lower(),
        *(lang.lower() for lang in definition.languages),
    }
    others = sorted(declared - {definition.default_language.lower()})
    problems = []
    for field, text, _ in iter_texts(definition):
        written = {definition.default_language.lower()} if isinstance(text, str) else set(text)
        written = {lang.lower() for lang in written}
        if missing := [lang for lang in others if lang not in written]:
            problems.append(_missing_translation(field, missing, definition.default_language))
        if extra := sorted(written - declared):
            problems.append(_undeclared_language(field, extra))
    return problems


# --- structure -----------------------------------------------------------------------------------


def _check_structure(definition: SurveyDefinition) -> Iterator[Problem]:
    """Empty pages, reserved and repeated ids."""
    pages = [(f"pages[{i}]", page) for i, page in enumerate(definition.pages)]
    for path, page in pages:
        if not page.questions:
            yield Problem(
                f"{path}.questions",
                f"Page `{page.id}` has no questions.",
                "Add a question to it, or remove the page.",
            )
        if page.id == END:
            yield Problem(
                f"{path}.id", "`end` is reserved: `goto: end` ends the survey.", "Rename the page."
            )
    yield from _repeats(((f"{path}.id", page.id) for path, page in pages), "Page")
    questions = [
        (f"{path}.questions[{j}]", question)
        for path, page in pages
        for j, question in enumerate(page.questions)
    ]
    yield from _repeats(((f"{path}.id", q.id) for path, q in questions), "Question")
    for path, question in questions:
        yield from _check_options(path, question)


def _check_options(path: str, question: Question) -> Iterator[Problem]:
    """Repeated choice, row or column ids within one question, and a choice named ``other``."""
    for name in ("choices", "rows", "columns"):
        options = getattr(question, name, [])
        noun = {"choices": "Choice", "rows": "Row", "columns": "Column"}[name]
        entries = ((f"{path}.{name}[{k}].id", option.id) for k, option in enumerate(options))
        yield from _repeats(entries, noun)
    if getattr(question, "allow_other", False):
        for k, choice in enumerate(getattr(question, "choices", [])):
            if choice.id == OTHER:
                yield Problem(
                    f"{path}.choices[{k}].id",
                    "`other` is reserved for the free-text answer that `allow_other` adds.",
                    "Rename this choice, or remove it and keep `allow_other` (label it with "
                    "`other_label`).",
                )


def _repeats(entries: Iterable[tuple[str, str]], noun: str) -> Iterator[Problem]:
    """A problem for every id already used at an earlier field."""
    first_use: dict[str, str] = {}
    for field, key in entries:
        first = first_use.setdefault(key, field)
        if first != field:
            yield Problem(
                field,
                f"{noun} id `{key}` is used twice: {first.removesuffix('.id')} already has it.",
                f"Give every {noun.lower()} its own id, e.g. `{key}-2`; answers and analytics "
                "find it by its id.",
            )


# --- branches and reachability -------------------------------------------------------------------


def _check_branches(definition: SurveyDefinition) -> Iterator[Problem]:
    """Branches to missing or earlier pages, and branches after one that always applies."""
    position = {page.id: i for i, page in reversed(list(enumerate(definition.pages)))}
    known = ", ".join(f"`{page.id}`" for page in definition.pages)
    for i, page in enumerate(definition.pages):
        for k, branch in enumerate(page.branches):
            field = f"pages[{i}].branches[{k}]"
            if any(earlier.if_ is None for earlier in page.branches[:k]):
                yield Problem(
                    field,
                    "This branch is never used: an earlier branch of the page has no `if`, so it "
                    "always applies.",
                    "Remove this branch, or give the earlier one an `if`.",
                )
            target = position.get(branch.goto, -1) if branch.goto != END else len(definition.pages)
            if problem := _bad_target(branch.goto, target, i, known):
                yield Problem(f"{field}.goto", *problem)


def _bad_target(goto: str, target: int, index: int, known: str) -> tuple[str, str] | None:
    """Whether a branch target is missing (``target`` -1) or not after the page; why if so."""
    if target < 0:
        return (
            f"Goes to page `{goto}`, which this survey does not have.",
            f"Use one of the pages ({known}) or `end`.",
        )
    if target <= index:
        return (
            f"Goes back to page `{goto}`; respondents would go round in a loop.",
            "Branches may only jump forward (or to `end`); move the pages if needed.",
        )
    return None


def reachable_pages(definition: SurveyDefinition) -> set[int]:
    """The positions of pages some respondent can reach, given branches and ``show_if``.

    Conditions are taken as able to go either way (only a branch without ``if`` is certain), so
    a page counted reachable may still never be shown; one left out never is.
    """
    position = {page.id: i for i, page in reversed(list(enumerate(definition.pages)))}
    seen: set[int] = set()
    todo = _landings(definition.pages, 0)
    while todo:
        index = todo.pop()
        if index not in seen:
            seen.add(index)
            todo |= _exits(definition.pages, index, position)
    return seen


def _exits(pages: list[Page], index: int, position: dict[str, int]) -> set[int]:
    """The pages a respondent may land on after page ``index``."""
    exits: set[int] = set()
    for branch in pages[index].branches:
        if branch.goto in position:
            exits |= _landings(pages, position[branch.goto])
        if branch.if_ is None:
            return exits
    return exits | _landings(pages, index + 1)


def _landings(pages: list[Page], start: int) -> set[int]:
    """Pages shown when heading for ``start``: it, and the next ones while each may be skipped."""
    landings: set[int] = set()
    for index in range(start, len(pages)):
        landings.add(index)
        if pages[index].show_if is None:
            break
    return landings


def _check_reachable(definition: SurveyDefinition) -> Iterator[Problem]:
    """A problem for each page (and so its questions) that no path reaches."""
    reachable = reachable_pages(definition)
    for i, page in enumerate(definition.pages):
        if i not in reachable:
            asked = ", ".join(f"`{q.id}`" for q in page.questions) or "none"
            yield Problem(
                f"pages[{i}]",
                f"No respondent can reach page `{page.id}`, so its questions ({asked}) are never "
                "asked: every way there is cut off by a branch without `if` on an earlier page.",
                "Give that branch an `if`, branch to this page from somewhere, or remove the page.",
            )


# --- languages -----------------------------------------------------------------------------------


def _check_default_language(definition: SurveyDefinition) -> Iterator[Problem]:
    """Texts that have translations but not the default language, the last fallback."""
    default = definition.default_language.lower()
    for field, text, _ in iter_texts(definition):
        if isinstance(text, dict) and default not in {lang.lower() for lang in text}:
            yield Problem(
                field,
                f"This text has no `{definition.default_language}` version, the survey's default "
                "language, which is what respondents in any other language fall back to.",
                f'Add `"{definition.default_language}": "..."` to it.',
            )


def _missing_translation(field: str, missing: list[str], default: str) -> Problem:
    """A warning: the text will show in the fallback language for these languages."""
    langs = ", ".join(f"`{lang}`" for lang in missing)
    return Problem(
        field,
        f"No translation for {langs}; respondents in that language will see the `{default}` text.",
        'Write the text as a mapping with every language, e.g. {"en": "...", "fr": "..."}.',
    )


def _undeclared_language(field: str, extra: list[str]) -> Problem:
    """A warning: a translation in a language the survey does not declare (often a typo)."""
    langs = ", ".join(f"`{lang}`" for lang in extra)
    return Problem(
        field,
        f"Written in {langs}, which the survey does not list in `languages`.",
        "Add the language to `languages`, or fix the language tag.",
    )
