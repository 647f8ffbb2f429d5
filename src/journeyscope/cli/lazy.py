"""Commands loaded when they run, so ``journeyscope --help`` and ``--version`` answer at once.

A command module imports its domains, and they import SQLAlchemy, Alembic, the web stack,
ONNX Runtime or scikit-learn: 1.5-5 s before anything is printed. The top-level group knows
each command's name, module and one-line summary, lists them from that, and imports a module
only when one of its commands runs or shows its own help. A test pins each summary to the
command's own first help line, and another checks that the heavy packages stay unimported.
"""

from __future__ import annotations

import difflib
import importlib
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import typer
from typer import _click as click  # Typer's own copy of Click, whose classes it subclasses
from typer.core import TyperGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a top-level command lives, and what ``--help`` says about it without loading it.

    Attributes:
        module: The module to import, e.g. ``journeyscope.cli.journey``.
        attribute: In it, a :class:`typer.Typer` (a command group) or a command function.
        summary: The command's first help line (its docstring's, or its group's ``help``).
    """

    module: str
    attribute: str
    summary: str


def load_command(name: str, entry: LazyCommand) -> click.Command:
    """Import ``entry`` and build its Click command, named ``name``, as ``add_typer`` would."""
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class LazyGroup(TyperGroup):
    """A Typer group whose ``lazy`` commands are imported on first use (subclass to set it)."""

    lazy: ClassVar[Mapping[str, LazyCommand]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eager commands first, then the lazy ones in the order they are declared."""
        eager = super().list_commands(ctx)
        return [*eager, *(name for name in self.lazy if name not in eager)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module the first time it is asked for."""
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in self.lazy:
            found = load_command(cmd_name, self.lazy[cmd_name])
            self.add_command(found, cmd_name)
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from the summaries: nothing is imported for it."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(n, textwrap.shorten(self._summary(n), limit, placeholder="...")) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As Typer's, with "did you mean" suggestions among the lazy commands too."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.UsageError as error:
            guesses = difflib.get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if guesses and "Did you mean" not in error.message:
                named = ", ".join(repr(guess) for guess in guesses)
                error.message = f"{error.message.rstrip('.')}. Did you mean {named}?"
            raise

    def _summary(self, name: str) -> str:
        entry = self.lazy.get(name)
        return entry.summary if entry else self.commands[name].get_short_help_str(limit=200)
