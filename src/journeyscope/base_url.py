"""Where the links we print, email and encode in QR codes point: one rule for every door.

A link to port 8000 from a server on port 8101 is a dead link on a poster. So the CLI
(``survey link``, ``survey invite``, ``survey snippet``, ``qr``, ``demo``), the API (QR codes,
personal links) and the dispatcher's emails all take the base URL from :func:`follow_rule`:

1. ``JOURNEYSCOPE_BASE_URL`` when it is set: the public address (a domain, a proxy).
2. Else, in a command that serves (``serve``, ``demo``), where it listens: ``--host``/``--port``.
   That command records the address in the data folder, so that
3. else, commands that do not serve use the address the last ``serve`` or ``demo`` on the same
   data folder recorded;
4. else ``http://127.0.0.1:8000``, where ``journeyscope serve`` listens by default.

Imports nothing from the domains.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from pathlib import Path

from journeyscope.settings import Settings

log = logging.getLogger(__name__)

RECORD_FILE = "server_url"
"""The file, in the data folder, where ``serve`` and ``demo`` record their address."""
_WILDCARDS = ("0.0.0.0", "::", "")  # noqa: S104 - names of "every interface", never bound here


class Source(enum.StrEnum):
    """Which step of the rule gave the base URL."""

    SETTING = "setting"  # JOURNEYSCOPE_BASE_URL (or an explicit Settings(web={"base_url": ...}))
    LISTENING = "listening"  # this command serves on --host/--port
    RECORDED = "recorded"  # the address the last serve/demo on this data folder recorded
    DEFAULT = "default"  # nothing else known: the default of `journeyscope serve`


@dataclass(frozen=True, slots=True)
class BaseUrl:
    """The base URL links use, and where it came from (a CLI note says so for the default)."""

    url: str
    source: Source


def listening_url(host: str, port: int) -> str:
    """The URL of a server on ``host:port``; every interface (``0.0.0.0``) reads as loopback."""
    shown = "127.0.0.1" if host in _WILDCARDS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def resolve_base_url(settings: Settings, *, listening: tuple[str, int] | None = None) -> BaseUrl:
    """The base URL by the rule above; ``listening`` is ``(host, port)`` in a serving command."""
    if "base_url" in settings.web.model_fields_set:
        return BaseUrl(settings.web.base_url, Source.SETTING)
    if listening is not None:
        return BaseUrl(listening_url(*listening), Source.LISTENING)
    recorded = read_recorded(settings.data_dir)
    if recorded is not None:
        return BaseUrl(recorded, Source.RECORDED)
    return BaseUrl(settings.web.base_url, Source.DEFAULT)


def follow_rule(settings: Settings, *, listening: tuple[str, int] | None = None) -> Settings:
    """``settings`` with ``base_url`` set by :func:`resolve_base_url`.

    Applying it twice changes nothing: the chosen URL then counts as set.
    """
    chosen = resolve_base_url(settings, listening=listening)
    return settings.updated(web={"base_url": chosen.url})


def record_base_url(settings: Settings) -> None:
    """Remember ``settings``' base URL in the data folder for the commands that do not serve."""
    from journeyscope.store import write_private_bytes  # the data folder's files are private

    write_private_bytes(settings.data_dir / RECORD_FILE, (settings.web.base_url + "\n").encode())


def read_recorded(data_dir: Path) -> str | None:
    """The recorded address, or ``None`` when none was (or the file is not a URL)."""
    try:
        text = (data_dir / RECORD_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not text.startswith(("http://", "https://")):
        log.warning("ignoring %s: it does not hold an http(s) URL", data_dir / RECORD_FILE)
        return None
    return text.rstrip("/")
