"""Run the testharness.js assertions of a web-platform-tests WebVTT ``.test`` file.

The ``.test`` format (see the data folder's README): line 1 is the title, HTML metadata follows
up to the first blank line, then JavaScript up to a line ``===``, then the WebVTT body, written
with escapes that decode like Python's ``unicode_escape``.

The JavaScript is run by a small interpreter for the subset these files use: a tokenizer, a
recursive-descent parser and a tree walker — nothing is passed to ``eval``. Anything outside
the subset (an unknown name, property, operator or statement) raises :class:`Unsupported`, so a
new construct fails the test loudly instead of being skipped or misread. Assertions follow
testharness.js: ``assert_equals`` compares types and uses SameValue (``0`` differs from ``-0``),
``assert_true`` wants exactly ``true``, objects compare by identity.

Bindings: ``cues`` is the track's cue list (``startTime`` is our ``start_time`` and so on),
``document.styleSheets`` the WebVTT file's style sheets, as the ``stylesheets-*`` assertions
expect, split into rules by a minimal CSS reader.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Node = tuple[Any, ...]


class Unsupported(Exception):
    """The script uses JavaScript (or a binding) this evaluator does not implement."""


class HarnessFailure(AssertionError):
    """What a browser would report: a failed assertion, or a TypeError in the script."""


# ---------------------------------------------------------------- .test files


@dataclass(frozen=True)
class WptTest:
    """One ``.test`` file, split into its parts; ``body`` is already escape-decoded."""

    name: str
    title: str
    script: str
    body: str


def split_wpt_test(name: str, raw: str) -> WptTest:
    """Split the text of a ``.test`` file and decode its WebVTT body."""
    title, _, rest = raw.partition("\n")
    _metadata, blank, rest = rest.partition("\n\n")
    parts = re.split(r"(?m)^===\n", rest, maxsplit=1)
    if not blank or len(parts) != 2:
        raise Unsupported(f"{name}: no blank line after the metadata or no '===' line")
    body = parts[1].encode("ascii").decode("unicode_escape")  # non-ASCII: fails loudly
    return WptTest(name=name, title=title, script=parts[0], body=body)


def read_wpt_test(path: Path) -> WptTest:
    """Read and split one ``.test`` file."""
    return split_wpt_test(path.stem, path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- tokens and syntax

_TOKEN = re.compile(
    r"""(?P<space>\s+|//[^\n]*|/\*.*?\*/)
    |(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<punct>===|!==|==|!=|<=|>=|&&|\|\||\+\+|--|[-+*/%<>!=(){}\[\];,.?:])""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-9]|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\n": ""}
_KEYWORDS = {"var", "for", "function", "return", "null", "true", "false"}
_RESERVED = {
    "if", "else", "while", "do", "let", "const", "new", "this", "typeof", "switch", "case",
    "break", "continue", "try", "catch", "finally", "throw", "class", "delete", "in", "of",
    "instanceof", "void", "with", "yield", "async", "await", "import", "export", "super",
}  # fmt: skip


def _unescape(literal: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:].strip("{}"), 16))
        if code.isdigit():
            if code != "0":
                raise Unsupported(f"legacy octal escape \\{code}")
            return "\0"
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, literal[1:-1])


def tokenize(source: str) -> list[tuple[str, Any, int]]:
    """Split JavaScript into ``(kind, value, offset)`` tokens, ending with an ``eof`` token."""
    tokens, pos = [], 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise Unsupported(f"unexpected character {source[pos]!r} at offset {pos}")
        kind, text = match.lastgroup or "", match.group()
        if kind == "number":
            tokens.append(("number", float(text), pos))
        elif kind == "string":
            tokens.append(("string", _unescape(text), pos))
        elif kind == "name" and text in _RESERVED:
            raise Unsupported(f"'{text}' is not supported (offset {pos})")
        elif kind in ("name", "punct"):
            tokens.append(("keyword" if text in _KEYWORDS else kind, text, pos))
        pos = match.end()
    tokens.append(("eof", None, pos))
    return tokens


class _Parser:
    """Recursive descent over the supported subset; builds tuples like ``("call", f, args)``."""

    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0

    def peek(self, value: str | None = None) -> bool:
        kind, text, _ = self.tokens[self.i]
        return text == value and kind in ("punct", "keyword") if value else kind == "eof"

    def take(self, value: str | None = None) -> tuple[str, Any, int]:
        token = self.tokens[self.i]
        if value is not None and not self.peek(value):
            raise Unsupported(f"expected {value!r} but found {token[1]!r} at offset {token[2]}")
        self.i += 1
        return token

    def accept(self, value: str) -> bool:
        if self.peek(value):
            self.i += 1
            return True
        return False

    def program(self) -> list[Node]:
        statements = []
        while not self.peek():
            statements.append(self.statement())
        return statements

    def statement(self) -> Node:
        if self.accept(";"):
            return ("block", [])
        if self.accept("{"):
            body = []
            while not self.accept("}"):
                body.append(self.statement())
            return ("block", body)
        if self.peek("var"):
            node = self.declaration()
        elif self.accept("for"):
            return self.for_statement()
        elif self.accept("return"):
            value = None if self.peek(";") or self.peek("}") else self.expression()
            node = ("return", value)
        else:
            node = ("expr", self.expression())
        self.accept(";")
        return node

    def declaration(self) -> Node:
        self.take("var")
        declared = []
        while True:
            kind, name, offset = self.take()
            if kind != "name":
                raise Unsupported(f"expected a variable name at offset {offset}")
            declared.append((name, self.assignment() if self.accept("=") else None))
            if not self.accept(","):
                return ("var", declared)

    def for_statement(self) -> Node:
        self.take("(")
        if self.peek("var"):
            init: Node | None = self.declaration()
        else:
            init = None if self.peek(";") else ("expr", self.expression())
        self.take(";")
        test = None if self.peek(";") else self.expression()
        self.take(";")
        update = None if self.peek(")") else self.expression()
        self.take(")")
        return ("for", init, test, update, self.statement())

    def expression(self) -> Node:
        node = self.assignment()
        if self.peek(","):
            raise Unsupported(f"comma operator at offset {self.tokens[self.i][2]}")
        return node

    def assignment(self) -> Node:
        node = self.binary(0)
        if self.accept("="):
            if node[0] != "name":
                raise Unsupported("assignment to anything but a variable")
            return ("assign", node[1], self.assignment())
        return node

    _LEVELS = (
        ("||",),
        ("&&",),
        ("===", "!=="),
        ("<", ">", "<=", ">="),
        ("+", "-"),
        ("*",),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while True:
            kind, text, offset = self.tokens[self.i]
            if kind == "punct" and text in ("==", "!=", "?", ":"):
                raise Unsupported(f"operator {text!r} at offset {offset}")
            if kind != "punct" or text not in self._LEVELS[level]:
                return node
            self.i += 1
            node = ("binary", text, node, self.binary(level + 1))

    def unary(self) -> Node:
        kind, text, offset = self.tokens[self.i]
        if kind == "punct" and text in ("!", "-", "+"):
            self.i += 1
            return ("unary", text, self.unary())
        if kind == "punct" and text in ("++", "--"):
            raise Unsupported(f"prefix {text} at offset {offset}")
        return self.postfix()

    def postfix(self) -> Node:
        node = self.call()
        for op in ("++", "--"):
            if self.accept(op):
                if node[0] != "name":
                    raise Unsupported(f"{op} on anything but a variable")
                return ("postfix", op, node[1])
        return node

    def call(self) -> Node:
        node = self.primary()
        while True:
            if self.accept("."):
                kind, name, offset = self.take()
                if kind not in ("name", "keyword"):
                    raise Unsupported(f"expected a property name at offset {offset}")
                node = ("member", node, ("string", name))
            elif self.accept("["):
                node = ("member", node, self.expression())
                self.take("]")
            elif self.accept("("):
                node = ("call", node, self.items(")"))
            else:
                return node

    def items(self, closing: str) -> list[Node]:
        found: list[Node] = []
        while not self.accept(closing):
            if self.peek(","):
                raise Unsupported("array holes")
            found.append(self.assignment())
            if not self.accept(","):
                self.take(closing)
                break
        return found

    def primary(self) -> Node:
        kind, value, offset = self.take()
        if kind in ("number", "string"):
            return (kind, value)
        if kind == "name":
            return ("name", value)
        if kind == "keyword" and value in ("null", "true", "false"):
            return ("literal", {"null": None, "true": True, "false": False}[value])
        if kind == "keyword" and value == "function":
            return self.function()
        if kind == "punct" and value == "(":
            node = self.expression()
            self.take(")")
            return node
        if kind == "punct" and value == "[":
            return ("array", self.items("]"))
        raise Unsupported(f"unexpected {value!r} at offset {offset}")

    def function(self) -> Node:
        if self.tokens[self.i][0] == "name":
            raise Unsupported("named function expressions")
        self.take("(")
        params = []
        while not self.accept(")"):
            kind, name, offset = self.take()
            if kind != "name":
                raise Unsupported(f"expected a parameter name at offset {offset}")
            params.append(name)
            self.accept(",")
        self.take("{")
        body = []
        while not self.accept("}"):
            body.append(self.statement())
        return ("function", params, body)


def parse_script(source: str) -> list[Node]:
    """Parse JavaScript of the supported subset into statement nodes."""
    return _Parser(source).program()


# ---------------------------------------------------------------- values


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = _Undefined()


@dataclass(eq=False)
class JSFunction:
    """A function expression with the scope it closes over."""

    params: list[str]
    body: list[Node]
    closure: _Scope


@dataclass(eq=False)
class HostFunction:
    """A function implemented in Python (``assert_equals``, ``Array.from``, ``forEach``)."""

    name: str
    impl: Callable[[list[Any]], Any]


class HostObject:
    """A host (DOM) object; a property that is not bound raises :class:`Unsupported`."""

    kind = "Object"

    def get(self, name: str | int) -> Any:
        raise Unsupported(f"{self.kind}.{name} is not bound by the evaluator")


class Namespace(HostObject):
    """A host object with fixed properties (``Number``, ``CSSRule``, ``document``)."""

    def __init__(self, kind: str, properties: dict[str, Any]) -> None:
        self.kind, self.properties = kind, properties

    def get(self, name: str | int) -> Any:
        return self.properties[name] if name in self.properties else super().get(name)


class HostList(HostObject):
    """An array-like host list (``TextTrackCueList``…): ``length`` and indexes, no methods."""

    def __init__(self, kind: str, items: list[Any]) -> None:
        self.kind, self.items = kind, items

    def get(self, name: str | int) -> Any:
        if name == "length":
            return float(len(self.items))
        if isinstance(name, int):
            return self.items[name] if name < len(self.items) else UNDEFINED
        return super().get(name)


def typeof(value: Any) -> str:
    """JavaScript's ``typeof``."""
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "function" if isinstance(value, JSFunction | HostFunction) else "object"


def number_to_string(x: float) -> str:
    """JavaScript's Number::toString (shortest round-trip digits, JS exponent rules)."""
    if math.isnan(x) or math.isinf(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    if x == 0:
        return "0"
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    n = len(whole) + int(exponent or 0) - (len(digits) - len(digits.lstrip("0")))
    digits = digits.strip("0")
    sign, k = "-" if x < 0 else "", len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{sign}{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return f"{sign}0.{'0' * -n}{digits}"
    e = f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return f"{sign}{digits[0]}{'.' + digits[1:] if k > 1 else ''}{e}"


def to_string(value: Any) -> str:
    """JavaScript's ToString (objects as a page would print them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_to_string(value)
    if value is None or value is UNDEFINED:
        return "null" if value is None else "undefined"
    if isinstance(value, list):
        return ",".join("" if v is None or v is UNDEFINED else to_string(v) for v in value)
    return f"[object {value.kind}]" if isinstance(value, HostObject) else "function"


def to_number(value: Any) -> float:
    """JavaScript's ToNumber."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if value is None:
        return 0.0
    if isinstance(value, str | list | HostObject):
        text = to_string(value).strip(" \t\n\r\f\v\u00a0\ufeff")
        if not text:
            return 0.0
        match = re.fullmatch(
            r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)", text
        )
        return float(text.replace("Infinity", "inf")) if match else math.nan
    return math.nan


def to_boolean(value: Any) -> bool:
    """JavaScript's ToBoolean."""
    if value is None or value is UNDEFINED:
        return False
    if isinstance(value, bool | str):
        return bool(value)
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return True


def strict_equals(a: Any, b: Any) -> bool:
    """JavaScript's ``===``."""
    if typeof(a) != typeof(b):
        return False
    if isinstance(a, float | str | bool) or a is None or a is UNDEFINED:
        return bool(a == b)
    return a is b


def same_value(a: Any, b: Any) -> bool:
    """testharness.js ``same_value``: like ``===`` but NaN equals NaN and ``0`` is not ``-0``."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(b):
            return math.isnan(a)
        if a == 0 and b == 0:
            return math.copysign(1, a) == math.copysign(1, b)
    return strict_equals(a, b)


def format_value(value: Any) -> str:
    """A value as testharness.js shows it in a message."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float) and value == 0 and math.copysign(1, value) < 0:
        return "-0"
    return to_string(value)


# ---------------------------------------------------------------- interpreter

_MAX_STEPS = 1_000_000


class _Return(Exception):  # control flow for 'return', not an error
    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass(eq=False)
class _Scope:
    parent: _Scope | None
    names: dict[str, Any] = field(default_factory=dict)

    def find(self, name: str) -> _Scope:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        raise Unsupported(f"unknown name {name!r}: the evaluator does not bind it")


class Interpreter:
    """Runs parsed statements; ``assertions`` counts the assert calls made."""

    def __init__(self, bindings: dict[str, Any]) -> None:
        self.globals = _Scope(None, dict(bindings))
        self.assertions = 0
        self.steps = 0

    def run(self, program: list[Node]) -> None:
        try:
            for statement in program:
                self.execute(statement, self.globals)
        except _Return as escaped:
            raise Unsupported("'return' outside a function") from escaped

    def execute(self, node: Node, scope: _Scope) -> None:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise Unsupported("the script ran too long")
        kind = node[0]
        if kind == "expr":
            self.evaluate(node[1], scope)
        elif kind == "var":
            for name, init in node[1]:
                if init is not None or name not in scope.names:
                    scope.names[name] = UNDEFINED if init is None else self.evaluate(init, scope)
        elif kind == "block":
            for statement in node[1]:
                self.execute(statement, scope)
        elif kind == "return":
            raise _Return(UNDEFINED if node[1] is None else self.evaluate(node[1], scope))
        else:  # for
            _, init, test, update, body = node
            if init is not None:
                self.execute(init, scope)
            while test is None or to_boolean(self.evaluate(test, scope)):
                self.execute(body, scope)
                if update is not None:
                    self.evaluate(update, scope)

    def evaluate(self, node: Node, scope: _Scope) -> Any:
        kind = node[0]
        if kind in ("number", "string", "literal"):
            return node[1]
        if kind == "name":
            return scope.find(node[1]).names[node[1]]
        if kind == "array":
            return [self.evaluate(item, scope) for item in node[1]]
        if kind == "function":
            return JSFunction(node[1], node[2], scope)
        if kind == "member":
            return self.get(self.evaluate(node[1], scope), self.key(node[2], scope))
        if kind == "call":
            function = self.evaluate(node[1], scope)
            return self.call(function, [self.evaluate(arg, scope) for arg in node[2]])
        if kind == "unary":
            value = self.evaluate(node[2], scope)
            return {"!": lambda: not to_boolean(value), "-": lambda: -to_number(value)}.get(
                node[1], lambda: to_number(value)
            )()
        if kind == "binary":
            return self.binary(node[1], node[2], node[3], scope)
        if kind == "postfix":
            owner = scope.find(node[2])
            old = to_number(owner.names[node[2]])
            owner.names[node[2]] = old + (1 if node[1] == "++" else -1)
            return old
        value = self.evaluate(node[2], scope)  # assign
        scope.find(node[1]).names[node[1]] = value
        return value

    def key(self, node: Node, scope: _Scope) -> str | int:
        value = self.evaluate(node, scope)
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value)
        if isinstance(value, str):
            return int(value) if re.fullmatch(r"0|[1-9][0-9]*", value) else value
        raise Unsupported(f"property key {format_value(value)}")

    def get(self, target: Any, key: str | int) -> Any:
        if target is None or target is UNDEFINED:
            raise HarnessFailure(f"TypeError: cannot read property {key!r} of {to_string(target)}")
        if isinstance(target, list | str) and key == "length":
            return float(len(target))
        if isinstance(target, list | str) and isinstance(key, int):
            return target[key] if key < len(target) else UNDEFINED
        if isinstance(target, list) and key in ("forEach", "map"):
            return HostFunction(str(key), lambda args: self.iterate(str(key), target, args))
        if isinstance(target, HostObject):
            return target.get(key)
        raise Unsupported(f"property {key!r} of a {typeof(target)} value")

    def iterate(self, method: str, items: list[Any], args: list[Any]) -> Any:
        if not args:
            raise HarnessFailure(f"TypeError: {method} needs a callback")
        results = [self.call(args[0], [item, float(i), items]) for i, item in enumerate(items)]
        return results if method == "map" else UNDEFINED

    def call(self, function: Any, args: list[Any]) -> Any:
        if isinstance(function, HostFunction):
            return function.impl(args)
        if not isinstance(function, JSFunction):
            raise HarnessFailure(f"TypeError: {format_value(function)} is not a function")
        local = _Scope(function.closure)
        for i, name in enumerate(function.params):
            local.names[name] = args[i] if i < len(args) else UNDEFINED
        try:
            for statement in function.body:
                self.execute(statement, local)
        except _Return as returned:
            return returned.value
        return UNDEFINED

    def binary(self, op: str, left_node: Node, right_node: Node, scope: _Scope) -> Any:
        left = self.evaluate(left_node, scope)
        if op in ("&&", "||"):
            if to_boolean(left) == (op == "||"):
                return left
            return self.evaluate(right_node, scope)
        right = self.evaluate(right_node, scope)
        if op in ("===", "!=="):
            return strict_equals(left, right) == (op == "===")
        if isinstance(left, list | HostObject):
            left = to_string(left)
        if isinstance(right, list | HostObject):
            right = to_string(right)
        if op == "+" and (isinstance(left, str) or isinstance(right, str)):
            return to_string(left) + to_string(right)
        if op in ("<", ">", "<=", ">="):
            a, b = (
                (left, right)
                if isinstance(left, str) and isinstance(right, str)
                else (to_number(left), to_number(right))
            )
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return _arithmetic(op, to_number(left), to_number(right))


def _arithmetic(op: str, a: float, b: float) -> float:
    return a + b if op == "+" else (a - b if op == "-" else a * b)


# ---------------------------------------------------------------- testharness.js and bindings


def _assertions(interpreter: Interpreter) -> dict[str, HostFunction]:
    def check(ok: bool, name: str, args: list[Any], message: str) -> None:
        interpreter.assertions += 1
        if not ok:
            described = to_string(args[2]) + " " if len(args) > 2 else ""
            raise HarnessFailure(f"{name}: {described}{message}")

    def equals(args: list[Any]) -> None:
        actual, expected = [*args, UNDEFINED, UNDEFINED][:2]
        shown = f"expected {format_value(expected)} but got {format_value(actual)}"
        if typeof(actual) != typeof(expected):
            shown = (
                f"expected ({typeof(expected)}) {format_value(expected)} but got "
                f"({typeof(actual)}) {format_value(actual)}"
            )
        check(
            typeof(actual) == typeof(expected) and same_value(actual, expected),
            "assert_equals",
            args,
            shown,
        )

    def not_equals(args: list[Any]) -> None:
        actual, expected = [*args, UNDEFINED, UNDEFINED][:2]
        check(
            not same_value(actual, expected),
            "assert_not_equals",
            args,
            f"got disallowed value {format_value(actual)}",
        )

    def is_value(wanted: bool) -> Callable[[list[Any]], None]:
        def impl(args: list[Any]) -> None:
            actual = args[0] if args else UNDEFINED
            check(
                actual is wanted,
                f"assert_{to_string(wanted)}",
                args,
                f"expected {to_string(wanted)} got {format_value(actual)}",
            )

        return impl

    def array_equals(args: list[Any]) -> None:
        actual, expected = [*args, UNDEFINED, UNDEFINED][:2]
        length = interpreter.get(actual, "length")
        ok = length == interpreter.get(expected, "length") and all(
            same_value(interpreter.get(actual, i), interpreter.get(expected, i))
            for i in range(int(length))
        )
        check(
            ok,
            "assert_array_equals",
            args,
            f"expected {format_value(expected)} but got {format_value(actual)}",
        )

    functions = {"assert_equals": equals, "assert_not_equals": not_equals,
                 "assert_true": is_value(True), "assert_false": is_value(False),
                 "assert_array_equals": array_equals}  # fmt: skip
    return {name: HostFunction(name, impl) for name, impl in functions.items()}


_CUE_PROPERTIES = {
    "id": "id", "text": "text", "startTime": "start_time", "endTime": "end_time",
    "region": "region", "vertical": "vertical", "snapToLines": "snap_to_lines", "line": "line",
    "lineAlign": "line_align", "position": "position", "positionAlign": "position_align",
    "size": "size", "align": "align",
}  # fmt: skip
_REGION_PROPERTIES = {
    "id": "id", "width": "width", "lines": "lines", "regionAnchorX": "region_anchor_x",
    "regionAnchorY": "region_anchor_y", "viewportAnchorX": "viewport_anchor_x",
    "viewportAnchorY": "viewport_anchor_y", "scroll": "scroll",
}  # fmt: skip
_STYLE_RULE = 1.0  # CSSRule.STYLE_RULE


def _primitive(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return float(value)
    raise Unsupported(f"cannot show a {type(value).__name__} to JavaScript")


class _View(HostObject):
    """A parser object seen through the DOM names of ``properties``."""

    def __init__(self, kind: str, target: Any, properties: dict[str, str],
                 convert: Callable[[str, Any], Any]) -> None:  # fmt: skip
        self.kind, self.target, self.properties, self.convert = kind, target, properties, convert

    def get(self, name: str | int) -> Any:
        if not isinstance(name, str) or name not in self.properties:
            return super().get(name)
        return self.convert(name, getattr(self.target, self.properties[name]))


def css_style_rules(text: str) -> list[str]:
    """The selector text of each top-level rule of a style sheet (a minimal CSS reader)."""
    text = re.sub(r"/\*.*?(?:\*/|\Z)", " ", text, flags=re.DOTALL)
    selectors, pos = [], 0
    while (start := text.find("{", pos)) != -1:
        prelude = " ".join(text[pos:start].split())
        if prelude.startswith("@"):
            raise Unsupported("CSS at-rules in a style sheet")
        depth, end = 1, start + 1
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        if prelude:
            selectors.append(prelude)
        pos = end
    return selectors


def bindings(file: Any, interpreter: Interpreter) -> dict[str, Any]:
    """The global names a generated wpt page gives the assertions, over a parsed file."""
    views: dict[int, tuple[Any, _View]] = {}  # one view per object, so identity holds

    def region(value: Any) -> Any:
        if value is None:
            return None
        if id(value) not in views:
            views[id(value)] = (
                value,
                _View("VTTRegion", value, _REGION_PROPERTIES, lambda _, v: _primitive(v)),
            )
        return views[id(value)][1]

    def cue(value: Any) -> _View:
        return _View("VTTCue", value, _CUE_PROPERTIES,
                     lambda name, v: region(v) if name == "region" else _primitive(v))  # fmt: skip

    def sheet(text: str) -> Namespace:
        rules = [Namespace("CSSStyleRule", {"type": _STYLE_RULE, "selectorText": selector})
                 for selector in css_style_rules(text)]  # fmt: skip
        return Namespace("CSSStyleSheet", {"cssRules": HostList("CSSRuleList", rules)})

    def array_from(args: list[Any]) -> list[Any]:
        source = args[0] if args else UNDEFINED
        if isinstance(source, HostList):
            return list(source.items)
        if isinstance(source, list):
            return list(source)
        raise Unsupported(f"Array.from({format_value(source)})")

    sheets = HostList("StyleSheetList", [sheet(text) for text in file.stylesheets])
    return {
        "cues": HostList("TextTrackCueList", [cue(c) for c in file.cues]),
        "document": Namespace("Document", {"styleSheets": sheets}),
        "Array": Namespace("Array", {"from": HostFunction("Array.from", array_from)}),
        "Number": Namespace("Number", {"MAX_VALUE": sys.float_info.max, "MIN_VALUE": 5e-324}),
        "CSSRule": Namespace("CSSRule", {"STYLE_RULE": _STYLE_RULE}),
        "undefined": UNDEFINED,
        "NaN": math.nan,
        "Infinity": math.inf,
        **_assertions(interpreter),
    }


def run_wpt_test(test: WptTest, parse: Callable[[str], Any]) -> int:
    """Parse the test's WebVTT body with ``parse`` and run its assertions.

    Returns:
        How many assertions ran (all passed).

    Raises:
        HarnessFailure: An assertion failed, or the script hit a TypeError (as in a browser).
        Unsupported: The script uses something the evaluator does not implement, or no
            assertion ran at all.
    """
    program = parse_script(test.script)
    parsed = parse(test.body)
    interpreter = Interpreter({})
    interpreter.globals.names.update(bindings(parsed, interpreter))
    interpreter.run(program)
    if interpreter.assertions == 0:
        raise Unsupported(f"{test.name}: no assertion ran")
    return interpreter.assertions
