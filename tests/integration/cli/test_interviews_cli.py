"""`journeyscope interviews`: import (files and folders), list, show, analyse, report, export,
guide and check-question, against the test database."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factories import RETAIL_JOURNEY, Tenant
from journeyscope import interviews, journey
from journeyscope.cli import run
from journeyscope.cli.app import app
from journeyscope.cli.context import out as out_console
from journeyscope.journey import JourneySpec, apply_journey
from journeyscope.settings import Settings
from journeyscope.store import Database

TRANSCRIPT = """\
Maya: Thanks for joining. How did you first hear about the Breeze blender?
Sam: A friend had one. Mail me at sam.ortiz@example.com if you like.
Maya: Did you like the checkout?
Sam: The checkout was a bit confusing but whatever, it's fine.
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def ready(cli_env: Settings, db: Database, tenant: Tenant) -> Tenant:
    apply_journey(db, workspace_id=tenant.id, spec=JourneySpec.model_validate(RETAIL_JOURNEY))
    return tenant


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "recordings"
    root.mkdir()
    (root / "sam.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "ana.txt").write_text(TRANSCRIPT.replace("Sam", "Ana"), encoding="utf-8")
    (root / "notes.md").write_text("   \n", encoding="utf-8")
    (root / "audio.mp3").write_bytes(b"\x00\x01")
    return root


def _ids(db: Database, tenant: Tenant) -> list[uuid.UUID]:
    return [i.id for i in interviews.list_interviews(db, workspace_id=tenant.id).items]


def test_import_a_folder_skips_a_bad_file_and_exits_1(
    capsys: pytest.CaptureFixture[str], ready: Tenant, db: Database, folder: Path
) -> None:
    code, out, err = _run(capsys, "interviews", "import", str(folder), "--journey", "retail")
    assert code == 1
    assert "ana.txt" in out and "sam.txt" in out and "findings" in out
    assert "notes.md: error: The transcript is empty." in err  # the file named once
    assert "1 of 3 files were not imported" in err
    assert len(_ids(db, ready)) == 2


def test_import_without_redaction_or_analysis(
    capsys: pytest.CaptureFixture[str], ready: Tenant, db: Database, folder: Path
) -> None:
    args = ["interviews", "import", str(folder / "sam.txt"), "--journey", "retail"]
    code, out, _ = _run(capsys, *args, "--no-redact", "--no-analyze", "--title", "Sam")
    assert code == 0, out
    detail = interviews.get_interview(db, workspace_id=ready.id, interview_id=_ids(db, ready)[0])
    assert detail.title == "Sam" and detail.analyzed_at is None
    assert "sam.ortiz@example.com" in detail.utterances[1].text


def test_import_waits_for_the_analysis_by_default_or_queues_it(
    capsys: pytest.CaptureFixture[str], ready: Tenant, db: Database, folder: Path
) -> None:
    args = ["interviews", "import", str(folder / "sam.txt"), "--journey", "retail"]
    code, out, _ = _run(capsys, *args)
    assert code == 0 and "finding" in out
    code, out, _ = _run(capsys, *args, "--queue")
    assert code == 0 and out.rstrip().endswith("queued"), out
    found = [
        interviews.get_interview(db, workspace_id=ready.id, interview_id=i) for i in _ids(db, ready)
    ]
    assert [(i.status, i.analyzed_at is None) for i in found] == [
        ("analysed", False),
        ("queued", True),
    ]
    assert _run(capsys, *args, "--queue", "--no-analyze")[0] == 2


def test_import_redacts_by_default(
    capsys: pytest.CaptureFixture[str], ready: Tenant, db: Database, folder: Path
) -> None:
    args = ["interviews", "import", str(folder / "sam.txt"), "--journey", "retail"]
    assert _run(capsys, *args, "--redact-name", "Breeze", "--participant", "Sam")[0] == 0
    detail = interviews.get_interview(db, workspace_id=ready.id, interview_id=_ids(db, ready)[0])
    text = " ".join(u.text for u in detail.utterances)
    assert "@" not in text and "Breeze" not in text
    assert "Participant" in {u.speaker for u in detail.utterances}


def test_unknown_journey_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], ready: Tenant, folder: Path
) -> None:
    code, _, err = _run(capsys, "interviews", "import", str(folder), "--journey", "nope")
    assert code == 1
    assert err.splitlines()[0] == "error: There is no journey 'nope' in this workspace."
    assert "Traceback" not in err


def _imported(capsys: pytest.CaptureFixture[str], db: Database, tenant: Tenant, path: Path) -> str:
    args = ["interviews", "import", str(path), "--journey", "retail", "--no-analyze"]
    assert _run(capsys, *args)[0] == 0
    return str(_ids(db, tenant)[-1])


def test_list_show_analyze_and_report(
    capsys: pytest.CaptureFixture[str], ready: Tenant, db: Database, folder: Path
) -> None:
    interview_id = _imported(capsys, db, ready, folder / "sam.txt")
    code, out, _ = _run(capsys, "interviews", "list", "--journey", "retail")
    assert code == 0 and interview_id in out
    assert out.splitlines()[1].split()[-1] == "-"  # no findings: never analysed
    code, _, err = _run(capsys, "interviews", "report", interview_id, "--format", "md")
    assert code == 1 and "not been analysed" in err
    code, out, _ = _run(capsys, "interviews", "analyze", interview_id)
    assert code == 0 and "findings" in out
    code, out, _ = _run(capsys, "interviews", "show", interview_id)
    assert code == 0 and "Maya [interviewer]: Did you like the checkout?" in out
    code, out, _ = _run(capsys, "interviews", "report", interview_id, "--format", "md")
    assert code == 0 and out.startswith("#")
    assert _run(capsys, "interviews", "analyze", "--all")[0] == 0


def test_analyze_needs_an_id_or_all(capsys: pytest.CaptureFixture[str], ready: Tenant) -> None:
    assert _run(capsys, "interviews", "analyze")[0] == 2


def test_show_an_unknown_id_is_exit_1(capsys: pytest.CaptureFixture[str], ready: Tenant) -> None:
    code, _, err = _run(capsys, "interviews", "show", str(uuid.uuid4()))
    assert code == 1 and "There is no interview" in err


def test_export_csv_to_stdout_and_qdpx_to_a_file(
    capsys: pytest.CaptureFixture[str],
    ready: Tenant,
    db: Database,
    folder: Path,
    tmp_path: Path,
) -> None:
    interview_id = _imported(capsys, db, ready, folder / "sam.txt")
    code, out, _ = _run(capsys, "interviews", "export", interview_id)
    assert code == 0 and len(out.strip().splitlines()) == 5
    target = tmp_path / "sam.qdpx"
    args = ["interviews", "export", interview_id, "--format", "qdpx", "--out", str(target)]
    assert _run(capsys, *args)[0] == 0
    assert "project.qde" in zipfile.ZipFile(target).namelist()


def test_guide_as_markdown_and_word(
    capsys: pytest.CaptureFixture[str], ready: Tenant, tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "interviews", "guide", "retail")
    assert code == 0 and "Buy" in out
    target = tmp_path / "guide.docx"
    args = ["interviews", "guide", "retail", "--format", "docx", "--out", str(target)]
    assert _run(capsys, *args)[0] == 0
    assert target.read_bytes().startswith(b"PK")


def test_check_question_through_the_typer_app() -> None:
    result = CliRunner().invoke(app, ["interviews", "check-question", "Did you like it?"])
    assert result.exit_code == 0
    assert result.output.startswith("closed: ")
    assert "try: " in result.output


def test_insights_summarise_stages_and_themes(
    capsys: pytest.CaptureFixture[str], ready: Tenant, folder: Path
) -> None:
    code, _, _ = _run(capsys, "interviews", "import", str(folder), "--journey", "retail")
    assert code == 1  # the blank notes.md is refused; the two transcripts are imported
    code, out, _ = _run(capsys, "interviews", "insights", "--journey", "retail")
    assert code == 0
    assert out.startswith("2 analysed interviews")
    assert "buy: 4 turns," in out and "played down" in out
    assert "theme:" in out and "2 interviews" in out


def _reversed_example() -> str:
    """The example interview with its question-and-answer pairs in reverse order."""
    turns = interviews.parse_transcript(interviews.EXAMPLE_INTERVIEW).utterances
    lines = [f"{u.speaker}: {u.text}" for u in turns]
    pairs = [lines[i : i + 2] for i in range(0, len(lines), 2)]
    return "\n".join(line for pair in reversed(pairs) for line in pair) + "\n"


def test_insights_list_stages_in_the_journeys_order_with_plurals(
    capsys: pytest.CaptureFixture[str],
    cli_env: Settings,
    db: Database,
    tenant: Tenant,
    tmp_path: Path,
) -> None:
    saas = journey.load_journey_file(
        next(p for p in journey.example_paths() if p.stem == "saas-app")
    )
    apply_journey(db, workspace_id=tenant.id, spec=saas)
    backwards = tmp_path / "backwards.txt"
    backwards.write_text(_reversed_example(), encoding="utf-8")
    code, _, err = _run(capsys, "interviews", "import", str(backwards), "--journey", "saas-app")
    assert code == 0, err
    (stored,) = _ids(db, tenant)
    detail = interviews.get_interview(db, workspace_id=tenant.id, interview_id=stored)
    mentioned = list(dict.fromkeys(u.stage.stage for u in detail.utterances if u.stage))
    journey_order = [s.key for s in saas.stages]
    assert len(mentioned) > 2 and mentioned != sorted(mentioned, key=journey_order.index)
    code, out, _ = _run(capsys, "interviews", "insights")
    assert code == 0
    listed = [line.split(":")[0] for line in out.splitlines() if " valence " in line]
    assert listed == sorted(mentioned, key=journey_order.index)
    assert out.startswith("1 analysed interview\n")
    assert all(" 1 turns" not in line for line in out.splitlines())


def test_list_reads_at_80_columns(
    capsys: pytest.CaptureFixture[str],
    ready: Tenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(out_console, "width", 80)
    path = tmp_path / "t.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    title = "Breeze blender owner interview about checkout and delivery"
    args = ("--title", title, "--participant", "Sam Ortiz", "--no-analyze", "--journey", "retail")
    assert _run(capsys, "interviews", "import", str(path), *args)[0] == 0
    code, out, _ = _run(capsys, "interviews", "list")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["id", "title", "journey", "turns", "findings"]
    assert "…" not in out  # nothing cut off: titles wrap between words
    words = " ".join(line[38:].split("retail")[0] for line in lines[1:]).split()
    assert " ".join(words) == f"{title} (Sam Ortiz)"
    (row,) = [line for line in lines if "retail" in line]
    assert str(uuid.UUID(row.split()[0])) == row.split()[0]  # the whole id, to copy
    assert row.split()[-2:] == ["4", "-"]  # 4 turns, not analysed
