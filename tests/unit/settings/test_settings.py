from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from journeyscope.errors import ConfigurationError
from journeyscope.settings import Settings, ensure_secret_key, load_settings


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    url = settings.sqlalchemy_url()
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "journeyscope.db")


def test_postgres_urls_get_the_psycopg3_driver() -> None:
    url = Settings(database={"url": "postgresql://u:p@h/db"}).sqlalchemy_url()
    assert url.drivername == "postgresql+psycopg"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOURNEYSCOPE_LOG_LEVEL", "debug")
    monkeypatch.setenv("JOURNEYSCOPE_BASE_URL", "https://cx.example.com/")
    settings = load_settings()
    assert (settings.data_dir, settings.log_level) == (tmp_path, "DEBUG")
    assert settings.web.base_url == "https://cx.example.com"


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("JOURNEYSCOPE_DATABASE_URL", "mysql://x@y/z", "postgresql://"),
        ("JOURNEYSCOPE_DATABASE_URL", "not a url", "sqlite:///"),
        ("JOURNEYSCOPE_BASE_URL", "cx.example.com", "http://"),
        ("JOURNEYSCOPE_LOG_LEVEL", "LOUD", "JOURNEYSCOPE_LOG_LEVEL"),
    ],
)
def test_bad_values_name_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.message.startswith(variable)
    assert words in caught.value.message


def test_masked_settings_hide_passwords_and_the_secret_key() -> None:
    masked = Settings(
        database={"url": "postgresql://app:hunter2@db/js"}, security={"secret_key": "s3cret"}
    ).masked()
    text = "\n".join(masked.values())
    assert "hunter2" not in text
    assert "s3cret" not in text
    assert masked["JOURNEYSCOPE_SECRET_KEY"] == "***"


def test_secret_key_is_generated_once_privately_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with caplog.at_level(logging.WARNING):
        first = ensure_secret_key(settings)
    assert "JOURNEYSCOPE_SECRET_KEY is not set" in caplog.text
    path = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.get_secret_value()) >= 48
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = ensure_secret_key(settings)
    assert again.get_secret_value() == first.get_secret_value()
    assert caplog.text == ""


def test_configured_secret_key_wins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, security={"secret_key": "mine"})
    assert ensure_secret_key(settings).get_secret_value() == "mine"
    assert not (tmp_path / "secret_key").exists()


def test_a_rate_limit_storage_with_an_unknown_scheme_is_refused_with_examples() -> None:
    # Found in review: a bad value crashed the app factory with the library's own error.
    with pytest.raises(ConfigurationError, match=r"redis://127\.0\.0\.1:6379"):
        load_settings(limits={"rate_limit_storage": "reddis://localhost"})
    redis = load_settings(limits={"rate_limit_storage": "redis://127.0.0.1:6379"})
    assert redis.limits.rate_limit_storage.get_secret_value() == "redis://127.0.0.1:6379"
