"""Journey-as-code: read a journey from YAML with line-accurate problems, and write one back.

ruamel.yaml's round-trip loader keeps the line of every key and list item, so each problem can
point at the line to fix; it never builds arbitrary Python objects (unknown tags stay inert values
that then fail validation). Validation itself is the pydantic models plus ``checks``, and
``explain`` puts their findings into words; this module reports what is wrong with the YAML
itself, and finds the line and the written text of each finding. A journey's ``rules`` are
checked by a function the caller passes (orchestration owns their format); this module only adds
the lines. Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError
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

from journeyscope.errors import InvalidInput, Problem, dotted_path
from journeyscope.journey.checks import check_journey
from journeyscope.journey.explain import (
    FORMAT_DOCS,
    Loc,
    add_lines,
    explain_errors,
    find_raw_duplicate_keys,
    parse_path,
)
from journeyscope.journey.models import JourneySpec, RuleMapping, StageSpec, TouchpointSpec

RuleCheck = Callable[[Sequence[RuleMapping]], list[Problem]]
"""Checks a journey's raw ``rules``; problems name fields as ``rules[2].condition``."""

_MAX_DEPTH = 32  # a journey nests 5 levels; deeper input is a mistake or an attack
_YAML_11 = VersionedResolver(version=(1, 1))  # to quote strings older readers take as non-text


# --- loading -----------------------------------------------------------------------------------


def load_journey_yaml(
    text: str, *, source: str = "<string>", check_rules: RuleCheck | None = None
) -> JourneySpec:
    """Read one journey from YAML text, reporting every problem with its line.

    Args:
        text: The YAML document: one mapping with ``key``, ``name`` and ``stages``.
        source: What to call the text in the error message, usually its file path.
        check_rules: Checks the fields of the journey's ``rules`` (orchestration's
            ``check_journey_rules``); without it, rules are only checked to be mappings.

    Returns:
        The valid journey.

    Raises:
        InvalidInput: The text is not a valid journey; ``problems`` lists each one with its
            1-based line, dotted field path, the problem and the fix.
    """
    data, problems = _parse(text)
    spec = None
    if data is not None:
        spec, found = _validate(data, text.split("\n"), check_rules)
        problems.extend(found)
    if spec is None or problems:
        raise _invalid(source, problems)
    return spec


def load_journey_file(path: Path, *, check_rules: RuleCheck | None = None) -> JourneySpec:
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
    return load_journey_yaml(text, source=str(path), check_rules=check_rules)


def locate_in_file(error: InvalidInput, path: Path) -> InvalidInput:
    """``error`` with the line in ``path`` of each problem whose field the file has.

    For problems found after loading, e.g. when applying a journey's rules meets a survey that
    is not published; the file is read again. An unreadable file leaves the error as it is.
    """
    try:
        data = _reader(allow_duplicate_keys=True).load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YAMLError, ValueError, RecursionError):
        return error
    if not isinstance(data, CommentedMap):
        return error
    problems = add_lines(error.problems, line_of=lambda loc: _line_at(data, loc))
    return InvalidInput(f"{path}: {error.message}", hint=error.hint, problems=problems)


def _invalid(source: str, problems: list[Problem]) -> InvalidInput:
    """Bundle the problems, first line first, into the error every door knows how to show."""
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    ordered = sorted(problems, key=lambda p: p.line or 0)
    hint = f"Fix each line listed, then validate again; the format is described in {FORMAT_DOCS}."
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
    nodes = list(_nodes(root, ()))
    refused = [problem for node, loc in nodes for problem in _refusals(node, loc, text)]
    if refused:
        return None, refused
    duplicates = [p for node, loc in nodes for p in _duplicate_mapping_keys(node, loc)]
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
    fix = "Start the file with `key:`, `name:` and `stages:` lines (see " + FORMAT_DOCS + ")."
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


def _nodes(node: Node, loc: Loc, seen: set[int] | None = None) -> Iterator[tuple[Node, Loc]]:
    """Yield every node under ``node`` once, with its location.

    An alias makes the composer reuse a node, so ``seen`` stops cycles and repeats.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node, loc
    if isinstance(node, MappingNode):
        for key, child in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            yield from _nodes(child, (*loc, str(name)), seen)
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            yield from _nodes(child, (*loc, index), seen)


_EXPLICIT_TAG = re.compile(r"(?:&\S+\s+)?(![^\s,\[\]{}]*)")


def _refusals(node: Node, loc: Loc, text: str) -> Iterator[Problem]:
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
        yield Problem(dotted_path(loc) or None, problem, fix, line)
    tag = _EXPLICIT_TAG.match(text, node.start_mark.index)
    if tag:
        problem = f"The YAML tag `{tag.group(1)}` is not supported: journeys hold only text."
        fix = "Remove the tag, and put the value in quotes if it should stay text."
        yield Problem(dotted_path(loc) or None, problem, fix, line)


def _duplicate_mapping_keys(node: Node, loc: Loc) -> Iterator[Problem]:
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
                dotted_path((*loc, key.value)),
                f"`{key.value}` is written twice in this mapping (first on line {first}).",
                f"Keep one `{key.value}:` line and delete the other.",
                line,
            )


def _validate(
    data: CommentedMap, lines: list[str], check_rules: RuleCheck | None
) -> tuple[JourneySpec | None, list[Problem]]:
    """Validate the loaded mapping, translating each finding to a problem with its line."""

    def line_of(loc: Loc) -> int:
        return _line_at(data, loc)

    def written_of(loc: Loc) -> str | None:
        return _written(data, loc, lines)

    def where(path: str) -> str:
        return f"{path} (line {line_of(parse_path(path))})"

    try:
        spec = JourneySpec.model_validate(data)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        problems = explain_errors(errors, line_of=line_of, written_of=written_of)
        problems += find_raw_duplicate_keys(data, where=where)
        return None, add_lines(problems, line_of=line_of)
    problems = check_journey(spec, where=where)
    if spec.rules and check_rules is not None:
        problems += check_rules(spec.rules)
    return spec, add_lines(problems, line_of=line_of)


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
    if spec.rules is not None:
        rules = CommentedSeq([_plain(rule) for rule in spec.rules])
        for index in range(1, len(rules)):
            rules.yaml_set_comment_before_after_key(index, before="\n")
        doc["rules"] = rules
        doc.yaml_set_comment_before_after_key("rules", before="\n")
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
    item = _mapping(
        key=touchpoint.key,
        name=touchpoint.name,
        channel=touchpoint.channel.value,
        description=touchpoint.description,
    )
    if touchpoint.quarantine_days is not None:
        item["quarantine_days"] = touchpoint.quarantine_days
    return item


def _plain(value: object) -> object:
    """A JSON-like value (a rule) ready to dump: text styled, lists of scalars on one line.

    Clock times (``09:00``) are quoted, as YAML 1.1 readers take some of them for numbers.
    """
    if isinstance(value, dict):
        return CommentedMap((str(k), _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        items = CommentedSeq([_plain(v) for v in value])
        if not any(isinstance(v, dict | list) for v in value):
            items.fa.set_flow_style()
        return items
    if isinstance(value, str) and _CLOCK_TIME.fullmatch(value):
        return DoubleQuotedScalarString(value)
    return _styled(value) if isinstance(value, str) else value


_CLOCK_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?")


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
