"""Links and QR codes of every CLI command follow one base-URL rule (journeyscope.base_url)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factories import Tenant, make_published_survey
from journeyscope.cli import run
from journeyscope.settings import Settings
from journeyscope.store import Database


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _links(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> dict[str, str]:
    """The base of the link each link-printing command made, by command."""
    commands = {
        "survey link": ("survey", "link", "kiosk"),
        "survey invite": ("survey", "invite", "kiosk"),
        "survey snippet": ("survey", "snippet", "kiosk"),
        "qr survey": ("qr", "survey", "kiosk", "-o", str(tmp_path / "s.svg")),
        "qr kiosk": ("qr", "kiosk", "retail", "checkout-kiosk", "-o", str(tmp_path / "k.svg")),
    }
    bases = {}
    for name, args in commands.items():
        code, out, err = _run(capsys, *args, "-w", "demo")
        assert code == 0, err
        bases[name] = re.findall(r"(https?://[^/\s\"]+)/[sik]/", out)[0]
    return bases


@pytest.mark.slow
def test_links_follow_the_port_demo_served_on_and_the_setting_above_it(
    cli_env: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JOURNEYSCOPE_BASE_URL", raising=False)
    code, out, err = _run(capsys, "demo", "--no-serve", "--port", "8101")
    assert code == 0, err
    assert "http://127.0.0.1:8101/s/" in out
    assert set(_links(capsys, tmp_path).values()) == {"http://127.0.0.1:8101"}
    monkeypatch.setenv("JOURNEYSCOPE_BASE_URL", "https://cx.example")
    assert set(_links(capsys, tmp_path).values()) == {"https://cx.example"}


def test_without_a_server_or_setting_links_use_8000_and_say_why(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JOURNEYSCOPE_BASE_URL", raising=False)
    survey = make_published_survey(db, tenant)
    code, out, err = _run(capsys, "survey", "link", "visit")
    assert code == 0
    assert out == f"http://127.0.0.1:8000/s/{survey.public_id}\n"
    assert "JOURNEYSCOPE_BASE_URL is not set" in err
