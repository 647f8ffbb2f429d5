"""Journey-as-code: read a journey from YAML with line-accurate problems, and write one back.

ruamel.yaml's round-trip loader keeps the line of every key and list item, so each problem can
point at the line to fix; it never builds arbitrary Python objects (unknown tags stay inert values
that then fail validation). Validation itself is the pydantic models plus ``checks``; this module
only translates their findings into sentences with a line, a field and a fix. Pure code: imports
neither the store nor the web.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from journeyscope.errors import InvalidInput, Problem
from journeyscope.journey.checks import StageKeys, check_journey, find_duplicate_keys
from journeyscope.journey.models import Channel, JourneySpec, StageSpec, TouchpointSpec

Loc = tuple[str | int, ...]
Explainer = Callable[["_Finding"], tuple[str, str | None]]

_MAX_DEPTH = 32  # a journey nests 5 levels; deeper input is a mistake or an attack
_DOCS = "docs/journey-yaml.md"
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
_YAML_11 = VersionedResolver(version=(1, 1))  # to quote strings older readers take as non-text
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


# --- loading -----------------------------------------------------------------------------------


def load_journey_yaml(text: str, *, source: str = "<string>") -> JourneySpec:
    """Read one journey from YAML text, reporting every problem with its line.

    Args:
        text: The YAML document: one mapping with ``key``, ``name`` and ``stages``.
        source: What to call the text in the error message, usually its file path.

    Returns:
        The valid journey.

    Raises:
        InvalidInput: The text is not a valid journey; ``problems`` lists each one with its
            1-based line, dotted field path, the problem and the fix.
    """
    data, problems = _parse(text)
    spec = None
    if data is not None:
        spec, found = _validate(data, text.split("\n"))
        problems.extend(found)
    if spec is None or problems:
        raise _invalid(source, problems)
    return spec


def load_journey_file(path: Path) -> JourneySpec:
    """Read one journey from a UTF-8 YAML file (see :func:`load_journey_yaml`).

    Raises:
        InvalidInput: The file cannot be read, is not UTF-8, or is not a valid journey.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        fix = "Check the path, and that it names a readable file rather than a folder."
        raise _invalid(
            str(path), [Problem(None, f"Cannot read `{path}`: {reason}.", fix)]
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _invalid(str(path), [_not_utf8(raw, error)]) from error
    return load_journey_yaml(text, source=str(path))


def _invalid(source: str, problems: list[Problem]) -> InvalidInput:
    """Bundle the problems, first line first, into the error every door knows how to show."""
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    ordered = sorted(problems, key=lambda p: p.line or 0)
    hint = f"Fix each line listed, then validate again; the format is described in {_DOCS}."
    return InvalidInput(f"{source}: {count} in the journey file", hint=hint, problems=ordered)


def _not_utf8(raw: bytes, error: UnicodeDecodeError) -> Problem:
    """Point at the first byte that is not UTF-8."""
    line = raw.count(b"\n", 0, error.start) + 1
    return Problem(
        None,
        f"The file is not UTF-8 text (byte {raw[error.start]:#04x} cannot be decoded).",
        "Save the file as UTF-8 (most editors offer it under 'Save with encoding').",
        line,
    )


def _reader(*, allow_duplicate_keys: bool = False) -> YAML:
    """A fresh round-trip reader (instances are not thread-safe), capped in nesting depth."""
    yaml = YAML(typ="rt")
    yaml.max_depth = _MAX_DEPTH
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def _parse(text: str) -> tuple[CommentedMap | None, list[Problem]]:
    """Read the YAML into a mapping that remembers lines, or say why it cannot be used.

    The document is composed first (nodes, no values) to find duplicated mapping keys, anchored
    lists or mappings and explicit tags before any value is built, then loaded for its values.
    """
    try:
        root = _reader().compose(text)
    except ReaderError as error:
        return None, [_unreadable_character(error, text)]
    except YAMLError as error:
        return None, [_syntax_problem(error)]
    except RecursionError:
        return None, [Problem(None, _TOO_DEEP, _INDENT_FIX, 1)]
    if not isinstance(root, MappingNode):
        return None, [_not_a_mapping(root)]
    nodes = list(_nodes(root, ""))
    refused = [problem for node, path in nodes for problem in _refusals(node, path, text)]
    if refused:
        return None, refused
    duplicates = [p for node, path in nodes for p in _duplicate_mapping_keys(node, path)]
    try:
        return _reader(allow_duplicate_keys=True).load(text), duplicates
    except (YAMLError, ValueError, KeyError, TypeError) as error:  # e.g. a malformed merge key
        return None, [*duplicates, _unbuildable(error)]


_TOO_DEEP = "The YAML nests deeper than a journey can (journey, stages, touchpoints)."
_INDENT_FIX = "Check the indentation: a journey holds stages, which hold touchpoints."
_SYNTAX_FIXES = (
    ("'\\t'", "Indent with spaces, not tabs."),
    ("mapping values are not allowed", "Put the value in quotes: it contains ': '."),
    ("cannot start any token", "Put the value in quotes: it starts with a special character."),
    ("expected <block end>", "Line this field up with the fields around it."),
    ("undefined alias", "Write the value out in full instead of `*name`."),
)


def _syntax_problem(error: YAMLError) -> Problem:
    """Turn a ruamel parse error into a problem at the line of its marker."""
    if not isinstance(error, MarkedYAMLError):
        return Problem(None, f"The YAML cannot be read: {error}.", "Check the file's syntax.")
    if "expected a single document" in str(error.context):
        return Problem(
            None,
            "The file holds more than one YAML document (a second `---` starts here).",
            "Put each journey in its own file, and remove the `---` line.",
            _mark_line(error),
        )
    text = "; ".join(str(part) for part in (error.context, error.problem) if part)
    if "maximum depth" in text:
        return Problem(None, _TOO_DEEP, _INDENT_FIX, _mark_line(error))
    fix = next((fix for needle, fix in _SYNTAX_FIXES if needle in text), None)
    return Problem(
        None,
        f"YAML syntax error: {text}.",
        fix or "Check the indentation and quoting on this line and the one above.",
        _mark_line(error),
    )


def _unreadable_character(error: ReaderError, text: str) -> Problem:
    """Point at a control character that YAML does not allow in a file."""
    line = text.count("\n", 0, error.position) + 1
    code = f"U+{error.character:04X}" if isinstance(error.character, int) else "?"
    return Problem(
        None,
        f"The file contains a control character ({code}) that YAML does not allow.",
        'Delete it, or write it as an escape inside double quotes, e.g. "\\x1f".',
        line,
    )


def _mark_line(error: MarkedYAMLError) -> int | None:
    """The 1-based line where ruamel noticed the problem."""
    mark = error.problem_mark or error.context_mark
    return None if mark is None else mark.line + 1


def _not_a_mapping(root: Node | None) -> Problem:
    """Explain that a journey file must hold one mapping."""
    fix = "Start the file with `key:`, `name:` and `stages:` lines (see " + _DOCS + ")."
    if root is None:
        return Problem(None, "The file is empty: there is no journey in it.", fix, 1)
    what = "a list" if isinstance(root, SequenceNode) else "a single value"
    problem = f"The file holds {what}, but a journey is a mapping of fields."
    return Problem(None, problem, fix, root.start_mark.line + 1)


def _unbuildable(error: Exception) -> Problem:
    """A document that parses but whose values cannot be built (a last line of defence)."""
    if isinstance(error, YAMLError):
        return _syntax_problem(error)
    fix = "Remove YAML tags and merge keys (`<<`); a journey holds only text, lists and mappings."
    return Problem(None, f"A value in the YAML cannot be read ({error}).", fix)


def _nodes(node: Node, path: str, seen: set[int] | None = None) -> Iterator[tuple[Node, str]]:
    """Yield every node under ``node`` once, with its dotted path.

    An alias makes the composer reuse a node, so ``seen`` stops cycles and repeats.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node, path
    if isinstance(node, MappingNode):
        for key, child in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            yield from _nodes(child, _join(path, str(name)), seen)
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            yield from _nodes(child, f"{path}[{index}]", seen)


_EXPLICIT_TAG = re.compile(r"(?:&\S+\s+)?(![^\s,\[\]{}]*)")


def _refusals(node: Node, path: str, text: str) -> Iterator[Problem]:
    """Refuse what a journey never needs and that could hurt: anchored lists, explicit tags.

    Aliases of an anchored list or mapping could multiply the document's size; explicit tags
    (``!!int``, ``!!python/...``) would build values other than text.
    """
    line = node.start_mark.line + 1
    if node.anchor and not isinstance(node, ScalarNode):
        problem = f"An anchor (`&{node.anchor}`) on a list or mapping is not supported."
        fix = (
            "Write each stage and touchpoint out in full; anchors and aliases (`*name`) work "
            "only for single values, such as a shared description."
        )
        yield Problem(path or None, problem, fix, line)
    tag = _EXPLICIT_TAG.match(text, node.start_mark.index)
    if tag:
        problem = f"The YAML tag `{tag.group(1)}` is not supported: journeys hold only text."
        fix = "Remove the tag, and put the value in quotes if it should stay text."
        yield Problem(path or None, problem, fix, line)


def _duplicate_mapping_keys(node: Node, path: str) -> Iterator[Problem]:
    """Flag a key written twice in one mapping; YAML would silently keep only one value."""
    if not isinstance(node, MappingNode):
        return
    first_line: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode):
            continue
        line = key.start_mark.line + 1
        first = first_line.setdefault((str(key.tag), key.value), line)
        if first != line:
            yield Problem(
                _join(path, key.value),
                f"`{key.value}` is written twice in this mapping (first on line {first}).",
                f"Keep one `{key.value}:` line and delete the other.",
                line,
            )


def _join(path: str, name: str) -> str:
    """Extend a dotted field path by one field name."""
    return f"{path}.{name}" if path else name


def _validate(data: CommentedMap, lines: list[str]) -> tuple[JourneySpec | None, list[Problem]]:
    """Validate the loaded mapping, translating each finding to a problem with its line."""

    def where(path: str) -> str:
        return f"{path} (line {_line_at(data, _loc_of(path))})"

    try:
        spec = JourneySpec.model_validate(data)
    except ValidationError as error:
        problems = [_field_problem(e, data, lines) for e in error.errors(include_url=False)]
        problems += find_duplicate_keys(_raw_keys(data), where=where)
        return None, [_at_line(p, data) for p in problems]
    return spec, [_at_line(p, data) for p in check_journey(spec, where=where)]


def _raw_keys(data: CommentedMap) -> list[StageKeys]:
    """Pull stage and touchpoint keys out of a document that failed validation elsewhere."""
    stages = data.get("stages")
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


def _at_line(problem: Problem, data: CommentedMap) -> Problem:
    """Add the line of the problem's field, unless it has one already."""
    if problem.line is not None or problem.field is None:
        return problem
    line = _line_at(data, _loc_of(problem.field))
    return Problem(problem.field, problem.problem, problem.fix, line)


def _loc_of(path: str) -> Loc:
    """Turn ``stages[1].touchpoints[0].key`` back into ``("stages", 1, "touchpoints", 0, "key")``.

    The inverse of :func:`_dotted`, for the paths in problems from ``checks``.
    """
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(path))


def _line_at(data: CommentedMap, loc: Loc) -> int:
    """The 1-based line of the deepest part of ``loc`` that exists in the document.

    A missing field thus gets the line of the mapping that should hold it.
    """
    line: int = data.lc.line
    node: object = data
    for part in loc:
        try:
            if isinstance(node, CommentedMap):
                line = node.lc.key(part)[0]
            elif isinstance(node, CommentedSeq) and isinstance(part, int):
                line = node.lc.item(part)[0]
            else:
                break
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line + 1


def _written(data: CommentedMap, loc: Loc, lines: list[str]) -> str | None:
    """A scalar exactly as the file has it, e.g. ``007`` where YAML read the number 7."""
    parent: object = data
    for part in loc[:-1]:
        try:
            parent = parent[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    try:
        if isinstance(parent, CommentedMap):
            row, column = parent.lc.value(loc[-1])
        elif isinstance(parent, CommentedSeq):
            row, column = parent.lc.item(loc[-1])
        else:
            return None
    except (KeyError, IndexError, TypeError):
        return None
    token = re.split(r"\s#|[,\]}]", lines[row][column:])[0].strip() if row < len(lines) else ""
    return token or None


# --- explaining validation errors ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Finding:
    """One pydantic error, with the value as the user wrote it."""

    loc: Loc
    error: ErrorDetails
    written: str  # the value as written in the file when it is a scalar, else as Python has it

    @property
    def value(self) -> object:
        """The value that failed, as YAML read it."""
        return self.error["input"]


def _field_problem(error: ErrorDetails, data: CommentedMap, lines: list[str]) -> Problem:
    """Translate one pydantic error into a problem with a people-readable sentence and fix."""
    loc, value = tuple(error["loc"]), error["input"]
    field = _dotted(loc)
    scalar = not isinstance(value, str | dict | list) and value is not None
    written = (_written(data, loc, lines) if scalar else None) or str(value)
    if error["type"] == "invalid_key":  # the last part of loc is the key itself, not an index
        field, written = _join(_dotted(loc[:-1]), str(value)), str(value)
    problem, fix = _EXPLAINERS.get(error["type"], _explain_other)(_Finding(loc, error, written))
    return Problem(field or None, problem, fix, _line_at(data, loc))


def _dotted(loc: Loc) -> str:
    """Render a pydantic location as ``stages[2].touchpoints[0].channel``."""
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
    return path


def _label(loc: Loc) -> str:
    """The last field name in ``loc`` with any list index after it, e.g. ``customer_actions[1]``."""
    names = [i for i, part in enumerate(loc) if isinstance(part, str)]
    return _dotted(loc[names[-1] :]) if names else "the journey"


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
    """Say what YAML made of a value, to explain a wrong type."""
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
    purpose = _PURPOSES.get(name, "see " + _DOCS)
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
    """A mapping key that YAML read as something other than text."""
    fields = ", ".join(_model_at(finding.loc[:-1]).model_fields)
    return f"Field names must be text, but {_describe(finding)}.", f"Use one of: {fields}."


def _explain_enum(finding: _Finding) -> tuple[str, str | None]:
    """An unknown channel (the only enum in a journey); suggest the closest, list them all."""
    names = [c.value for c in Channel]
    guess = _closest(finding.written, names, _CHANNEL_ALIASES)
    listed = f"Channels are: {', '.join(names)}."
    fix = f"Did you mean `{guess}`? {listed}" if guess else f"Use one of them. {listed}"
    return f"Unknown channel `{_short(finding.written)}`.", fix


def _closest(word: str, choices: list[str], aliases: dict[str, str]) -> str | None:
    """The valid name the user most likely meant: same spelling, a known alias, or similar."""
    normal = re.sub(r"[\s.-]+", "_", word.strip().lower())
    if normal in choices:
        return normal
    if aliases.get(normal) in choices:
        return aliases[normal]
    matches = difflib.get_close_matches(normal, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _explain_pattern(finding: _Finding) -> tuple[str, str | None]:
    """A key that is not a lowercase slug; suggest one."""
    fix = (
        "Keys are lowercase slugs: letters a-z, digits, '-' and '_', starting with a letter or "
        f"digit, at most 63 characters. Try `{_slugify(finding.written)}`."
    )
    return f"`{_short(finding.written)}` is not a valid key.", fix


def _slugify(text: str) -> str:
    """Make a valid key from free text (accents dropped, other characters become '-')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower()).strip("-_")
    return slug[:63].rstrip("-_") or "my-key"


def _explain_string_type(finding: _Finding) -> tuple[str, str | None]:
    """Text was expected; say what YAML read instead."""
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
    fix = advice[:1].upper() + advice[1:] + "." if advice else f"See {_DOCS}."
    return f"`{_label(finding.loc)}` {what}.", fix


def _explain_other(finding: _Finding) -> tuple[str, str | None]:
    """Any other finding, in pydantic's own words."""
    message = finding.error["msg"]
    return f"`{_label(finding.loc)}`: {message}.", f"See {_DOCS} for what this field accepts."


_EXPLAINERS: dict[str, Explainer] = {
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


# --- writing -------------------------------------------------------------------------------------


def dump_journey_yaml(spec: JourneySpec) -> str:
    """Write a journey as readable YAML that :func:`load_journey_yaml` reads back unchanged.

    Fields come in a fixed order, empty optional fields are left out, multi-line text becomes a
    ``|`` block and strings that YAML 1.1 or 1.2 would read as something else (``007``, ``yes``,
    ``2024-01-01``) are quoted. A blank line separates the stages.
    """
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(_journey_map(spec), stream)
    return stream.getvalue()


def _journey_map(spec: JourneySpec) -> CommentedMap:
    """The journey as an ordered mapping ready to dump."""
    doc = _mapping(key=spec.key, name=spec.name, description=spec.description)
    stages = CommentedSeq([_stage_map(stage) for stage in spec.stages])
    for index in range(1, len(stages)):
        stages.yaml_set_comment_before_after_key(index, before="\n")
    doc["stages"] = stages
    return doc


def _stage_map(stage: StageSpec) -> CommentedMap:
    """One stage as an ordered mapping, without its empty optional fields."""
    item = _mapping(key=stage.key, name=stage.name, description=stage.description)
    if stage.customer_actions:
        item["customer_actions"] = CommentedSeq([_styled(a) for a in stage.customer_actions])
    if stage.touchpoints:
        item["touchpoints"] = CommentedSeq([_touchpoint_map(tp) for tp in stage.touchpoints])
    return item


def _touchpoint_map(touchpoint: TouchpointSpec) -> CommentedMap:
    """One touchpoint as an ordered mapping."""
    return _mapping(
        key=touchpoint.key,
        name=touchpoint.name,
        channel=touchpoint.channel.value,
        description=touchpoint.description,
    )


def _mapping(**fields: str) -> CommentedMap:
    """An ordered mapping of the non-empty text fields, each in its most readable safe style."""
    return CommentedMap((name, _styled(value)) for name, value in fields.items() if value)


def _styled(text: str) -> str:
    """Pick a scalar style: a ``|`` block for multi-line text, quotes where plain is ambiguous.

    Text with characters outside :data:`_VERBATIM` is double-quoted, the only style that escapes
    them; ruamel would otherwise write some of them raw where a reader sees a line break. The
    emitter still falls back to double quotes when a block cannot hold the text exactly (e.g.
    trailing spaces before a line break).
    """
    styled: str = text
    if not _VERBATIM.fullmatch(text):
        styled = DoubleQuotedScalarString(text)
    elif "\n" in text:
        styled = LiteralScalarString(text)
    elif _YAML_11.resolve(ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str":
        styled = SingleQuotedScalarString(text)
    return styled


_VERBATIM = re.compile(
    "[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
"""Text YAML can hold as it is: printable, without the characters that some readers take as line
breaks (CR, NEL, U+2028/9) or as a byte-order mark (U+FEFF)."""
