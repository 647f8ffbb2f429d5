"""Keep secrets and personal data out of the server's logs.

What a log line must not carry, and where it would come from:

- **Link tokens** in paths: ``/i/<token>`` (a personal survey link), ``/u/<token>``
  (unsubscribe) and ``/ivr/<token>/...`` (a phone survey). Anyone holding one can answer or
  unsubscribe as that contact, so a log reader must not get them. ``/s/`` and ``/k/`` carry
  public ids printed on QR codes and published links: they are not secrets and stay.
- **Answers** in query strings: a personal or anonymous link may carry ``?q1=9`` (a score
  clicked in an email). On respondent pages (``/i/``, ``/s/``, ``/u/``, ``/ivr/``) every query
  value is hidden; elsewhere the values of keys named like ``email``, ``phone``, ``token``,
  ``key``, ``secret``, ``password`` or ``external_id``.
- **Contacts' identifiers** anywhere in a URL or a message: e-mail addresses (also written
  ``%40``), phone numbers in international format, and
  ``/v1/contacts/by-external-id/<id>``.
- **API keys** (``js_<prefix>_<secret>``), e.g. sent in a URL by mistake.
- **SQL parameters** in tracebacks (``[parameters: ...]``) and the values PostgreSQL echoes in a
  constraint error (``DETAIL: Key (email)=(...)``). Engines also hide parameters
  (``store.make_engine``); this catches any that another engine lets through.

:class:`RedactSecrets` is a logging filter that every CLI command puts on the root logger's
handlers (:func:`redact_application_logs`) and ``journeyscope serve`` also on uvicorn's (see
``web.server``), so it rewrites the access log, the error log, Celery workers' task lines and
the application's records before they are formatted. It lives outside ``web/`` because the
worker logs too. Records at DEBUG are left whole: debug logs are for a
developer's own machine (docs/configuration.md says so).
"""

from __future__ import annotations

import logging
import re

HIDDEN = "[redacted]"
TOKEN = "[token]"  # noqa: S105 - what replaces a token, not one
EMAIL = "[email]"
PHONE = "[phone]"
API_KEY = "[api-key]"

RESPONDENT_PATHS = ("/i/", "/s/", "/u/", "/ivr/")
"""Pages respondents open: their query strings carry answers and choices, never diagnostics."""
SENSITIVE_KEY_ENDINGS = (
    "email",
    "phone",
    "token",
    "key",
    "secret",
    "password",
    "external_id",
    "signature",
)
"""Query keys whose values are hidden everywhere, matched by their ending (``api_key``,
``access_token``, ``contact_email``), case-insensitively."""

_TOKEN_PATH = re.compile(r"(/(?:i|u|ivr)/)[^/?#\s\"']+")
_EXTERNAL_ID_PATH = re.compile(r"(/by-external-id/)[^/?#\s\"']+")
_EMAIL = re.compile(r"[\w.%+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w%])(?:\+|%2[Bb])\d[\d ().-]{6,18}\d")
_API_KEY = re.compile(r"js_[0-9a-f]{6,}_[\w-]+")
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_KEY_DETAIL = re.compile(r"(Key \([^)\n]*\)=\()[^\n]*?(\) (?:already|is not))")
_FAILING_ROW = re.compile(r"(Failing row contains )\([^\n]*\)")
_QUICK_CHECK = ("/i/", "/u/", "/ivr/", "/s/", "?", "@", "%40", "js_", "+", "%2B", "%2b", "/by-")


def redact_target(target: str) -> str:
    """A request target (path and query string) with its secrets and personal data hidden.

    Most API paths carry none of them, so a cheap substring check returns those unchanged:
    this runs for every line of the access log.
    """
    if not any(marker in target for marker in _QUICK_CHECK):
        return target
    path, sep, query = target.partition("?")
    path = _TOKEN_PATH.sub(rf"\1{TOKEN}", path)
    path = _EXTERNAL_ID_PATH.sub(rf"\1{HIDDEN}", path)
    if sep:
        query = _redact_query(query, hide_all=path.startswith(RESPONDENT_PATHS))
    return _redact_identifiers(path + sep + query)


def _redact_query(query: str, *, hide_all: bool) -> str:
    """Hide the values of sensitive keys, or of every key on a respondent's page."""
    pairs = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if eq and value and (hide_all or _is_sensitive(name)):
            value = HIDDEN
        pairs.append(name + eq + value)
    return "&".join(pairs)


def _is_sensitive(name: str) -> bool:
    return name.lower().replace("-", "_").endswith(SENSITIVE_KEY_ENDINGS)


def _redact_identifiers(text: str) -> str:
    """Hide API keys, e-mail addresses and international phone numbers anywhere in ``text``."""
    text = _API_KEY.sub(API_KEY, text)
    text = _EMAIL.sub(EMAIL, text)
    return _PHONE.sub(PHONE, text)


def redact_text(text: str) -> str:
    """A log message or traceback with tokens, identifiers and SQL values hidden."""
    text = _SQL_PARAMETERS.sub(f"[parameters: {HIDDEN}]", text)
    text = _KEY_DETAIL.sub(rf"\1{HIDDEN}\2", text)
    text = _FAILING_ROW.sub(rf"\1({HIDDEN})", text)
    text = _TOKEN_PATH.sub(rf"\1{TOKEN}", text)
    text = _EXTERNAL_ID_PATH.sub(rf"\1{HIDDEN}", text)
    return _redact_identifiers(text)


ACCESS_LOGGER = "uvicorn.access"
ACCESS_ARGS = 5
"""uvicorn's access record: ``(client, method, target, http_version, status)``."""
_TRACEBACKS = logging.Formatter()


class RedactSecrets(logging.Filter):
    """Rewrite each record above DEBUG so that no handler writes a secret or an identifier.

    uvicorn's access formatter reads the record's five ``args`` one by one, so only the
    request target among them is rewritten; other records get their message rendered and
    redacted, and their traceback formatted and redacted ahead of the handler's formatter
    (which then reuses ``exc_text``).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; never drops a record."""
        if record.levelno <= logging.DEBUG:
            return True
        args = record.args
        if record.name == ACCESS_LOGGER and isinstance(args, tuple) and len(args) == ACCESS_ARGS:
            record.args = (args[0], args[1], redact_target(str(args[2])), *args[3:])
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: keep none of them
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def redact_application_logs() -> None:
    """Put :class:`RedactSecrets` on the root logger's handlers (once each).

    Called by the CLI after it configures logging, so every command — ``serve``, ``demo`` and
    ``worker`` alike — logs without secrets, whichever library wrote the record.
    """
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
