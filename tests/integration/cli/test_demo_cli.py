"""`journeyscope demo` makes the README's example event visibly invite its contact."""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeyscope import orchestration
from journeyscope.cli import run
from journeyscope.cli.context import state
from journeyscope.orchestration.channels import senders_from_settings
from journeyscope.orchestration.channels.console import CONSOLE_MAIL_DIR, LABEL
from journeyscope.orchestration.dispatcher import dispatch_once
from journeyscope.settings import Settings, ensure_secret_key
from journeyscope.store import Database
from journeyscope.web.app import create_app
from journeyscope.worker import dispatch_config

README = Path(__file__).resolve().parents[3] / "README.md"


def _readme_event() -> dict[str, Any]:
    """The event the README's quick start posts to /v1/events."""
    found = re.search(r"-d '(\{[^']*\"sale\.completed\"[^']*\})'", README.read_text())
    assert found, "the README no longer posts a sale.completed event"
    event: dict[str, Any] = json.loads(found.group(1))
    return event


@pytest.mark.slow
def test_the_readme_event_sends_an_invitation_to_the_demo_console(
    cli_env: Settings,
    db: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JOURNEYSCOPE_EMAIL_DELIVERY", raising=False)
    monkeypatch.delenv("JOURNEYSCOPE_BASE_URL", raising=False)
    assert run(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "rule why-us-after-sale: a sale.completed event invites its contact" in out
    key = re.search(r"^Demo API key .*: (js_\S+)$", out, re.MULTILINE)
    assert key is not None
    served = state.settings  # what `demo` serves with: emails to the console by default
    assert served.mail.delivery == "console"
    event = _readme_event()
    with TestClient(create_app(served, db=db)) as client:
        reply = client.post(
            "/v1/events", json=event, headers={"Authorization": f"Bearer {key.group(1)}"}
        )
    assert reply.status_code == 201, reply.text
    (planned,) = orchestration.invitations_of(
        db, workspace_id=_demo_id(db), contact_external_id=event["contact_external_id"]
    )
    assert (planned.survey_key, planned.channel, planned.state) == ("why-us", "email", "scheduled")
    console = io.StringIO()
    config = dispatch_config(served, ensure_secret_key(served).get_secret_value())
    senders = senders_from_settings(served, console=console)
    report = asyncio.run(dispatch_once(db, senders, config))
    assert report.claimed == 1
    line = console.getvalue()
    email = event["contact"]["email"]
    assert line.startswith(f"{LABEL} invitation to {email} for survey 'why-us': ")
    assert "http://127.0.0.1:8000/i/" in line
    (kept,) = (served.data_dir / CONSOLE_MAIL_DIR).glob("*.eml")
    assert str(kept) in line
    message = kept.read_bytes()
    assert f"To: Ana Lima <{email}>".encode() in message
    (sent,) = orchestration.invitations_of(
        db, workspace_id=_demo_id(db), contact_external_id=event["contact_external_id"]
    )
    assert sent.state == "sent"


def _demo_id(db: Database) -> Any:
    from journeyscope.workspaces import find_workspace

    return find_workspace(db, "demo").id
