"""The CLI through ``journeyscope.cli.run`` (the console script's own function)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeyscope import journey
from journeyscope.cli import run
from journeyscope.settings import Settings

BROKEN = """\
key: retail
name: Retail
stages:
  - key: buy
    name: Buy
    touchpoints:
      - key: till
        name: Till
        channel: call-center
"""


@pytest.fixture
def example() -> Path:
    return next(p for p in journey.example_paths() if p.name == "retail.yaml")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_json_prints_a_working_key(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "init", "--workspace", "acme", "--json")
    assert code == 0
    printed = json.loads(out)
    assert printed["workspace"] == "acme"
    assert printed["api_key"].startswith("js_")
    code, out, _ = _run(capsys, "keys", "list")
    assert code == 0
    assert "init" in out
    assert printed["api_key"] not in out


def test_init_refuses_an_existing_workspace(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    code, _, err = _run(capsys, "init")
    assert code == 1
    assert "already exists" in err
    assert "Traceback" not in err


def test_validate_names_line_problem_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    code, _, err = _run(capsys, "journey", "validate", str(path))
    assert code == 1
    assert "line 9" in err
    assert "call_center" in err
    assert "Traceback" not in err


def test_validate_lists_the_first_50_problems_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stages = "".join(
        f"  - key: s{i}\n    name: S{i}\n    touchpoints:\n"
        f"      - key: t{i}\n        name: T{i}\n        channel: pigeon\n"
        for i in range(60)
    )
    path = tmp_path / "sixty.yaml"
    path.write_text(f"key: retail\nname: Retail\nstages:\n{stages}")
    code, _, err = _run(capsys, "journey", "validate", str(path))
    assert code == 1
    assert "60 problems" in err
    assert err.count("\n  - ") == 50
    assert "  ... and 10 more problems" in err


def test_apply_twice_then_export_round_trips(
    cli_env: Settings, example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    code, out, _ = _run(capsys, "journey", "apply", str(example))
    assert code == 0
    assert "created" in out
    code, out, _ = _run(capsys, "journey", "apply", str(example))
    assert code == 0
    assert "created" not in out
    assert "updated" not in out
    assert "unchanged" in out
    exported = tmp_path / "out.yaml"
    code, _, _ = _run(capsys, "journey", "export", "retail", "-o", str(exported))
    assert code == 0
    assert journey.load_journey_file(exported) == journey.load_journey_file(example)
    code, out, _ = _run(capsys, "journey", "export", "retail")
    assert journey.load_journey_yaml(out) == journey.load_journey_file(example)
    code, out, _ = _run(capsys, "journey", "list")
    assert out.splitlines()[1].split()[0] == "retail"


def test_several_workspaces_need_a_choice(
    cli_env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys, "init", "-w", "one")
    _run(capsys, "init", "-w", "two")
    code, _, err = _run(capsys, "journey", "list")
    assert code == 1
    assert "--workspace" in err
    assert _run(capsys, "journey", "list", "-w", "two")[0] == 0
    monkeypatch.setenv("JOURNEYSCOPE_WORKSPACE", "one")
    assert _run(capsys, "journey", "list")[0] == 0
    code, _, err = _run(capsys, "journey", "list", "-w", "three")
    assert (code, "no workspace 'three'" in err) == (1, True)


def test_contacts_import_commits_valid_rows_and_rejects_the_rest(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    csv_path = tmp_path / "contacts.csv"
    csv_path.write_text(
        "external_id,email,timezone,segment\n"
        "C-1,ana@example.com,Europe/Paris,gold\n"
        "C-2,not-an-email,,silver\n"
        ",nobody@example.com,,\n"
        "C-3,bo@example.com,Mars/Base,\n"
        "C-4,cy@example.com,UTC,\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "contacts", "import", str(csv_path))
    assert code == 1  # some rows were rejected: scripts must notice
    assert "5 rows: 2 created, 0 updated, 0 unchanged, 3 rejected" in out
    rejects = (tmp_path / "contacts.rejects.csv").read_text().splitlines()
    assert rejects[0].startswith("line,reason,external_id")
    assert [r.split(",")[0] for r in rejects[1:]] == ["3", "4", "5"]
    assert "email" in rejects[1]
    assert "external_id" in rejects[2]
    assert "time zone" in rejects[3]
    code, out, _ = _run(capsys, "contacts", "import", str(csv_path))
    assert "0 created, 0 updated, 2 unchanged" in out


def test_contacts_import_without_external_id_column_explains(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("id,email\n1,a@example.com\n")
    code, _, err = _run(capsys, "contacts", "import", str(csv_path))
    assert code == 1
    assert "no external_id column" in err


def test_config_masks_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_DATABASE_URL", "postgresql://app:hunter2@db.internal/js")
    monkeypatch.setenv("JOURNEYSCOPE_SECRET_KEY", "s3cret-value")
    code, out, _ = _run(capsys, "config")
    assert code == 0
    assert "hunter2" not in out
    assert "s3cret-value" not in out
    assert "JOURNEYSCOPE_DATABASE_URL=postgresql://app:***@db.internal/js" in out


def test_bad_setting_is_one_line_naming_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_DATABASE_URL", "mysql://x@y/z")
    code, _, err = _run(capsys, "config")
    assert code == 1
    assert "JOURNEYSCOPE_DATABASE_URL" in err
    assert "Traceback" not in err


def test_unreachable_database_is_one_line_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    code, _, err = _run(capsys, "journey", "list")
    assert code == 1
    assert err.startswith("error: OperationalError")
    assert "--debug" in err
    with pytest.raises(Exception, match=r"127\.0\.0\.1"):
        run(["--debug", "journey", "list"])


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "no-such-command")
    assert code == 2
    assert "No such command" in err


def test_survey_templates_create_and_publish_from_the_cli(
    cli_env: Settings, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    code, out, _ = _run(capsys, "survey", "templates")
    assert code == 0
    assert "relationship-nps" in out
    _run(capsys, "journey", "apply", str(example))
    point = journey.load_journey_file(example).stages[0].touchpoints[0].key
    code, out, err = _run(
        capsys,
        "survey",
        "create",
        "nps",
        "--template",
        "relationship-nps",
        "--touchpoint",
        f"retail/{point}",
    )
    assert code == 0, err
    code, out, _ = _run(capsys, "survey", "publish", "nps")
    assert "published version 1" in out
    code, out, _ = _run(capsys, "survey", "publish", "nps")
    assert "unchanged since version 1" in out
    code, _, err = _run(capsys, "survey", "create", "x", "--template", "nope")
    assert code == 1
    assert "relationship-nps" in err


def test_a_bad_value_turned_into_a_model_is_one_line_with_the_field_and_fix(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found in review: pydantic's multi-line ValidationError text was printed as is.
    _run(capsys, "init")
    code, _, err = _run(capsys, "survey", "create", "Bad Key", "--template", "relationship-nps")
    assert code == 1
    assert err.splitlines()[0] == "error: A value is not valid."
    assert err.splitlines()[1].startswith("  - key: String should match pattern")
    assert "Fix: make the value match the pattern" in err
    assert "errors.pydantic.dev" not in err and "Traceback" not in err


def test_an_error_naming_a_field_is_printed_once(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    code, out, err = _run(capsys, "qr", "survey", "nope", "-o", str(tmp_path / "x.svg"))
    assert code == 1 and out == ""
    assert err.count("does not exist or is not published") == 1
    assert err.count("journeyscope survey publish nope") == 1
    code, _, err = _run(capsys, "survey", "create", "s", "--template", "nope")
    assert code == 1
    assert err.count("There is no survey template") == 1
    assert err.count("relationship-nps") == 1


def test_a_bad_setting_names_its_variable_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYSCOPE_BASE_URL", "cx.example")
    code, _, err = _run(capsys, "config")
    assert code == 1
    assert err.count("JOURNEYSCOPE_BASE_URL") == 1
    assert "must start with http:// or https://" in err


def test_publish_refuses_template_placeholders_unless_allowed(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "init")
    assert _run(capsys, "survey", "create", "why", "--template", "post-purchase-why-us")[0] == 0
    code, out, err = _run(capsys, "survey", "publish", "why")
    assert code == 1 and out == ""
    assert err.count("still shows the template's placeholder") == 4
    assert '"Competitor A"' in err and "--allow-placeholders" in err
    code, out, _ = _run(capsys, "survey", "publish", "why", "--allow-placeholders")
    assert code == 0 and "published version 1" in out
