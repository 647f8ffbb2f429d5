"""Grouped settings keep every documented ``JOURNEYSCOPE_*`` variable, and mask secrets by type."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from pydantic import SecretStr, ValidationError

from journeyscope.errors import ConfigurationError
from journeyscope.settings import (
    SecretUrl,
    Settings,
    load_settings,
    mask_url_password,
    variables,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"

# Written out by hand, not derived from the fields: a renamed field or variable shows here.
# (variable, value in the environment, attribute path, value read back)
READ_BACK: list[tuple[str, str, str, object]] = [
    ("JOURNEYSCOPE_DATA_DIR", "/srv/js", "data_dir", Path("/srv/js")),
    ("JOURNEYSCOPE_LOG_LEVEL", "warning", "log_level", "WARNING"),
    ("JOURNEYSCOPE_WORKSPACE", "acme", "workspace", "acme"),
    ("JOURNEYSCOPE_DATABASE_URL", "postgresql://a:b@h/db", "database.url", "postgresql://a:b@h/db"),
    ("JOURNEYSCOPE_SECRET_KEY", "k" * 48, "security.secret_key", "k" * 48),
    ("JOURNEYSCOPE_SESSION_HOURS", "8", "security.session_hours", 8.0),
    ("JOURNEYSCOPE_SESSION_IDLE_MINUTES", "30", "security.session_idle_minutes", 30.0),
    ("JOURNEYSCOPE_BASE_URL", "https://cx.example/", "web.base_url", "https://cx.example"),
    ("JOURNEYSCOPE_FORWARDED_ALLOW_IPS", "10.0.0.1", "web.forwarded_allow_ips", "10.0.0.1"),
    ("JOURNEYSCOPE_MAX_BODY_BYTES", "2048", "limits.max_body_bytes", 2048),
    ("JOURNEYSCOPE_MAX_PUBLIC_BODY_BYTES", "4096", "limits.max_public_body_bytes", 4096),
    ("JOURNEYSCOPE_PUBLIC_RATE_LIMIT", "10/second", "limits.public_rate_limit", "10/second"),
    (
        "JOURNEYSCOPE_RATE_LIMIT_STORAGE",
        "redis://127.0.0.1:6379",
        "limits.rate_limit_storage",
        "redis://127.0.0.1:6379",
    ),
    ("JOURNEYSCOPE_SMTP_HOST", "smtp.example.com", "mail.smtp_host", "smtp.example.com"),
    ("JOURNEYSCOPE_SMTP_PORT", "587", "mail.smtp_port", 587),
    ("JOURNEYSCOPE_SMTP_SECURITY", "starttls", "mail.smtp_security", "starttls"),
    ("JOURNEYSCOPE_SMTP_USERNAME", "me", "mail.smtp_username", "me"),
    ("JOURNEYSCOPE_SMTP_PASSWORD", "pw", "mail.smtp_password", "pw"),
    (
        "JOURNEYSCOPE_MAIL_FROM",
        "Acme <f@acme.example>",
        "mail.from_address",
        "Acme <f@acme.example>",
    ),
    ("JOURNEYSCOPE_EMAIL_DELIVERY", "console", "mail.delivery", "console"),
    ("JOURNEYSCOPE_EMAIL_TEMPLATE_DIR", "{tmp}", "mail.template_dir", "{tmp}"),
    (
        "JOURNEYSCOPE_SMS_PROVIDER_URL",
        "https://sms.example",
        "sms.provider_url",
        "https://sms.example",
    ),
    ("JOURNEYSCOPE_SMS_ACCOUNT_SID", "AC1", "sms.account_sid", "AC1"),
    ("JOURNEYSCOPE_SMS_AUTH_TOKEN", "tok", "sms.auth_token", "tok"),
    ("JOURNEYSCOPE_SMS_FROM_NUMBER", "+33612345678", "sms.from_number", "+33612345678"),
    ("JOURNEYSCOPE_WORKER_BACKEND", "celery", "worker.backend", "celery"),
    ("JOURNEYSCOPE_BROKER_URL", "amqp://g:g@h:5672//", "worker.broker_url", "amqp://g:g@h:5672//"),
    ("JOURNEYSCOPE_DISPATCH_INTERVAL_SECONDS", "0.5", "worker.dispatch_interval_seconds", 0.5),
    ("JOURNEYSCOPE_DISPATCH_BATCH", "7", "worker.dispatch_batch", 7),
    ("JOURNEYSCOPE_DISPATCH_LEASE_SECONDS", "60", "worker.dispatch_lease_seconds", 60),
    ("JOURNEYSCOPE_ANALYSIS_BATCH", "2", "worker.analysis_batch", 2),
    ("JOURNEYSCOPE_ANALYSIS_LEASE_SECONDS", "120", "worker.analysis_lease_seconds", 120),
    ("JOURNEYSCOPE_CHANGES_INTERVAL_SECONDS", "600", "worker.changes_interval_seconds", 600.0),
]


def _read(settings: Settings, path: str) -> object:
    value: object = settings
    for part in path.split("."):
        value = getattr(value, part)
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _filled(text: object, tmp_path: Path) -> object:
    return Path(str(tmp_path)) if text == "{tmp}" else text


def test_the_read_back_table_covers_every_setting_and_every_documented_variable() -> None:
    documented = set(re.findall(r"JOURNEYSCOPE_[A-Z0-9_]+", DOCS.read_text()))
    assert {row[0] for row in READ_BACK} == {v.name for v in variables()} == documented


@pytest.mark.parametrize(("variable", "value", "path", "expected"), READ_BACK)
def test_each_documented_variable_is_read_into_its_group(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    variable: str,
    value: str,
    path: str,
    expected: object,
) -> None:
    monkeypatch.setenv(variable, str(_filled(value, tmp_path)))
    assert _read(load_settings(), path) == _filled(expected, tmp_path)


def test_every_variable_is_read_from_a_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lines = [f"{name}='{_filled(value, tmp_path)}'" for name, value, _, _ in READ_BACK]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    for _, _, path, expected in READ_BACK:
        assert _read(settings, path) == _filled(expected, tmp_path), path


def test_the_environment_wins_over_the_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("JOURNEYSCOPE_SMTP_PORT=2525\nJOURNEYSCOPE_SMTP_HOST=dotenv\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JOURNEYSCOPE_SMTP_PORT", "587")
    mail = load_settings().mail
    assert (mail.smtp_host, mail.smtp_port) == ("dotenv", 587)


def test_arguments_win_over_the_environment_field_by_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_SMTP_HOST", "from-env")
    monkeypatch.setenv("JOURNEYSCOPE_SMTP_PORT", "587")
    mail = Settings(mail={"smtp_host": "given"}).mail
    assert (mail.smtp_host, mail.smtp_port) == ("given", 587)


def test_flat_keyword_arguments_of_the_old_settings_are_refused() -> None:
    # Silently ignored, Settings(smtp_host=...) would send mail to the default relay.
    with pytest.raises(ValidationError, match="smtp_host"):
        Settings(smtp_host="smtp.example.com")


def test_every_field_named_like_a_secret_is_typed_as_one() -> None:
    for variable in variables():
        if re.search(r"PASSWORD|TOKEN|SECRET|KEY", variable.name):
            assert variable.is_secret, variable.name


def test_no_secret_value_is_shown_by_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in variables():
        if variable.is_secret:
            kind = variable.info.annotation
            url = SecretUrl in (kind, *get_args(kind))
            value = "redis://user:hunter2@cache:6379/0" if url else "hunter2"
            monkeypatch.setenv(variable.name, value)
    monkeypatch.setenv("JOURNEYSCOPE_DATABASE_URL", "postgresql://app:hunter2@db/js")
    masked = load_settings().masked()
    assert "hunter2" not in "\n".join(masked.values())
    assert masked["JOURNEYSCOPE_SMTP_PASSWORD"] == "***"
    assert masked["JOURNEYSCOPE_SMS_AUTH_TOKEN"] == "***"
    assert masked["JOURNEYSCOPE_BROKER_URL"] == "redis://user:***@cache:6379/0"
    assert masked["JOURNEYSCOPE_DATABASE_URL"] == "postgresql://app:***@db/js"


def test_masked_lists_every_variable_and_says_what_unset_means(tmp_path: Path) -> None:
    masked = Settings(data_dir=tmp_path).masked()
    assert list(masked) == [v.name for v in variables()]
    assert masked["JOURNEYSCOPE_SECRET_KEY"] == f"(generated in {tmp_path}/secret_key)"
    assert masked["JOURNEYSCOPE_SMTP_PASSWORD"] == "(not set)"
    assert masked["JOURNEYSCOPE_EMAIL_TEMPLATE_DIR"] == "(built-in)"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:pw@db:5432/js", "postgresql://app:***@db:5432/js"),
        ("redis://:pw@cache:6379/0", "redis://:***@cache:6379/0"),
        ("amqp://guest:p/w@rabbit:5672//", "amqp://guest:***@rabbit:5672//"),
        ("amqp://guest:p@w@rabbit//", "amqp://guest:***@rabbit//"),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("sqlite:////var/lib/js/journeyscope.db", "sqlite:////var/lib/js/journeyscope.db"),
        ("no scheme:pw@host", "***"),
    ],
)
def test_only_the_password_of_a_url_is_masked(url: str, shown: str) -> None:
    assert mask_url_password(url) == shown


def test_a_bad_value_names_its_variable_and_the_hint_gives_an_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_SMTP_PORT", "99999")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.message.startswith("JOURNEYSCOPE_SMTP_PORT: ")
    assert "65535" in caught.value.message
    assert caught.value.hint is not None
    assert "e.g. 587" in caught.value.hint


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JOURNEYSCOPE_DATABASE_URL", "mysql://app:hunter2@db/js"),
        ("JOURNEYSCOPE_DATABASE_URL", "postgresql://app:hunter2@db:port/js"),
        ("JOURNEYSCOPE_BROKER_URL", "http://app:hunter2@broker"),
        ("JOURNEYSCOPE_RATE_LIMIT_STORAGE", "reddis://app:hunter2@cache"),
    ],
)
def test_an_error_about_a_secret_url_does_not_repeat_its_password(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.message.startswith(variable)
    assert "hunter2" not in f"{caught.value.message} {caught.value.hint}"


def test_an_empty_secret_key_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty key would sign every token with nothing.
    monkeypatch.setenv("JOURNEYSCOPE_SECRET_KEY", "")
    assert load_settings().security.secret_key is None


def test_updated_checks_the_values_and_keeps_what_was_set() -> None:
    settings = Settings(web={"base_url": "https://cx.example"})
    moved = settings.updated(web={"forwarded_allow_ips": " 10.0.0.1 "}, mail={"smtp_port": 2525})
    assert moved.web.forwarded_allow_ips == "10.0.0.1"
    assert moved.web.model_fields_set == {"base_url", "forwarded_allow_ips"}
    assert moved.mail.smtp_port == 2525
    assert settings.mail.smtp_port == 25
    with pytest.raises(ValidationError):
        settings.updated(mail={"smtp_port": 0})


def test_a_broker_url_given_as_text_becomes_a_secret() -> None:
    settings = Settings().updated(worker={"broker_url": "redis://:pw@cache:6379/0"})
    assert isinstance(settings.worker.broker_url, SecretUrl)
    assert settings.worker.broker_url.masked() == "redis://:***@cache:6379/0"
