"""``journeyscope serve --forwarded-allow-ips``: a bad value is a usage error, before serving."""

from __future__ import annotations

import pytest

from journeyscope.cli import run
from journeyscope.settings import Settings


def test_a_bad_proxy_address_is_a_usage_error_naming_the_option(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["serve", "--port", "1", "--forwarded-allow-ips", "10.0.0.1,proxy.internal"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--forwarded-allow-ips" in err and "'proxy.internal' is not an IP address" in err
