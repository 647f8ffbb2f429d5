"""The command-line door: Typer commands that call the domain services directly.

Errors print one clear line (``--debug`` shows the traceback); exit 1 for user errors,
2 for usage errors.
"""

from __future__ import annotations

import sys
import traceback

import typer
from pydantic import ValidationError

from journeyscope.cli.app import app
from journeyscope.cli.context import err, state
from journeyscope.errors import (
    MAX_LISTED_PROBLEMS,
    InvalidInput,
    JourneyscopeError,
    Problem,
    validation_problems,
)


def _report(exc: JourneyscopeError) -> None:
    """The error once, then each problem that says more than it, then the hint."""
    err.print(f"[bold red]error:[/] {exc.message}", markup=True, highlight=False)
    for problem in exc.problems[:MAX_LISTED_PROBLEMS]:
        if not _restates(problem, exc):
            err.print(f"  - {problem.describe()}", markup=False)
    if len(exc.problems) > MAX_LISTED_PROBLEMS:
        more = len(exc.problems) - MAX_LISTED_PROBLEMS
        err.print(f"  ... and {more:,} more problem{'' if more == 1 else 's'}", markup=False)
    if exc.hint:
        err.print(f"  hint: {exc.hint}", markup=False)


def _restates(problem: Problem, exc: JourneyscopeError) -> bool:
    """Whether ``problem`` only repeats the error: ``field=`` makes one from its own words."""
    return problem.problem == exc.message and problem.fix in (None, exc.hint)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code (the console script exits with it)."""
    args = sys.argv[1:] if argv is None else argv
    state.reset(debug="--debug" in args)
    try:
        # Without standalone mode, click returns the code of typer.Exit instead of exiting.
        code = app(args=args, prog_name="journeyscope", standalone_mode=False)
    except typer.Abort:
        err.print("aborted")
        return 1
    except typer.TyperException as exc:  # usage errors: bad option, missing argument, ...
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except JourneyscopeError as exc:
        if state.debug:
            traceback.print_exc()
        _report(exc)
        return 1
    except ValidationError as exc:  # a value the command turned into a model, e.g. a key
        if state.debug:
            traceback.print_exc()
        noun = "value is" if exc.error_count() == 1 else "values are"
        _report(InvalidInput(f"A {noun} not valid.", problems=validation_problems(exc.errors())))
        return 1
    except Exception as exc:
        if state.debug:
            raise
        err.print(f"error: {type(exc).__name__}: {exc}", markup=False)
        err.print("  hint: run again with --debug to see the traceback", markup=False)
        return 1
    finally:
        state.close()
    return code if isinstance(code, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
