"""The groups of settings (``settings.mail``...), each field naming its variable.

Validators say what is wrong and give an example; :func:`journeyscope.settings.load_settings`
puts the variable's name in front. They never repeat a secret: a URL is quoted with its password
masked.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

import limits
import limits.errors
import limits.storage
from pydantic import BaseModel, ConfigDict, SecretStr, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from journeyscope.settings.fields import SecretUrl, setting

BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp")


class SettingsGroup(BaseModel):
    """A group of settings: unknown names are refused, defaults are checked too."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class DatabaseSettings(SettingsGroup):
    """Where the data lives."""

    url: SecretUrl | None = setting(
        None,
        env="JOURNEYSCOPE_DATABASE_URL",
        description="SQLAlchemy URL of the database, e.g. postgresql://user:pw@host/db. "
        "Default: a SQLite file journeyscope.db in the data directory.",
        example="postgresql://journeyscope:password@127.0.0.1/journeyscope",
        unset="(SQLite: {data_dir}/journeyscope.db)",
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: SecretUrl | None) -> SecretUrl | None:
        text = value.get_secret_value() if value is not None else ""
        if text == "":
            return None
        try:  # their messages quote the URL, password and all
            url = make_url(text)
        except (ArgumentError, ValueError):  # a port that is not a number: ValueError
            raise ValueError(
                "not a database URL; use e.g. postgresql://user:password@127.0.0.1/journeyscope "
                "or sqlite:///path/to/file.db"
            ) from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"'{url.get_backend_name()}' is not a supported database; use a postgresql:// "
                "or sqlite:/// URL"
            )
        return value


class SecuritySettings(SettingsGroup):
    """What signs links and forms."""

    secret_key: SecretStr | None = setting(
        None,
        env="JOURNEYSCOPE_SECRET_KEY",
        description="Key that signs tokens. Default: generated on first run and stored in "
        "the data directory (a warning says so).",
        example="the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
        unset="(generated in {data_dir}/secret_key)",
    )

    session_hours: float = setting(
        12.0,
        env="JOURNEYSCOPE_SESSION_HOURS",
        description="How long a web sign-in lasts at most; then the person signs in again.",
        example="12",
        gt=0,
        le=24 * 30,
    )
    session_idle_minutes: float = setting(
        120.0,
        env="JOURNEYSCOPE_SESSION_IDLE_MINUTES",
        description="A web sign-in not used for this long ends (a browser left open).",
        example="120",
        ge=1,
        le=24 * 60 * 30,
    )

    @field_validator("secret_key")
    @classmethod
    def _empty_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty key would sign every token with nothing; unset, one is generated instead.
        return value if value is not None and value.get_secret_value() else None


class WebSettings(SettingsGroup):
    """The server's public address and the proxies in front of it."""

    base_url: str = setting(
        "http://127.0.0.1:8000",
        env="JOURNEYSCOPE_BASE_URL",
        description="Public URL of this server, used in every link sent to customers. Unset: "
        "where serve/demo listen, as recorded in the data folder (see journeyscope.base_url).",
        example="https://feedback.example.com",
    )
    forwarded_allow_ips: str = setting(
        "",
        env="JOURNEYSCOPE_FORWARDED_ALLOW_IPS",
        description="Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed "
        "(comma-separated IPs or networks, * for any). Default: none, so a client cannot "
        "name another address to dodge the rate limits; set it to your reverse proxy's address.",
        example="127.0.0.1 or 10.0.0.0/8,::1",
    )

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        return value.rstrip("/")

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _check_forwarded_allow_ips(cls, value: str) -> str:
        return check_proxy_addresses(value)


class LimitSettings(SettingsGroup):
    """How much one request, and one client, may ask of the server."""

    max_body_bytes: int = setting(
        10 * 1024 * 1024,
        env="JOURNEYSCOPE_MAX_BODY_BYTES",
        description="Largest request body the server reads, in bytes; larger ones get 413.",
        example="10485760",
        ge=1024,
    )
    max_public_body_bytes: int = setting(
        256 * 1024,
        env="JOURNEYSCOPE_MAX_PUBLIC_BODY_BYTES",
        description="Largest request body the anonymous endpoints read (widget, kiosk, hosted "
        "survey pages, unsubscribe, phone webhooks), in bytes; larger ones get 413.",
        example="262144",
        ge=1024,
    )
    public_rate_limit: str = setting(
        "120/minute",
        env="JOURNEYSCOPE_PUBLIC_RATE_LIMIT",
        description="Requests each client address may make to the public survey endpoints "
        "(hosted pages, widget, kiosk), e.g. 120/minute or 10/second; more get 429.",
        example="120/minute",
    )
    rate_limit_storage: SecretUrl = setting(
        SecretUrl("memory://"),
        env="JOURNEYSCOPE_RATE_LIMIT_STORAGE",
        description="Where rate-limit counters live: memory:// for one process, "
        "redis://host:6379 to share them between processes and servers.",
        example="redis://127.0.0.1:6379",
    )

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
    def _check_rate_limit_storage(cls, value: SecretUrl) -> SecretUrl:
        text = value.get_secret_value()
        try:  # builds the client; connects on first use
            limits.storage.storage_from_string(text)
        except limits.errors.ConfigurationError as error:
            said = str(error).replace(text, value.masked())  # it quotes the URL, password and all
            raise ValueError(
                f"{value.masked()!r} is not a usable rate-limit storage ({said}); use memory:// "
                "or e.g. redis://127.0.0.1:6379 (which needs pip install 'journeyscope[redis]')"
            ) from None
        return value


class MailSettings(SettingsGroup):
    """How invitation emails leave."""

    smtp_host: str = setting(
        "127.0.0.1",
        env="JOURNEYSCOPE_SMTP_HOST",
        description="SMTP server that sends invitations.",
        example="smtp.example.com",
    )
    smtp_port: int = setting(
        25,
        env="JOURNEYSCOPE_SMTP_PORT",
        description="Its port (587: STARTTLS).",
        example="587",
        ge=1,
        le=65535,
    )
    smtp_security: Literal["none", "starttls", "tls"] = setting(
        "none",
        env="JOURNEYSCOPE_SMTP_SECURITY",
        description="none (a local relay), starttls (port 587) or tls (implicit TLS, port 465).",
        example="starttls",
    )
    smtp_username: str | None = setting(
        None,
        env="JOURNEYSCOPE_SMTP_USERNAME",
        description="SMTP login, if it needs one.",
        example="feedback@example.com",
    )
    smtp_password: SecretStr | None = setting(
        None,
        env="JOURNEYSCOPE_SMTP_PASSWORD",
        description="SMTP password.",
        example="the password of the SMTP login",
    )
    from_address: str = setting(
        "Journeyscope <feedback@localhost>",
        env="JOURNEYSCOPE_MAIL_FROM",
        description="The From address of invitations, e.g. 'Acme <feedback@acme.example>'.",
        example="Acme <feedback@acme.example>",
    )
    delivery: Literal["smtp", "console"] = setting(
        "smtp",
        env="JOURNEYSCOPE_EMAIL_DELIVERY",
        description="How invitation emails leave: smtp (the server above), or console: "
        "printed on the console and kept as .eml files in the data folder's console-mail/, "
        "never sent (the default of journeyscope demo).",
        example="console",
    )
    template_dir: Path | None = setting(
        None,
        env="JOURNEYSCOPE_EMAIL_TEMPLATE_DIR",
        description="A folder with your own invitation.html and/or invitation.txt Jinja2 "
        "templates, replacing the built-in ones (brand the email).",
        example="/etc/journeyscope/email",
        unset="(built-in)",
    )

    @field_validator("template_dir")
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


class SmsSettings(SettingsGroup):
    """The Twilio-compatible provider of SMS and phone surveys."""

    provider_url: str = setting(
        "https://api.twilio.com",
        env="JOURNEYSCOPE_SMS_PROVIDER_URL",
        description="Base URL of the Twilio-compatible SMS and voice API.",
        example="https://api.twilio.com",
    )
    account_sid: str | None = setting(
        None,
        env="JOURNEYSCOPE_SMS_ACCOUNT_SID",
        description="Provider account id.",
        example="AC0123456789abcdef0123456789abcdef",
    )
    auth_token: SecretStr | None = setting(
        None,
        env="JOURNEYSCOPE_SMS_AUTH_TOKEN",
        description="Provider auth token; also validates its webhook signatures.",
        example="the auth token shown in the provider's console",
    )
    from_number: str | None = setting(
        None,
        env="JOURNEYSCOPE_SMS_FROM_NUMBER",
        description="The number SMS and calls come from (E.164, e.g. +33612345678).",
        example="+33612345678",
    )


class WorkerSettings(SettingsGroup):
    """Who sends due invitations, analyses queued texts and looks for changes, and how often."""

    backend: Literal["inprocess", "celery"] = setting(
        "inprocess",
        env="JOURNEYSCOPE_WORKER_BACKEND",
        description="Who sends due invitations: inprocess (a thread of journeyscope serve) or "
        "celery (journeyscope worker processes on a Redis or RabbitMQ broker).",
        example="celery",
    )
    broker_url: SecretUrl = setting(
        SecretUrl("redis://127.0.0.1:6379/0"),
        env="JOURNEYSCOPE_BROKER_URL",
        description="The Celery broker, e.g. redis://127.0.0.1:6379/0 or "
        "amqp://guest:guest@127.0.0.1:5672//.",
        example="amqp://guest:guest@127.0.0.1:5672//",
    )
    dispatch_interval_seconds: float = setting(
        5.0,
        env="JOURNEYSCOPE_DISPATCH_INTERVAL_SECONDS",
        description="How often due invitations are looked for.",
        example="5",
        gt=0,
        le=3600,
    )
    dispatch_batch: int = setting(
        200,
        env="JOURNEYSCOPE_DISPATCH_BATCH",
        description="How many invitations one pass claims at most.",
        example="200",
        ge=1,
        le=5000,
    )
    dispatch_lease_seconds: int = setting(
        300,
        env="JOURNEYSCOPE_DISPATCH_LEASE_SECONDS",
        description="How long a claim lasts: a worker that dies mid-send has its invitations "
        "taken again after this long. Keep it well above the time one pass takes.",
        example="300",
        ge=5,
        le=86400,
    )
    analysis_batch: int = setting(
        4,
        env="JOURNEYSCOPE_ANALYSIS_BATCH",
        description="How many queued interviews (and 50 times as many survey verbatims) one "
        "analysis pass claims at most.",
        example="4",
        ge=1,
        le=100,
    )
    analysis_lease_seconds: int = setting(
        900,
        env="JOURNEYSCOPE_ANALYSIS_LEASE_SECONDS",
        description="How long an analysis claim lasts: a worker that dies mid-analysis has its "
        "interviews and verbatims taken again after this long. Keep it above the time the "
        "longest interview takes.",
        example="900",
        ge=30,
        le=86400,
    )
    changes_interval_seconds: float = setting(
        3600.0,
        env="JOURNEYSCOPE_CHANGES_INTERVAL_SECONDS",
        description="How often the change-detection pass looks for level shifts in every "
        "touchpoint's daily NPS, CSAT and CES (a change shows in GET /v1/changes at most this "
        "long after the rollups move).",
        example="3600",
        gt=0,
        le=86400,
    )

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: SecretUrl) -> SecretUrl:
        text = value.get_secret_value()
        scheme = text.split("://", 1)[0] if "://" in text else ""
        if scheme not in BROKER_SCHEMES:
            raise ValueError(
                f"{value.masked()!r} is not a supported broker URL; use redis://127.0.0.1:6379/0 "
                "(Redis) or amqp://guest:guest@127.0.0.1:5672// (RabbitMQ)"
            )
        return value


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
