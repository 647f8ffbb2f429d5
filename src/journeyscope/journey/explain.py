"""Explain why some data is not a valid journey, in sentences with a field, a line and a fix.

Pydantic says *what* failed (``string_pattern_mismatch`` at ``("key",)``); this module says it
the way a person fixes a journey file: "`Shop Journey` is not a valid key. Try `shop-journey`."
It suggests the field or channel that was probably meant (a list of common synonyms, then
:mod:`difflib`), says what a missing field is for, and shows a value as it was written
(``007``, not the ``7`` that YAML read). It knows nothing about YAML: the reader of a format
passes callables that find the line and the written text of a location, and the same words can
serve a JSON body. Pure code: imports neither the store nor the web.

Locations (:data:`Loc`) and dotted paths are relative to the journey itself, as in
``("stages", 2, "touchpoints", 0, "channel")`` and ``stages[2].touchpoints[0].channel``; a door
whose errors start with its own prefix (FastAPI's ``"body"``) drops it first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import get_args

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from journeyscope.errors import Problem, dotted_path
from journeyscope.journey.checks import StageKeys, Where, find_duplicate_keys
from journeyscope.journey.models import Channel, JourneySpec, StageSpec, TouchpointSpec
from journeyscope.text import slugify

Loc = tuple[str | int, ...]
"""A place in a journey, as pydantic gives it: field names and 0-based list positions."""

LineOf = Callable[[Loc], int | None]
"""Finds the 1-based source line of a location (or of the mapping that should hold it)."""

WrittenOf = Callable[[Loc], str | None]
"""Finds a scalar exactly as the source has it (``007`` where YAML read the number 7)."""

FORMAT_DOCS = "docs/journey-yaml.md"
"""Where the journey format is described; messages send people there."""

_NOUNS: dict[type[BaseModel], str] = {
    JourneySpec: "journey",
    StageSpec: "stage",
    TouchpointSpec: "touchpoint",
}
_PURPOSES = {
    "key": "the short slug that identifies it when the file is applied again, e.g. `purchase`",
    "name": "the human-readable name shown on the journey map",
    "channel": "where the customer meets you: " + ", ".join(c.value for c in Channel),
}
_FIELD_ALIASES = {
    "id": "key",
    "slug": "key",
    "title": "name",
    "desc": "description",
    "summary": "description",
    "actions": "customer_actions",
    "steps": "stages",
    "phases": "stages",
    "type": "channel",
    "medium": "channel",
}
_CHANNEL_ALIASES = {
    **dict.fromkeys(["store", "shop", "kiosk", "qr", "qr_code", "in_store", "on_site"], "onsite"),
    **dict.fromkeys(["mail", "e_mail", "newsletter"], "email"),
    **dict.fromkeys(["phone", "call", "telesales", "callcenter", "contact_center"], "call_center"),
    **dict.fromkeys(["app", "mobile", "mobile_app", "inapp"], "in_app"),
    **dict.fromkeys(["web", "site", "web_site", "online", "webpage"], "website"),
    **dict.fromkeys(["text", "text_message"], "sms"),
}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def explain_errors(
    errors: Iterable[ErrorDetails],
    *,
    line_of: LineOf | None = None,
    written_of: WrittenOf | None = None,
) -> list[Problem]:
    """Turn the errors of validating a :class:`JourneySpec` into people-readable problems.

    Args:
        errors: Pydantic's error details, e.g. ``ValidationError.errors(include_url=False)``,
            with locations relative to the journey.
        line_of: Finds the line of a location; without it, problems have no line.
        written_of: Finds a scalar value as written in the source, to quote it exactly; it is
            asked only about values that are neither text, lists, mappings nor empty. Without
            it (or when it answers ``None``), values are quoted as Python has them.

    Returns:
        One problem per error, in the order given, each with the dotted field path, the
        problem, the fix and (with ``line_of``) the line.
    """
    return [_explain(error, line_of, written_of) for error in errors]


def add_lines(problems: Iterable[Problem], *, line_of: LineOf) -> list[Problem]:
    """Give each problem the line of its field, unless it has a line already or no field.

    Problems from :mod:`~journeyscope.journey.checks` carry only a dotted path; this is how a
    source format adds its line numbers to them.
    """
    return [_with_line(problem, line_of) for problem in problems]


def find_raw_duplicate_keys(data: object, *, where: Where = str) -> list[Problem]:
    """Find stage and touchpoint keys used twice in a journey that failed field validation.

    Each problem is otherwise reported alone, so a file with a bad channel *and* a reused key
    gets both at once. Only keys that are text count; stages or touchpoints that are not
    mappings, and a ``stages`` that is not a list, are skipped (their own errors explain them).

    Args:
        data: The mapping that was validated, as read from the source.
        where: Renders the path of an earlier use, as in
            :func:`~journeyscope.journey.checks.find_duplicate_keys`.
    """
    return find_duplicate_keys(_raw_keys(data), where=where)


def parse_path(path: str) -> Loc:
    """Turn ``stages[1].touchpoints[0].key`` back into ``("stages", 1, "touchpoints", 0, "key")``.

    The inverse of :func:`dotted_path` for field names without ``.``, ``[`` or ``]``, which
    are all that a valid journey has.
    """
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(path))


# --- from one error to one problem --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Finding:
    """One pydantic error, with the value as the user wrote it."""

    loc: Loc
    error: ErrorDetails
    written: str  # the value as written in the source when it is a scalar, else as Python has it

    @property
    def value(self) -> object:
        """The value that failed, as the source's reader built it."""
        return self.error["input"]


_Explainer = Callable[[_Finding], tuple[str, str | None]]


def _explain(error: ErrorDetails, line_of: LineOf | None, written_of: WrittenOf | None) -> Problem:
    """Translate one pydantic error into a problem with a people-readable sentence and fix."""
    loc, value = tuple(error["loc"]), error["input"]
    field = dotted_path(loc)
    scalar = not isinstance(value, str | dict | list) and value is not None
    written = (written_of(loc) if scalar and written_of else None) or str(value)
    if error["type"] == "invalid_key":  # the last part of loc is the key itself, not an index
        field, written = dotted_path((*loc[:-1], str(value))), str(value)
    problem, fix = _EXPLAINERS.get(error["type"], _explain_other)(_Finding(loc, error, written))
    return Problem(field or None, problem, fix, line_of(loc) if line_of else None)


def _with_line(problem: Problem, line_of: LineOf) -> Problem:
    """Add the line of the problem's field, unless it has one already."""
    if problem.line is not None or problem.field is None:
        return problem
    line = line_of(parse_path(problem.field))
    return Problem(problem.field, problem.problem, problem.fix, line)


def _raw_keys(data: object) -> list[StageKeys]:
    """Pull stage and touchpoint keys out of a document that failed validation elsewhere."""
    stages = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(stages, list):
        return []
    return [(_raw_key(stage), [_raw_key(tp) for tp in _raw_list(stage)]) for stage in stages]


def _raw_key(item: object) -> str | None:
    """The stripped ``key`` of a mapping, or ``None`` when it has no usable one."""
    key = item.get("key") if isinstance(item, dict) else None
    return key.strip() if isinstance(key, str) else None


def _raw_list(stage: object) -> list[object]:
    """The touchpoints of a stage, or nothing when they are not a list."""
    touchpoints = stage.get("touchpoints") if isinstance(stage, dict) else None
    return touchpoints if isinstance(touchpoints, list) else []


# --- words for places and values -----------------------------------------------------------------


def _label(loc: Loc) -> str:
    """The last field name in ``loc`` with any list index after it, e.g. ``customer_actions[1]``."""
    names = [i for i, part in enumerate(loc) if isinstance(part, str)]
    return dotted_path(loc[names[-1] :]) if names else "the journey"


def _model_at(loc: Loc) -> type[BaseModel]:
    """The model that the mapping at ``loc`` should match, found by following the fields."""
    model: type[BaseModel] = JourneySpec
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = _inner_model(field.annotation) if field else None
        if inner is not None:
            model = inner
    return model


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The model inside an annotation such as ``list[StageSpec]``, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_inner_model, get_args(annotation))), None)


def _noun(loc: Loc) -> str:
    """What the mapping at ``loc`` is, in words."""
    return _NOUNS[_model_at(loc)]


def _describe(finding: _Finding) -> str:
    """Say what the reader made of a value, to explain a wrong type."""
    value, written = finding.value, finding.written
    if value is None:
        return "it is empty"
    if isinstance(value, bool):
        return f"`{written}` reads as true/false"
    if isinstance(value, int | float):
        return f"`{written}` reads as a number"
    if isinstance(value, dt.date):
        return f"`{written}` reads as a date"
    if isinstance(value, dict):
        return "it is a mapping (`field: value` lines)"
    if isinstance(value, list):
        return "it is a list"
    if isinstance(value, str):
        return f"it is the text `{_short(value)}`"
    return f"it is a tagged value (`{_short(written)}`)"


def _short(text: str, limit: int = 40) -> str:
    """Shorten text for quoting it in a message."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _closest(word: str, choices: list[str], aliases: dict[str, str]) -> str | None:
    """The valid name the user most likely meant: same spelling, a known alias, or similar."""
    normal = re.sub(r"[\s.-]+", "_", word.strip().lower())
    if normal in choices:
        return normal
    if aliases.get(normal) in choices:
        return aliases[normal]
    matches = difflib.get_close_matches(normal, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


# --- one explainer per kind of pydantic error ----------------------------------------------------


_NO_STAGES = (
    "The journey has no stages.",
    "Add a `stages:` list with at least one stage (each with `key` and `name`), "
    "in the order customers go through them.",
)


def _explain_missing(finding: _Finding) -> tuple[str, str | None]:
    """A required field is absent."""
    if finding.loc == ("stages",):
        return _NO_STAGES
    name = str(finding.loc[-1])
    purpose = _PURPOSES.get(name, "see " + FORMAT_DOCS)
    return f"The {_noun(finding.loc[:-1])} has no `{name}`.", f"Add `{name}:`, {purpose}."


def _explain_extra(finding: _Finding) -> tuple[str, str | None]:
    """A field that the model does not know; suggest the closest valid one."""
    name, model = str(finding.loc[-1]), _model_at(finding.loc[:-1])
    fields = list(model.model_fields)
    allowed = f"A {_NOUNS[model]} may have: {', '.join(fields)}."
    guess = _closest(name, fields, _FIELD_ALIASES)
    fix = f"Did you mean `{guess}`? {allowed}" if guess else f"Remove it. {allowed}"
    return f"Unknown field `{_short(name)}` in this {_NOUNS[model]}.", fix


def _explain_invalid_key(finding: _Finding) -> tuple[str, str | None]:
    """A mapping key that the reader built as something other than text."""
    fields = ", ".join(_model_at(finding.loc[:-1]).model_fields)
    return f"Field names must be text, but {_describe(finding)}.", f"Use one of: {fields}."


def _explain_enum(finding: _Finding) -> tuple[str, str | None]:
    """An unknown channel (the only enum in a journey); suggest the closest, list them all."""
    names = [c.value for c in Channel]
    guess = _closest(finding.written, names, _CHANNEL_ALIASES)
    listed = f"Channels are: {', '.join(names)}."
    fix = f"Did you mean `{guess}`? {listed}" if guess else f"Use one of them. {listed}"
    return f"Unknown channel `{_short(finding.written)}`.", fix


def _explain_pattern(finding: _Finding) -> tuple[str, str | None]:
    """A key that is not a lowercase slug; suggest one."""
    fix = (
        "Keys are lowercase slugs: letters a-z, digits, '-' and '_', starting with a letter or "
        f"digit, at most 63 characters. Try `{slugify(finding.written) or 'my-key'}`."
    )
    return f"`{_short(finding.written)}` is not a valid key.", fix


def _explain_string_type(finding: _Finding) -> tuple[str, str | None]:
    """Text was expected; say what the reader built instead."""
    label = _label(finding.loc)
    problem = f"`{label}` should be text, but {_describe(finding)}."
    if finding.value is None:
        return problem, f"Write a value after `{label}:`, or remove the line."
    if isinstance(finding.value, dict | list):
        return problem, "Write it as one line of text, or as a `|` block for several lines."
    return problem, f'Put the value in quotes, e.g. "{_short(finding.written)}", so it stays text.'


def _explain_list_type(finding: _Finding) -> tuple[str, str | None]:
    """A list was expected."""
    if finding.loc == ("stages",) and finding.value is None:
        return _NO_STAGES
    problem = f"`{_label(finding.loc)}` should be a list, but {_describe(finding)}."
    return problem, "Put each item on its own line, starting with `- `."


def _explain_model_type(finding: _Finding) -> tuple[str, str | None]:
    """A stage or touchpoint was expected, as a mapping of fields."""
    noun = _noun(finding.loc)
    problem = f"Each {noun} must be a mapping of fields, but {_describe(finding)}."
    return problem, f"Write the {noun} as `key: ...` and `name: ...` lines under its `- `."


def _explain_too_short(finding: _Finding) -> tuple[str, str | None]:
    """An empty list of stages, or an empty text."""
    if finding.loc == ("stages",):
        return _NO_STAGES
    label = _label(finding.loc)
    if isinstance(finding.loc[-1], int):
        return f"`{label}` is empty.", "Write the text, or delete the empty `- ` line."
    return f"`{label}` is empty.", f"Write some text after `{label}:`."


def _explain_too_long(finding: _Finding) -> tuple[str, str | None]:
    """A text longer than the model allows."""
    ctx = finding.error.get("ctx") or {}
    size, limit = ctx.get("actual_length") or len(finding.written), ctx.get("max_length")
    problem = f"`{_label(finding.loc)}` is {size:,} characters long; at most {limit:,} are allowed."
    return problem, "Shorten it; keep long notes in interviews or findings instead."


def _explain_value_error(finding: _Finding) -> tuple[str, str | None]:
    """A custom validator refused the value; its message reads "what is wrong; what to do"."""
    reason = str((finding.error.get("ctx") or {}).get("error") or finding.error["msg"])
    what, _, advice = reason.partition("; ")
    fix = advice[:1].upper() + advice[1:] + "." if advice else f"See {FORMAT_DOCS}."
    return f"`{_label(finding.loc)}` {what}.", fix


def _explain_other(finding: _Finding) -> tuple[str, str | None]:
    """Any other finding, in pydantic's own words."""
    message = finding.error["msg"]
    return f"`{_label(finding.loc)}`: {message}.", f"See {FORMAT_DOCS} for what this field accepts."


_EXPLAINERS: dict[str, _Explainer] = {
    "missing": _explain_missing,
    "extra_forbidden": _explain_extra,
    "invalid_key": _explain_invalid_key,
    "enum": _explain_enum,
    "string_pattern_mismatch": _explain_pattern,
    "string_type": _explain_string_type,
    "list_type": _explain_list_type,
    "model_type": _explain_model_type,
    "model_attributes_type": _explain_model_type,
    "too_short": _explain_too_short,
    "string_too_short": _explain_too_short,
    "string_too_long": _explain_too_long,
    "too_long": _explain_too_long,
    "value_error": _explain_value_error,
}
