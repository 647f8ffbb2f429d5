"""What every command needs: settings, the database (schema checked), the workspace."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from journeyscope.settings import Settings, load_settings
from journeyscope.store import Database, ensure_schema, make_engine
from journeyscope.workspaces import Workspace, find_workspace

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="JOURNEYSCOPE_WORKSPACE",
        help="Workspace slug; may be left out when only one workspace exists.",
        show_default=False,
    ),
]


@dataclass
class State:
    """Per-invocation state shared by the callback and the commands."""

    debug: bool = False
    _settings: Settings | None = None
    _db: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Settings from the environment, loaded once."""
        if self._settings is None:
            self._settings = load_settings()
            level = "DEBUG" if self.debug else self._settings.log_level
            logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
            if not self.debug:
                logging.getLogger("alembic").setLevel(logging.WARNING)
        return self._settings

    def database(self, *, check_schema: bool = True) -> Database:
        """The configured database; SQLite is migrated in place, PostgreSQL must be current."""
        if self._db is None:
            self._db = Database(make_engine(self.settings.sqlalchemy_url()))
            if check_schema:
                ensure_schema(self._db.engine)
        return self._db

    def listen_on(self, host: str, port: int) -> None:
        """Links point at where the server listens, unless ``JOURNEYSCOPE_BASE_URL`` is set.

        Without it, ``serve --port 8765`` would print and email links to port 8000.
        """
        settings = self.settings
        if "base_url" in settings.model_fields_set:
            return
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a check
        shown = f"[{shown}]" if ":" in shown else shown
        self._settings = settings.model_copy(update={"base_url": f"http://{shown}:{port}"})

    def workspace(self, slug: str | None) -> Workspace:
        """The workspace named by ``--workspace``/env, or the only one."""
        return find_workspace(self.database(), slug or self.settings.workspace)

    def reset(self, *, debug: bool) -> None:
        """Forget everything from an earlier run (tests call the CLI many times in a process)."""
        self.close()
        self.debug = debug
        self._settings = None
        self._db = None

    def close(self) -> None:
        """Release database connections."""
        if self._db is not None:
            self._db.dispose()


state = State()


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Rows as an aligned table (plain text, so it also reads well when piped)."""
    table = Table(*headers, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    out.print(table)
