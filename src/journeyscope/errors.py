"""The error tree every domain raises and every door (API, CLI, pages) translates.

Domain code never raises HTTP or CLI exceptions: it raises a :class:`JourneyscopeError`
carrying people-readable problems, and each door maps them in exactly one place
(``web/problems.py``, ``cli/errors.py``). Imports nothing from the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def dotted_path(loc: Sequence[str | int]) -> str:
    """Render a location as ``stages[2].touchpoints[0].channel`` (``""`` for the whole)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


MAX_LISTED_PROBLEMS = 50
"""Every door lists at most this many problems of one error, and says how many it left out.

A body with 300,000 bad keys once answered with a 43 MB error list: the first fifty say
what is wrong as well as all of them would, and cost nothing to build and send."""


FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove this field; the reference lists the allowed ones",
    "timezone_aware": "include a time zone, e.g. 2026-11-24T09:30:00Z",
    "json_invalid": "send a valid JSON document",
    "model_attributes_type": "send a JSON object here",
    "dict_type": "send a JSON object here",
    "list_type": "send a JSON array here",
    "uuid_parsing": "use the id exactly as it was given to you",
    "value_error": "correct the value as the problem says",
}
"""A fix for each kind of pydantic validation error; the problem text says the rest."""


def fix_for(error: Mapping[str, Any], *, reference: str = "see the reference documentation") -> str:
    """The fix to suggest for one pydantic validation error (``reference``: where to look)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "enum" and "expected" in ctx:
        return f"use one of {ctx['expected']}"
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return f"make the value match the pattern {ctx['pattern']}"
    if kind in ("too_long", "too_short") and ctx:
        return "send between the allowed numbers of items or characters shown in the problem"
    return FIXES.get(kind, reference)


def problem_text(error: Mapping[str, Any]) -> str:
    """A pydantic error's message without pydantic's "Value error, " prefix."""
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")


def validation_problems(errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Pydantic validation errors as problems naming the field, what is wrong and the fix."""
    return [
        Problem(
            field=dotted_path(e.get("loc", ())) or None, problem=problem_text(e), fix=fix_for(e)
        )
        for e in errors
    ]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with some input: where, what, and how to fix it.

    Attributes:
        field: Where the problem is, as a dotted path (``stages[2].touchpoints[0].channel``),
            or ``None`` when it concerns the input as a whole.
        problem: What is wrong, in a sentence.
        fix: What to do about it, in a sentence.
        line: The 1-based line in a source file (YAML, CSV), when the input came from one.
    """

    field: str | None
    problem: str
    fix: str | None = None
    line: int | None = None

    def describe(self) -> str:
        """Render the problem as one line, e.g. for the CLI."""
        where = f"line {self.line}: " if self.line is not None else ""
        at = f"{self.field}: " if self.field else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{at}{self.problem}{fix}"


class JourneyscopeError(Exception):
    """Base of every error the domains raise on purpose.

    Attributes:
        code: A stable machine-readable slug (it becomes the problem ``type``).
        status: The HTTP status the API door answers with.
        message: A sentence for people.
        hint: What to do next, if there is something to do.
        problems: Field-level details; empty when the message says it all.
    """

    code = "error"
    status = 500

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        listed = list(problems)
        if field is not None and not listed:
            listed.append(Problem(field=field, problem=message, fix=hint))
        self.problems: tuple[Problem, ...] = tuple(listed)

    @property
    def field(self) -> str | None:
        """The field of the first problem, if any."""
        return self.problems[0].field if self.problems else None


class InvalidInput(JourneyscopeError):
    """The caller sent something that cannot be accepted as it is."""

    code = "invalid-input"
    status = 422


class NotFound(JourneyscopeError):
    """The object does not exist in the caller's workspace (or at all: we never tell which)."""

    code = "not-found"
    status = 404


class Conflict(JourneyscopeError):
    """The request clashes with the current state, e.g. a key that is already taken."""

    code = "conflict"
    status = 409


class Unauthenticated(JourneyscopeError):
    """No valid credentials came with the request."""

    code = "unauthenticated"
    status = 401


class PermissionDenied(JourneyscopeError):
    """The credentials are valid but may not do this."""

    code = "permission-denied"
    status = 403


class TooManyRequests(JourneyscopeError):
    """A client sent more requests than the rate limit allows; it may retry later."""

    code = "too-many-requests"
    status = 429

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class ConfigurationError(JourneyscopeError):
    """A setting is missing or wrong; raised at start-up, naming the variable and the fix."""

    code = "configuration"
    status = 500


class SchemaOutOfDate(JourneyscopeError):
    """The database schema is older than this code; the operator must migrate it."""

    code = "schema-out-of-date"
    status = 503
