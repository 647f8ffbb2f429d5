"""`journeyscope users`, `init --owner` and the demo's owner: people managed from the CLI."""

from __future__ import annotations

import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from journeyscope import workspaces
from journeyscope.cli import demo as demo_cli
from journeyscope.cli import run
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.web.app import create_app
from signin_support import try_sign_in

PRINTED = re.compile(r"good for one sign-in, then they choose their own\): (\S+)$", re.M)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _signs_in(settings: Settings, db: Database, email: str, password: str) -> str:
    """Where a sign-in with these goes (``/app``, ``/app/password``), or its status."""
    with TestClient(create_app(settings, db=db)) as client:
        answer = try_sign_in(client, email, password)
    return answer.headers.get("location", str(answer.status_code))


@pytest.fixture
def acme(cli_env: Settings, capsys: pytest.CaptureFixture[str]) -> Settings:
    assert _run(capsys, "init", "-w", "acme")[0] == 0
    return cli_env


def test_users_add_generates_a_one_time_password_that_signs_in(
    acme: Settings, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "users", "add", "Maya@Example.com", "--role", "analyst")
    assert code == 0, out
    assert "Added maya@example.com to acme as analyst." in out
    password = PRINTED.search(out)
    assert password, out
    assert "/login" in out
    assert _signs_in(acme, db, "maya@example.com", password[1]) == "/app/password"
    assert _signs_in(acme, db, "maya@example.com", "not the password") == "401"


def test_users_add_takes_the_password_from_stdin_and_never_prints_it(
    acme: Settings,
    db: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stdin(monkeypatch, "a passphrase of mine\n")
    code, out, _ = _run(capsys, "users", "add", "lee@example.com", "--password-stdin")
    assert code == 0
    assert "a passphrase of mine" not in out and "as viewer" in out
    assert _signs_in(acme, db, "lee@example.com", "a passphrase of mine") == "/app"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("nobody", "--role", "viewer"), "", "is not an email address"),
        (("a@example.com", "--role", "member"), "", "'member' is not a role"),
        (("a@example.com", "--password-stdin"), "short\n", "10 to 1024"),
        (("a@example.com", "--password-stdin"), "", "No password came on standard input"),
    ],
)
def test_users_add_says_what_is_wrong_in_one_line(
    acme: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    stdin: str,
    message: str,
) -> None:
    _stdin(monkeypatch, stdin)
    code, _, err = _run(capsys, "users", "add", *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_list_set_role_set_password_and_remove(
    acme: Settings,
    db: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _run(capsys, "users", "add", "boss@example.com", "--role", "owner")
    _run(capsys, "users", "add", "sam@example.com")
    code, out, _ = _run(capsys, "users", "list")
    assert code == 0
    assert re.search(r"boss@example.com\s+owner\s+never", out)
    assert re.search(r"sam@example.com\s+viewer\s+never", out)
    assert _run(capsys, "users", "set-role", "sam@example.com", "admin")[1].strip() == (
        "sam@example.com is now admin in acme."
    )
    _stdin(monkeypatch, "sams new passphrase\n")
    code, out, _ = _run(capsys, "users", "set-password", "SAM@example.com", "--password-stdin")
    assert code == 0 and "sessions ended" in out
    assert _signs_in(acme, db, "sam@example.com", "sams new passphrase") == "/app"
    code, out, _ = _run(capsys, "users", "set-password", "sam@example.com")
    generated = PRINTED.search(out)
    assert generated and _signs_in(acme, db, "sam@example.com", generated[1]) == "/app/password"
    assert _run(capsys, "users", "remove", "sam@example.com")[0] == 0
    assert "sam@example.com" not in _run(capsys, "users", "list")[1]
    code, _, err = _run(capsys, "users", "remove", "sam@example.com")
    assert code == 1 and "There is no person sam@example.com" in err


def test_the_last_owner_stays(acme: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "users", "add", "boss@example.com", "--role", "owner")
    code, _, err = _run(capsys, "users", "set-role", "boss@example.com", "viewer")
    assert code == 1 and "last owner" in err and "make someone else an owner first" in err
    assert _run(capsys, "users", "remove", "boss@example.com")[0] == 1


def test_users_of_one_workspace_are_not_reachable_from_another(
    acme: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init", "-w", "globex")
    _run(capsys, "users", "add", "g@globex.example", "-w", "globex", "--role", "owner")
    assert "g@globex.example" not in _run(capsys, "users", "list", "-w", "acme")[1]
    code, _, err = _run(capsys, "users", "set-role", "g@globex.example", "viewer", "-w", "acme")
    assert code == 1 and "There is no person" in err
    code, _, err = _run(capsys, "users", "add", "g@globex.example", "-w", "acme")
    assert code == 1 and "already has an account" in err


def test_init_with_an_owner_prints_their_password_once(
    cli_env: Settings, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "init", "-w", "acme", "--owner", "founder@example.com")
    assert code == 0
    password = PRINTED.search(out)
    assert password and "Owner founder@example.com added." in out
    assert _signs_in(cli_env, db, "founder@example.com", password[1]) == "/app/password"
    (owner,) = workspaces.list_users(db, workspace_id=workspaces.find_workspace(db, "acme").id)
    assert owner.role is workspaces.Role.OWNER


def test_init_json_with_an_owner_and_a_password_from_stdin(
    cli_env: Settings,
    db: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stdin(monkeypatch, "the founders passphrase\n")
    code, out, _ = _run(capsys, "init", "--owner", "f@example.com", "--password-stdin", "--json")
    assert code == 0
    printed = json.loads(out)
    assert printed["owner"] == "f@example.com" and printed["password"] is None
    assert _signs_in(cli_env, db, "f@example.com", "the founders passphrase") == "/app"


def test_init_password_stdin_without_an_owner_is_a_usage_error(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "init", "--password-stdin")
    assert code == 2 and "--owner" in err


@pytest.mark.slow
def test_demo_makes_one_owner_and_a_new_password_each_run(
    cli_env: Settings,
    db: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo_cli, "DEMO_DAYS", 7)  # the owner is the point, not the traffic
    monkeypatch.setattr(demo_cli, "DEMO_PER_DAY", 5.0)
    said = re.compile(r"Sign in at (\S+)/login as owner@demo.localhost with the password (\S+) ")
    passwords = []
    for _ in range(2):
        code, out, _ = _run(capsys, "demo", "--no-serve")
        assert code == 0
        found = said.search(out)
        assert found, out
        assert "new on every demo run" in out
        passwords.append(found[2])
    assert passwords[0] != passwords[1]
    demo = workspaces.find_workspace(db, "demo")
    (owner,) = workspaces.list_users(db, workspace_id=demo.id)
    assert (owner.email, owner.role) == ("owner@demo.localhost", workspaces.Role.OWNER)
    assert _signs_in(cli_env, db, "owner@demo.localhost", passwords[0]) == "401"
    assert _signs_in(cli_env, db, "owner@demo.localhost", passwords[1]) == "/app"
