"""``JOURNEYSCOPE_FORWARDED_ALLOW_IPS``: no proxy by default; addresses checked at start-up."""

from __future__ import annotations

import pytest

from journeyscope.errors import ConfigurationError
from journeyscope.settings import load_settings


def test_no_proxy_is_trusted_by_default() -> None:
    settings = load_settings()
    assert settings.web.forwarded_allow_ips == ""
    assert settings.masked()["JOURNEYSCOPE_FORWARDED_ALLOW_IPS"] == "(none)"


def test_addresses_networks_and_any_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_FORWARDED_ALLOW_IPS", " 10.0.0.1, 10.1.0.0/16 ,::1,*")
    assert load_settings().web.forwarded_allow_ips == "10.0.0.1,10.1.0.0/16,::1,*"


def test_a_name_instead_of_an_address_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_FORWARDED_ALLOW_IPS", "127.0.0.1,proxy.internal")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert str(caught.value).startswith("JOURNEYSCOPE_FORWARDED_ALLOW_IPS: 'proxy.internal'")
    assert "e.g. 127.0.0.1 or 10.0.0.0/8,::1" in str(caught.value)
