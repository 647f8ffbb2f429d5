"""Typed settings from ``JOURNEYSCOPE_*`` environment variables (and a ``.env`` file).

Entry points build one :class:`Settings` and pass it down; nothing reads the environment at
import time, so tests can run many differently-configured apps in one process.

Settings are grouped (``settings.mail.smtp_host``), but each keeps its one flat variable
(``JOURNEYSCOPE_SMTP_HOST``), named next to the field: :func:`variables` lists them, and the
environment, the ``.env`` file, the error messages, :meth:`Settings.masked` and the docs test all
go through that list. Secrets are typed :class:`~pydantic.SecretStr` (URLs that may carry a
password :class:`SecretUrl`), and :meth:`Settings.masked` hides a value by its type, so a new
secret cannot be shown by mistake.

``fields`` holds what each setting carries (variable, example, masking), ``groups`` the groups
and their checks, ``environment`` the :class:`Settings` and how it is read. The package imports
only :mod:`journeyscope.errors`: never ``store``, ``web``, ``cli`` or a domain.
"""

from journeyscope.settings.environment import (
    SECRET_KEY_FILE,
    LogLevel,
    Settings,
    ensure_secret_key,
    load_settings,
    variables,
)
from journeyscope.settings.fields import ENV_PREFIX, MASK, SecretUrl, Variable, mask_url_password
from journeyscope.settings.groups import (
    DatabaseSettings,
    LimitSettings,
    MailSettings,
    SecuritySettings,
    SmsSettings,
    WebSettings,
    WorkerSettings,
    check_proxy_addresses,
)

__all__ = [
    "ENV_PREFIX",
    "MASK",
    "SECRET_KEY_FILE",
    "DatabaseSettings",
    "LimitSettings",
    "LogLevel",
    "MailSettings",
    "SecretUrl",
    "SecuritySettings",
    "Settings",
    "SmsSettings",
    "Variable",
    "WebSettings",
    "WorkerSettings",
    "check_proxy_addresses",
    "ensure_secret_key",
    "load_settings",
    "mask_url_password",
    "variables",
]
