"""Import a SurveyJS survey (its JSON) into our definition, for the question types we share.

Teams moving from SurveyJS (or a tool that exports its format) keep their questions, choices,
translations, required flags and simple ``visibleIf`` logic. What maps:

=====================================  =========================================================
SurveyJS                               Journeyscope
=====================================  =========================================================
``radiogroup``, ``dropdown``           ``single_choice`` (``hasOther``/``showOtherItem``)
``checkbox``, ``tagbox``               ``multi_choice`` (``hasOther``, ``maxSelectedChoices``)
``comment`` / ``text``                 ``open_text``, multi-line / single-line
``rating``                             ``nps`` (0-10), ``csat``/``ces`` (1-5/1-7 when the wording
                                       says satisfaction/effort), else ``rating``; a
                                       ``"journeyscopeType"`` property on the element decides
``matrix``                             ``matrix``
``panel``                              its questions, flattened into the page
=====================================  =========================================================

Anything else (``html``, ``file``, ``matrixdynamic``, expressions we cannot read, ...) becomes a
problem naming the element, and the rest is still imported: the importer never raises on odd
input. Problem fields are SurveyJS paths (``pages[0].elements[2]``) so the author finds them in
their file; the checks of the imported definition follow, with our own field paths.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from journeyscope.errors import Problem
from journeyscope.surveys.models import (
    ID_PATTERN,
    LANG_PATTERN,
    OTHER,
    Question,
    SurveyDefinition,
)
from journeyscope.surveys.surveyjs_expressions import UnsupportedExpression, parse_expression
from journeyscope.surveys.validation import check_definition
from journeyscope.text import slugify as text_slug

_QUESTION = TypeAdapter[Question](Question)
_CHOICE_TYPES = {"radiogroup": "single_choice", "dropdown": "single_choice",
                 "checkbox": "multi_choice", "tagbox": "multi_choice"}  # fmt: skip
_RATING_WORDS = {"csat": r"satisf|csat", "ces": r"eas(y|ier)|effort|ces\b"}
_RATING_RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def import_surveyjs(data: Mapping[str, Any]) -> tuple[SurveyDefinition, list[Problem]]:
    """Read a SurveyJS survey JSON into a definition, with what could not be imported.

    Args:
        data: The parsed SurveyJS JSON (``{"title": ..., "pages": [{"elements": [...]}]}``; a
            survey with top-level ``elements`` or ``questions`` is read as one page).

    Returns:
        The definition (possibly with no pages, when nothing could be imported) and the
        problems: what was skipped or changed, then what :func:`check_definition` finds.
    """
    if not isinstance(data, Mapping):
        return _EMPTY, [Problem(None, "A SurveyJS survey is a JSON object.", "Send the object.")]
    reader = _Reader(_lang(data.get("locale")) or "en")
    pages = [
        page
        for i, raw in enumerate(_raw_pages(data))
        for page in reader.pages(f"pages[{i}]", raw, i)
    ]
    body = {
        "title": reader.text(data.get("title")) or "Imported survey",
        "description": reader.text(data.get("description")),
        "default_language": reader.default_lang,
        "languages": sorted(reader.languages - {reader.default_lang}),
        "pages": [page for page in pages if page["questions"]],
    }
    if data.get("completedHtml"):
        reader.skip("completedHtml", "The thank-you text is HTML, which we do not import.")
    try:
        definition = SurveyDefinition.model_validate(body)
    except ValidationError as error:
        reader.skip(None, f"The survey cannot be imported: {error.error_count()} problems.")
        return _EMPTY, reader.problems
    return definition, reader.problems + check_definition(definition)


_EMPTY = SurveyDefinition(title="Imported survey")


def _raw_pages(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    pages = data.get("pages")
    if isinstance(pages, list):
        return [page if isinstance(page, Mapping) else {} for page in pages]
    return [{"name": "page1", "elements": data.get("elements") or data.get("questions") or []}]


def _lang(value: object) -> str | None:
    """A SurveyJS locale as our language tag (``default`` and bad tags give ``None``)."""
    tag = value.strip().lower() if isinstance(value, str) else ""
    return tag if re.fullmatch(LANG_PATTERN, tag) else None


def slugify(text: str, fallback: str) -> str:
    """Make an id from a SurveyJS name or value (accents dropped, other characters → ``-``)."""
    slug = text_slug(text)
    return slug if re.fullmatch(ID_PATTERN, slug) else fallback


def _unique(wish: str, taken: set[str]) -> str:
    candidate, number = wish, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate, number = wish[: 63 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


@dataclass
class _Known:
    """A question imported so far, for reading later ``visibleIf`` expressions."""

    id: str
    type: str
    choice_ids: dict[str, str]


@dataclass
class _Reader:
    """The state of one import: languages seen, ids taken, questions by SurveyJS name."""

    default_lang: str
    languages: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    page_ids: set[str] = field(default_factory=set)
    known: dict[str, _Known] = field(default_factory=dict)

    def skip(self, where: str | None, problem: str, fix: str | None = None) -> None:
        self.problems.append(Problem(where, problem, fix or "Add it by hand after the import."))

    def text(self, value: object) -> Any:
        """A SurveyJS string or ``{"default": ..., "fr": ...}`` as our localized text."""
        if isinstance(value, str):
            return value.strip() or None
        if not isinstance(value, Mapping):
            return None
        texts = {}
        for tag, text in value.items():
            lang = self.default_lang if tag == "default" else _lang(tag)
            if lang and isinstance(text, str) and text.strip():
                texts[lang] = text.strip()
        self.languages |= set(texts)
        return texts or None

    def pages(self, path: str, raw: Mapping[str, Any], index: int) -> list[dict[str, Any]]:
        """One SurveyJS page, split where a question depends on one above it on the page."""
        name = str(raw.get("name") or f"page{index + 1}")
        slug = slugify(name, f"page-{index + 1}")
        title = self.text(raw.get("title"))
        show_if = self.condition(f"{path}.visibleIf", raw.get("visibleIf"))
        elements = raw.get("elements") or raw.get("questions") or []
        questions = self.elements(path, elements if isinstance(elements, list) else [])
        return [
            {
                "id": _unique(slug, self.page_ids),
                "title": title,
                "show_if": show_if,
                "questions": part,
            }
            for part in _split_on_dependencies(questions)
        ]

    def elements(self, path: str, elements: list[Any]) -> list[dict[str, Any]]:
        questions: list[dict[str, Any]] = []
        for n, raw in enumerate(elements):
            where = f"{path}.elements[{n}]"
            if isinstance(raw, Mapping) and raw.get("type") == "panel":
                questions += self.panel(where, raw)
            elif isinstance(raw, Mapping):
                questions += self.element(where, raw)
            else:
                self.skip(where, "This element is not a JSON object.", "Remove it.")
        return questions

    def panel(self, where: str, raw: Mapping[str, Any]) -> list[dict[str, Any]]:
        if raw.get("visibleIf"):
            self.skip(f"{where}.visibleIf", "Panel conditions are not imported; its questions are.")
        inner = raw.get("elements")
        return self.elements(where, inner if isinstance(inner, list) else [])

    def element(self, where: str, raw: Mapping[str, Any]) -> list[dict[str, Any]]:
        kind, name = raw.get("type"), str(raw.get("name") or "")
        build = _BUILDERS.get(str(kind))
        if build is None:
            self.skip(where, f"SurveyJS `{kind}` elements have no counterpart here; skipped.")
            return []
        question = {
            "id": slugify(name, "question") if name else "question",
            "text": self.text(raw.get("title")) or name or "Question",
            "description": self.text(raw.get("description")),
            "required": raw.get("isRequired") is True,
            "show_if": self.condition(f"{where}.visibleIf", raw.get("visibleIf")),
        }
        question.update(build(self, where, raw, question))
        return self.accept(where, name, question)

    def accept(self, where: str, name: str, question: dict[str, Any]) -> list[dict[str, Any]]:
        if question.get("type") is None:
            return []
        choice_ids: dict[str, str] = question.pop("_values", {})
        question["id"] = _unique(question["id"], self.ids)
        try:
            _QUESTION.validate_python(question)
        except ValidationError as error:
            first = error.errors()[0]
            place = ".".join(str(part) for part in first["loc"])
            self.skip(where, f"Cannot import `{name}`: {place}: {first['msg']}.")
            return []
        self.known[name] = _Known(question["id"], question["type"], choice_ids)
        return [question]

    def condition(self, where: str, expression: object) -> Any:
        if not isinstance(expression, str) or not expression.strip():
            return None
        try:
            return parse_expression(expression, self.resolve)
        except UnsupportedExpression as error:
            self.skip(
                where,
                f"Cannot import the condition `{expression}`: {error}. It is shown always.",
                "Write the condition in our format (docs/survey-json.md) after the import.",
            )
            return None

    def resolve(self, name: str, value: Any) -> tuple[str, Any]:
        known = self.known.get(name)
        if known is None:
            raise UnsupportedExpression(f"no earlier question is named `{name}`")
        if known.choice_ids:
            return known.id, _map_values(value, known.choice_ids)
        if known.type in ("nps", "csat", "ces", "rating") and isinstance(value, str):
            return known.id, int(value) if value.strip().lstrip("-").isdigit() else value
        return known.id, value


def _split_on_dependencies(questions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Cut a page before each question whose condition uses a question above it on the page.

    SurveyJS shows and hides questions live, on the same page; our conditions only use answers
    from earlier pages, so such a page becomes several pages in a row. Always at least one part.
    """
    parts: list[list[dict[str, Any]]] = [[]]
    for question in questions:
        above = {item["id"] for item in parts[-1]}
        if above & _referenced(question.get("show_if")):
            parts.append([])
        parts[-1].append(question)
    return parts


def _referenced(condition: Any) -> set[str]:
    """The question ids a JSON-shaped condition uses."""
    if not isinstance(condition, Mapping):
        return set()
    if "question" in condition:
        return {str(condition["question"])}
    inner = condition.get("all") or condition.get("any") or [condition.get("not")]
    return set().union(*(_referenced(item) for item in inner))


def _map_values(value: Any, ids: dict[str, str]) -> Any:
    """SurveyJS choice values → our choice ids (unknown values stay, for validation to name)."""
    if isinstance(value, list):
        return [ids.get(str(item), item) for item in value]
    return value if value is None else ids.get(str(value), value)


# --- one builder per element type ----------------------------------------------------------------


def _choices(
    reader: _Reader, raw: object, *, reserved: set[str]
) -> tuple[list[Any], dict[str, str]]:
    """SurveyJS choices (strings, numbers or ``{value, text}``) and their value → id map."""
    taken, choices, ids = set(reserved), [], {}
    for n, item in enumerate(raw if isinstance(raw, list) else []):
        value = item.get("value") if isinstance(item, Mapping) else item
        label = reader.text(item.get("text")) if isinstance(item, Mapping) else None
        ids[str(value)] = _unique(slugify(str(value), f"choice-{n + 1}"), taken)
        choices.append({"id": ids[str(value)], "label": label or str(value)})
    return choices, ids


def _choice(
    reader: _Reader, where: str, raw: Mapping[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    kind = _CHOICE_TYPES[str(raw["type"])]
    allow_other = raw.get("hasOther") is True or raw.get("showOtherItem") is True
    choices, ids = _choices(reader, raw.get("choices"), reserved={OTHER} if allow_other else set())
    if allow_other:
        ids[OTHER] = OTHER
    built = {"type": kind, "choices": choices, "allow_other": allow_other, "_values": ids}
    built["other_label"] = reader.text(raw.get("otherText")) if allow_other else None
    if kind == "multi_choice" and isinstance(raw.get("maxSelectedChoices"), int):
        built["max_selected"] = raw["maxSelectedChoices"] or None
    return built


def _text(reader: _Reader, where: str, raw: Mapping[str, Any], _: dict[str, Any]) -> dict[str, Any]:
    input_type = raw.get("inputType", "text")
    if raw.get("type") == "text" and input_type not in ("text", None):
        reader.skip(where, f"Imported as free text; the `{input_type}` input check is not kept.")
    built = {"type": "open_text", "multiline": raw.get("type") == "comment"}
    max_length = raw.get("maxLength")
    if isinstance(max_length, int) and 0 < max_length <= 20_000:
        built["max_length"] = max_length
    return built


def _matrix(
    reader: _Reader, where: str, raw: Mapping[str, Any], _: dict[str, Any]
) -> dict[str, Any]:
    rows, _ids = _choices(reader, raw.get("rows"), reserved=set())
    columns, _ids = _choices(reader, raw.get("columns"), reserved=set())
    return {"type": "matrix", "rows": rows, "columns": columns}


def _rating(
    reader: _Reader, where: str, raw: Mapping[str, Any], base: dict[str, Any]
) -> dict[str, Any]:
    low, high = _rating_range(raw)
    kind = _rating_kind(raw, base, low, high)
    built: dict[str, Any] = {"type": kind}
    if kind == "rating" and low != 1:
        reader.skip(where, f"A {low}-{high} rating cannot be imported: our ratings start at 1.")
        return {"type": None}
    if kind == "rating":
        built["scale"] = high
    style = {"stars": "stars", "smileys": "smileys"}.get(str(raw.get("rateType")), "numbers")
    built["style"] = style
    built["low_label"] = reader.text(raw.get("minRateDescription"))
    built["high_label"] = reader.text(raw.get("maxRateDescription"))
    return built


def _rating_range(raw: Mapping[str, Any]) -> tuple[int, int]:
    """The lowest and highest score of a SurveyJS rating (``rateValues`` count from 1)."""
    values = raw.get("rateValues")
    if isinstance(values, list) and values:
        return 1, len(values)
    low = raw.get("rateMin", 1)
    low = low if isinstance(low, int) else 1
    count = raw.get("rateCount", 5)
    high = raw.get("rateMax", low + (count if isinstance(count, int) else 5) - 1)
    return low, high if isinstance(high, int) else low + 4


def _rating_kind(raw: Mapping[str, Any], base: dict[str, Any], low: int, high: int) -> str:
    """Our own hint if it fits the range, else NPS for 0-10, CSAT/CES by wording, else rating."""
    hint = raw.get("journeyscopeType")
    if hint == "rating" or _RATING_RANGES.get(str(hint)) == (low, high):
        return str(hint)
    if (low, high) == (0, 10):
        return "nps"
    wording = f"{raw.get('name', '')} {base['text']}".lower()
    for kind, words in _RATING_WORDS.items():
        if _RATING_RANGES[kind] == (low, high) and re.search(words, wording):
            return kind
    return "rating"


_BUILDERS = {
    **dict.fromkeys(_CHOICE_TYPES, _choice),
    "comment": _text,
    "text": _text,
    "rating": _rating,
    "matrix": _matrix,
}
