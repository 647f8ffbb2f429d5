"""Read simple SurveyJS ``visibleIf`` expressions into our condition format.

SurveyJS writes conditions as text (``{nps} <= 6 and {plan} = 'pro'``); we keep conditions as
data. This reads the common subset — comparisons of one question with a literal, ``empty`` /
``notempty``, ``contains`` / ``notcontains``, ``anyof`` / ``noneof``, combined with ``and``,
``or``, ``!``/``not`` and parentheses — with a small recursive-descent parser. Anything else
(functions such as ``age({birthdate})``, arithmetic, variables compared with variables) raises
:class:`UnsupportedExpression`, and the importer reports it instead of guessing.
Pure code: imports neither the store nor the web.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<var>\{[^{}]+\})|(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<op><=|>=|!=|<>|==|=|<|>|!|&&|\|\|)|(?P<punct>[()\[\],])|(?P<word>[A-Za-z_]+))"
)
_COMPARE = {
    "=": "eq", "==": "eq", "equal": "eq", "!=": "ne", "<>": "ne", "notequal": "ne",
    "<": "lt", "less": "lt", "<=": "lte", "lessorequal": "lte",
    ">": "gt", "greater": "gt", ">=": "gte", "greaterorequal": "gte",
    "contains": "contains", "anyof": "in", "noneof": "not_in",
}  # fmt: skip
_NEGATED = {"notcontains": "contains"}
_PRESENCE = {"empty": "not_answered", "notempty": "answered"}

Resolve = Callable[[str, Any], tuple[str, Any]]
"""Maps a SurveyJS question name and a literal to our question id and value (or raises)."""


class UnsupportedExpression(ValueError):
    """The expression uses something we do not import; the message says what."""


def parse_expression(text: str, resolve: Resolve) -> dict[str, Any]:
    """Turn a SurveyJS expression into a condition (JSON-shaped, ready for validation).

    Args:
        text: The expression, e.g. ``{nps} <= 6``.
        resolve: Maps a question name and a literal to our question id and value.

    Raises:
        UnsupportedExpression: The expression is outside the subset we read.
    """
    parser = _Parser(_tokens(text), resolve)
    condition = parser.either()
    if parser.peek() is not None:
        raise UnsupportedExpression(f"unexpected `{parser.peek()}`")
    return condition


def _tokens(text: str) -> list[str]:
    """Split an expression into tokens, refusing characters we do not read."""
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise UnsupportedExpression(f"cannot read `{text[position:].strip()[:30]}`")
        tokens.append(match.group().strip())
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens: either → both → negation → comparison."""

    def __init__(self, tokens: list[str], resolve: Resolve) -> None:
        self.tokens, self.position, self.resolve = tokens, 0, resolve

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise UnsupportedExpression("the expression ends too early")
        self.position += 1
        return token

    def _word(self) -> str:
        return (self.peek() or "").lower()

    def either(self) -> dict[str, Any]:
        parts = [self.both()]
        while self._word() in ("or", "||"):
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def both(self) -> dict[str, Any]:
        parts = [self.negation()]
        while self._word() in ("and", "&&"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def negation(self) -> dict[str, Any]:
        if self._word() in ("!", "not"):
            self.take()
            return {"not": self.negation()}
        if self.peek() == "(":
            self.take()
            inner = self.either()
            if self.take() != ")":
                raise UnsupportedExpression("a `(` is not closed")
            return inner
        return self.comparison()

    def comparison(self) -> dict[str, Any]:
        token = self.take()
        if not token.startswith("{"):
            raise UnsupportedExpression(f"expected a question such as {{nps}}, found `{token}`")
        name, op = token[1:-1].strip(), self.take().lower()
        if op in _PRESENCE:
            question, _ = self.resolve(name, None)
            return {"question": question, "op": _PRESENCE[op]}
        if op not in _COMPARE and op not in _NEGATED:
            raise UnsupportedExpression(f"the operator `{op}` is not supported")
        question, value = self.resolve(name, self.literal())
        if op in _NEGATED:
            return {"not": {"question": question, "op": _NEGATED[op], "value": value}}
        return {"question": question, "op": _COMPARE[op], "value": value}

    def literal(self) -> Any:
        part = self.take()
        if part == "[":
            items = [self.literal()]
            while (separator := self.take()) == ",":
                items.append(self.literal())
            if separator != "]":
                raise UnsupportedExpression("a `[` list is not closed")
            return items
        if part[0] in "'\"":
            return part[1:-1]
        if re.fullmatch(r"-?\d+", part):
            return int(part)
        if re.fullmatch(r"-?\d+\.\d+", part):
            return float(part)
        raise UnsupportedExpression(f"`{part}` is not a value we can compare with")
