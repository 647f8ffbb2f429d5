"""Typed settings from ``JOURNEYSCOPE_*`` environment variables (and a ``.env`` file).

Entry points build one :class:`Settings` and pass it down; nothing reads the environment at
import time, so tests can run many differently-configured apps in one process.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from pathlib import Path
from typing import Any, Literal

import limits
import limits.errors
import limits.storage
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from journeyscope.errors import ConfigurationError

log = logging.getLogger(__name__)

ENV_PREFIX = "JOURNEYSCOPE_"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything an operator can configure; each field documents its variable."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
        validate_default=True,
    )

    data_dir: Path = Field(
        default=Path("journeyscope-data"),
        description="Folder for the embedded SQLite database and the generated secret key.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database, e.g. postgresql://user:pw@host/db. "
        "Default: a SQLite file journeyscope.db in the data directory.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs tokens. Default: generated on first run and stored in "
        "the data directory (a warning says so).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public URL of this server, used in every link sent to customers. Unset: "
        "where serve/demo listen, as recorded in the data folder (see journeyscope.base_url).",
    )
    log_level: LogLevel = Field(default="INFO", description="Logging level.")
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest request body the server reads, in bytes; larger ones get 413.",
    )
    max_public_body_bytes: int = Field(
        default=256 * 1024,
        ge=1024,
        description="Largest request body the anonymous endpoints read (widget, kiosk, hosted "
        "survey pages, unsubscribe, phone webhooks), in bytes; larger ones get 413.",
    )
    public_rate_limit: str = Field(
        default="120/minute",
        description="Requests each client address may make to the public survey endpoints "
        "(hosted pages, widget, kiosk), e.g. 120/minute or 10/second; more get 429.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// for one process, "
        "redis://host:6379 to share them between processes and servers.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed "
        "(comma-separated IPs or networks, * for any). Default: none, so a client cannot "
        "name another address to dodge the rate limits; set it to your reverse proxy's address.",
    )
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server that sends invitations.")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Its port (587: STARTTLS).")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="none",
        description="none (a local relay), starttls (port 587) or tls (implicit TLS, port 465).",
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, if it needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    mail_from: str = Field(
        default="Journeyscope <feedback@localhost>",
        description="The From address of invitations, e.g. 'Acme <feedback@acme.example>'.",
    )
    email_delivery: Literal["smtp", "console"] = Field(
        default="smtp",
        description="How invitation emails leave: smtp (the server above), or console: "
        "printed on the console and kept as .eml files in the data folder's console-mail/, "
        "never sent (the default of journeyscope demo).",
    )
    email_template_dir: Path | None = Field(
        default=None,
        description="A folder with your own invitation.html and/or invitation.txt Jinja2 "
        "templates, replacing the built-in ones (brand the email).",
    )
    sms_provider_url: str = Field(
        default="https://api.twilio.com",
        description="Base URL of the Twilio-compatible SMS and voice API.",
    )
    sms_account_sid: str | None = Field(default=None, description="Provider account id.")
    sms_auth_token: SecretStr | None = Field(
        default=None, description="Provider auth token; also validates its webhook signatures."
    )
    sms_from_number: str | None = Field(
        default=None, description="The number SMS and calls come from (E.164, e.g. +33612345678)."
    )
    workspace: str | None = Field(
        default=None,
        description="Workspace slug the CLI works on; may be left unset when only one exists.",
    )
    worker_backend: Literal["inprocess", "celery"] = Field(
        default="inprocess",
        description="Who sends due invitations: inprocess (a thread of journeyscope serve) or "
        "celery (journeyscope worker processes on a Redis or RabbitMQ broker).",
    )
    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="The Celery broker, e.g. redis://127.0.0.1:6379/0 or "
        "amqp://guest:guest@127.0.0.1:5672//.",
    )
    dispatch_interval_seconds: float = Field(
        default=5.0, gt=0, le=3600, description="How often due invitations are looked for."
    )
    dispatch_batch: int = Field(
        default=200, ge=1, le=5000, description="How many invitations one pass claims at most."
    )
    dispatch_lease_seconds: int = Field(
        default=300,
        ge=5,
        le=86400,
        description="How long a claim lasts: a worker that dies mid-send has its invitations "
        "taken again after this long. Keep it well above the time one pass takes.",
    )

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                f"{ENV_PREFIX}DATABASE_URL is not a database URL ({exc}); "
                "use e.g. postgresql://user:password@127.0.0.1/journeyscope "
                "or sqlite:///path/to/file.db"
            ) from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"{ENV_PREFIX}DATABASE_URL names '{url.get_backend_name()}', which is not "
                "supported; use a postgresql:// or sqlite:/// URL"
            )
        return value

    @field_validator("public_rate_limit")
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        try:
            limits.parse(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate limit; write it like 120/minute or 10/second"
            ) from None
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _check_rate_limit_storage(cls, value: str) -> str:
        try:
            limits.storage.storage_from_string(value)  # builds the client; connects on first use
        except limits.errors.ConfigurationError as error:
            raise ValueError(
                f"{value!r} is not a usable rate-limit storage ({error}); use memory:// or "
                "e.g. redis://127.0.0.1:6379 (which needs pip install 'journeyscope[redis]')"
            ) from None
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _check_forwarded_allow_ips(cls, value: str) -> str:
        return check_proxy_addresses(value)

    @field_validator("email_template_dir")
    @classmethod
    def _check_template_dir(cls, value: Path | None) -> Path | None:
        if value is None or str(value) == "":
            return None
        if not value.is_dir():
            raise ValueError(
                f"{value} is not a folder; give the folder holding your invitation.html "
                "and/or invitation.txt templates"
            )
        return value

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in BROKER_SCHEMES:
            raise ValueError(
                f"{value!r} is not a supported broker URL; use redis://127.0.0.1:6379/0 "
                "(Redis) or amqp://guest:guest@127.0.0.1:5672// (RabbitMQ)"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"{ENV_PREFIX}BASE_URL must start with http:// or https:// (got {value!r})"
            )
        return value.rstrip("/")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    def sqlalchemy_url(self) -> URL:
        """The database URL with the psycopg 3 driver filled in for PostgreSQL."""
        if self.database_url is None:
            return URL.create("sqlite", database=str(self.data_dir / "journeyscope.db"))
        url = make_url(self.database_url)
        if url.drivername in ("postgresql", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
        return url

    def masked(self) -> dict[str, str]:
        """Effective settings for display, with secrets and passwords masked."""
        key = "(set)" if self.secret_key else f"(generated in {self.data_dir / SECRET_KEY_FILE})"
        return {
            f"{ENV_PREFIX}DATA_DIR": str(self.data_dir),
            f"{ENV_PREFIX}DATABASE_URL": self.sqlalchemy_url().render_as_string(hide_password=True),
            f"{ENV_PREFIX}SECRET_KEY": "***" + (" " + key if not self.secret_key else ""),
            f"{ENV_PREFIX}BASE_URL": self.base_url,
            f"{ENV_PREFIX}LOG_LEVEL": self.log_level,
            f"{ENV_PREFIX}MAX_BODY_BYTES": str(self.max_body_bytes),
            f"{ENV_PREFIX}MAX_PUBLIC_BODY_BYTES": str(self.max_public_body_bytes),
            f"{ENV_PREFIX}PUBLIC_RATE_LIMIT": self.public_rate_limit,
            f"{ENV_PREFIX}RATE_LIMIT_STORAGE": _mask_url(self.rate_limit_storage),
            f"{ENV_PREFIX}FORWARDED_ALLOW_IPS": self.forwarded_allow_ips or "(none)",
            f"{ENV_PREFIX}SMTP_HOST": self.smtp_host,
            f"{ENV_PREFIX}SMTP_PORT": str(self.smtp_port),
            f"{ENV_PREFIX}SMTP_SECURITY": self.smtp_security,
            f"{ENV_PREFIX}SMTP_USERNAME": self.smtp_username or "(not set)",
            f"{ENV_PREFIX}SMTP_PASSWORD": "***" if self.smtp_password else "(not set)",
            f"{ENV_PREFIX}MAIL_FROM": self.mail_from,
            f"{ENV_PREFIX}EMAIL_DELIVERY": self.email_delivery,
            f"{ENV_PREFIX}EMAIL_TEMPLATE_DIR": str(self.email_template_dir or "(built-in)"),
            f"{ENV_PREFIX}SMS_PROVIDER_URL": self.sms_provider_url,
            f"{ENV_PREFIX}SMS_ACCOUNT_SID": self.sms_account_sid or "(not set)",
            f"{ENV_PREFIX}SMS_AUTH_TOKEN": "***" if self.sms_auth_token else "(not set)",
            f"{ENV_PREFIX}SMS_FROM_NUMBER": self.sms_from_number or "(not set)",
            f"{ENV_PREFIX}WORKSPACE": self.workspace or "(not set)",
            f"{ENV_PREFIX}WORKER_BACKEND": self.worker_backend,
            f"{ENV_PREFIX}BROKER_URL": _mask_url(self.broker_url),
            f"{ENV_PREFIX}DISPATCH_INTERVAL_SECONDS": str(self.dispatch_interval_seconds),
            f"{ENV_PREFIX}DISPATCH_BATCH": str(self.dispatch_batch),
            f"{ENV_PREFIX}DISPATCH_LEASE_SECONDS": str(self.dispatch_lease_seconds),
        }


def check_proxy_addresses(value: str) -> str:
    """``value`` tidied (``"10.0.0.1, 10.1.0.0/16"`` → ``"10.0.0.1,10.1.0.0/16"``), or an error.

    Each item is an IP address, a network or ``*``; an empty value trusts no proxy.
    """
    items = [item.strip() for item in value.split(",") if item.strip()]
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(
                f"{item!r} is not an IP address or network; list your proxies' addresses, "
                "e.g. 127.0.0.1 or 10.0.0.0/8,::1 (or * to trust any)"
            ) from None
    return ",".join(items)


def _mask_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, turning validation errors into one clear error."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ENV_PREFIX + "_".join(str(p) for p in first["loc"]).upper()
        said = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(
            said if said.startswith(name) else f"{name}: {said}",
            hint="fix the variable (or .env file) and start again",
        ) from None


def ensure_secret_key(settings: Settings) -> SecretStr:
    """Return the configured secret key, or the one generated earlier in the data directory.

    A key generated here is written with mode 0600 and a warning is logged, because losing the
    data directory invalidates every token signed with it.
    """
    if settings.secret_key is not None:
        return settings.secret_key
    path = settings.data_dir / SECRET_KEY_FILE
    if path.exists():
        return SecretStr(path.read_text(encoding="utf-8").strip())
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the key's and the data's
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.warning(
        "%sSECRET_KEY is not set: generated one in %s. Back it up with the data, or set the "
        "variable; tokens signed with it stop working if it is lost.",
        ENV_PREFIX,
        path,
    )
    return SecretStr(key)
