"""What every command needs: settings, the database (schema checked), the workspace.

The entry point imports this module before it knows the command, so settings, the store and
the workspaces domain are imported when first used, not here (see :mod:`journeyscope.cli.lazy`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from journeyscope.base_url import BaseUrl
    from journeyscope.settings import Settings
    from journeyscope.store import Database
    from journeyscope.workspaces import Workspace

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
    _base_url: BaseUrl | None = None
    _defaults: dict[str, dict[str, object]] = field(default_factory=dict)
    _listening: tuple[str, int] | None = None
    _db: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Settings from the environment, loaded once, links following the base-URL rule."""
        if self._settings is None:
            from journeyscope.settings import load_settings

            self._settings = self._use(load_settings())
            level = "DEBUG" if self.debug else self._settings.log_level
            logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
            from journeyscope.log_redaction import redact_application_logs

            redact_application_logs()  # Celery's task lines included
            if not self.debug:
                logging.getLogger("alembic").setLevel(logging.WARNING)
        return self._settings

    def _use(self, loaded: Settings) -> Settings:
        """``loaded`` with this command's defaults and the base URL of the one rule."""
        from journeyscope.base_url import resolve_base_url

        self._base_url = resolve_base_url(loaded, listening=self._listening)
        chosen = loaded
        for group, values in self._defaults.items():
            given = getattr(loaded, group).model_fields_set
            chosen = chosen.updated(**{group: {k: v for k, v in values.items() if k not in given}})
        return chosen.updated(web={"base_url": self._base_url.url})

    def default_to(self, **groups: dict[str, object]) -> None:
        """Settings this command prefers where the environment leaves them unset, by group.

        ``demo`` prints invitation emails (``mail={"delivery": "console"}``) unless
        ``JOURNEYSCOPE_EMAIL_DELIVERY`` asks for SMTP.
        """
        for group, values in groups.items():
            self._defaults.setdefault(group, {}).update(values)
        self._reload()

    def _reload(self) -> Settings:
        """Settings again, after this command changed its defaults or where it listens."""
        from journeyscope.settings import load_settings

        if self._settings is None:
            return self.settings  # the first load also sets up logging
        self._settings = self._use(load_settings())
        return self._settings

    def database(self, *, check_schema: bool = True) -> Database:
        """The configured database; SQLite is migrated in place, PostgreSQL must be current."""
        if self._db is None:
            from journeyscope.store import Database, ensure_schema, make_engine

            self._db = Database(make_engine(self.settings.sqlalchemy_url()))
            if check_schema:
                ensure_schema(self._db.engine)
        return self._db

    def listen_on(self, host: str, port: int) -> None:
        """Links point at where this command serves, unless ``JOURNEYSCOPE_BASE_URL`` is set.

        The address is recorded in the data folder, so ``survey link`` or ``qr`` run later
        point at this server too (the rule is :mod:`journeyscope.base_url`).
        """
        from journeyscope.base_url import record_base_url

        self._listening = (host, port)
        record_base_url(self._reload())

    def link_base(self) -> str:
        """The base URL of printed links; says on stderr when it is only the default."""
        from journeyscope.base_url import RECORD_FILE, Source

        url = self.settings.web.base_url
        if self._base_url is not None and self._base_url.source is Source.DEFAULT:
            err.print(
                f"note: links use {url}, the default: JOURNEYSCOPE_BASE_URL is not set and no "
                f"`journeyscope serve` or `demo` has recorded its address in "
                f"{self.settings.data_dir / RECORD_FILE}. Set JOURNEYSCOPE_BASE_URL to the "
                "address customers reach the server at.",
                markup=False,
            )
        return url

    def workspace(self, slug: str | None) -> Workspace:
        """The workspace named by ``--workspace``/env, or the only one."""
        from journeyscope.workspaces import find_workspace

        return find_workspace(self.database(), slug or self.settings.workspace)

    def reset(self, *, debug: bool) -> None:
        """Forget everything from an earlier run (tests call the CLI many times in a process)."""
        self.close()
        self.debug = debug
        self._settings = None
        self._base_url = None
        self._defaults = {}
        self._listening = None
        self._db = None

    def close(self) -> None:
        """Release database connections."""
        if self._db is not None:
            self._db.dispose()


state = State()


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 interview``, ``2 interviews``: a count with its noun agreeing (``plural`` if not +s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Rows as an aligned table (plain text, so it also reads well when piped)."""
    from rich.table import Table

    table = Table(*headers, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    out.print(table)
