"""`journeyscope survey link | invite | snippet`: links printed by the CLI open the survey."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factories import Tenant, make_published_survey
from journeyscope import collection, orchestration
from journeyscope.cli import run
from journeyscope.settings import Settings
from journeyscope.store import Database


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_link_prints_the_anonymous_link(
    cli_env: Settings, db: Database, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = make_published_survey(db, tenant)
    code, out, _ = _run(capsys, "survey", "link", "visit")
    assert code == 0
    assert out == f"http://127.0.0.1:8000/s/{survey.public_id}\n"


def test_invite_prints_a_personal_link_for_a_contact(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_SECRET_KEY", "cli-secret")
    survey = make_published_survey(db, tenant)
    contact = collection.create_contact(
        db, workspace_id=tenant.id, data=collection.ContactIn(external_id="C-9")
    )
    code, out, _ = _run(capsys, "survey", "invite", "visit", "--contact", "C-9", "--days", "3")
    assert code == 0
    token = out.strip().rsplit("/i/", 1)[1]
    invitation = collection.read_invitation(token, "cli-secret", now=db.clock.now())
    assert invitation.contact_id == contact.id and invitation.survey_id == survey.survey_id


def test_a_link_printed_by_invite_is_an_invitation_the_funnel_counts(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_SECRET_KEY", "test-secret-key")  # the server's (client)
    make_published_survey(db, tenant)
    collection.create_contact(
        db, workspace_id=tenant.id, data=collection.ContactIn(external_id="C-9")
    )
    code, out, _ = _run(capsys, "survey", "invite", "visit", "--contact", "C-9")
    assert code == 0
    path = "/i/" + out.strip().rsplit("/i/", 1)[1]
    assert client.get(f"{path}?nps=6").status_code == 200  # a score clicked in the email
    total = client.get("/v1/invitations/funnel", headers=tenant.headers).json()["total"]
    steps = ("planned", "sent", "opened", "started", "completed")
    assert [total[step] for step in steps] == [1, 1, 1, 0, 0]  # opening saves no score
    [why] = orchestration.invitations_of(db, workspace_id=tenant.id, contact_external_id="C-9")
    assert (why.state, why.channel) == ("opened", "email")


def test_invite_for_an_unknown_contact_is_one_line(
    cli_env: Settings, db: Database, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    make_published_survey(db, tenant)
    code, _, err = _run(capsys, "survey", "invite", "visit", "--contact", "ghost")
    assert code == 1
    assert "ghost" in err and "Traceback" not in err


def test_snippet_writes_the_email_html(
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_published_survey(db, tenant)
    target = tmp_path / "email.html"
    code, out, _ = _run(capsys, "survey", "snippet", "visit", "--out", str(target))
    assert code == 0 and "wrote" in out
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<table") and html.count("?nps=") == 11
