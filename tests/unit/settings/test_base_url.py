"""The one base-URL rule: the setting, else where we serve, else what serve recorded, else 8000."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyscope.base_url import (
    RECORD_FILE,
    Source,
    follow_rule,
    listening_url,
    record_base_url,
    resolve_base_url,
)
from journeyscope.settings import Settings


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv("JOURNEYSCOPE_BASE_URL", raising=False)
    return Settings(data_dir=tmp_path / "data", database={"url": "sqlite://"})


def test_the_setting_wins_over_the_port_served_on(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, web={"base_url": "https://cx.example/"})
    chosen = resolve_base_url(settings, listening=("127.0.0.1", 8101))
    assert (chosen.url, chosen.source) == ("https://cx.example", Source.SETTING)


def test_a_serving_command_links_to_its_port(plain: Settings) -> None:
    chosen = resolve_base_url(plain, listening=("0.0.0.0", 8101))  # noqa: S104 - a test value
    assert (chosen.url, chosen.source) == ("http://127.0.0.1:8101", Source.LISTENING)


def test_other_commands_use_the_address_serve_recorded(plain: Settings) -> None:
    record_base_url(follow_rule(plain, listening=("localhost", 8101)))
    chosen = resolve_base_url(plain)
    assert (chosen.url, chosen.source) == ("http://localhost:8101", Source.RECORDED)


def test_without_a_record_it_is_the_default_and_says_so(plain: Settings) -> None:
    chosen = resolve_base_url(plain)
    assert (chosen.url, chosen.source) == ("http://127.0.0.1:8000", Source.DEFAULT)


def test_a_record_that_is_not_a_url_is_ignored(plain: Settings) -> None:
    plain.data_dir.mkdir(parents=True)
    (plain.data_dir / RECORD_FILE).write_text("not a url\n")
    assert resolve_base_url(plain).source is Source.DEFAULT


def test_following_the_rule_twice_changes_nothing(plain: Settings) -> None:
    once = follow_rule(plain, listening=("127.0.0.1", 8101))
    assert follow_rule(once).web.base_url == "http://127.0.0.1:8101"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("::", "http://127.0.0.1:9000"),
        ("::1", "http://[::1]:9000"),
        ("cx.lan", "http://cx.lan:9000"),
    ],
)
def test_listening_url_of_each_kind_of_host(host: str, url: str) -> None:
    assert listening_url(host, 9000) == url
