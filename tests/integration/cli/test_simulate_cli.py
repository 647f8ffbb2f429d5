"""`journeyscope simulate`: fills the workspace and says what it wrote; a rerun writes nothing."""

from __future__ import annotations

import pytest

from factories import Tenant
from journeyscope.cli import run
from journeyscope.settings import Settings


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_simulate_writes_days_and_a_rerun_finds_them_written(
    cli_env: Settings, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("simulate", "--days", "3", "--per-day", "20", "--seed", "3")
    code, out, _ = _run(capsys, *args, "--plant", "loyalty-nps:nps:1:-8")
    assert code == 0
    assert out.startswith("journey retail, ")
    assert "0 days found written already" in out
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert "written: 0 responses, 0 invitations, 0 events" in out
    assert "3 days found written already" in out


def test_a_malformed_planted_change_is_a_one_line_error(
    cli_env: Settings, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "simulate", "--days", "2", "--plant", "nps-down")
    assert code == 1
    assert "is not a planted change" in err


def test_simulate_bulk_loads_responses_and_refuses_the_same_range_again(
    cli_env: Settings, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("simulate", "--bulk", "--days", "3", "--per-day", "20", "--seed", "3")
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert out.startswith("journey retail, ")
    assert "loaded: " in out and " metric facts" in out
    code, _, err = _run(capsys, *args)
    assert code == 1
    assert "empty range only" in err
